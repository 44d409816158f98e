-- API keys. A key is shown once, when it is made; the database keeps only
-- its SHA-256 (the key is 256 random bits, so a fast hash is enough: there
-- is nothing to guess), and a short prefix of the key that names it in
-- listings and logs without giving it away. Ids are never reused, because
-- a key's id names it in rate limits and, without a name, as a reviewer.
-- A revoked key stays, so its labels keep a known author.
CREATE TABLE api_keys (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT CHECK (name IS NULL OR length(name) BETWEEN 1 AND 64),
  role TEXT NOT NULL CHECK (role IN ('client', 'reviewer', 'admin')),
  prefix TEXT NOT NULL CHECK (length(prefix) BETWEEN 8 AND 16),
  secret_sha256 TEXT NOT NULL UNIQUE CHECK (length(secret_sha256) = 64),
  created_at TEXT NOT NULL CHECK (created_at GLOB '[0-9][0-9][0-9][0-9]-*Z'),
  revoked_at TEXT CHECK (revoked_at IS NULL OR revoked_at >= created_at)
) STRICT;
