-- Items, their vectors, labelled pairs, model versions and job history.
-- Timestamps are ISO-8601 UTC strings such as 2026-01-31T12:00:00.000Z,
-- written by the application. Tables are STRICT so a wrong type fails
-- loudly instead of being stored as something else.

CREATE TABLE items (
  id INTEGER PRIMARY KEY,
  external_id TEXT
    CHECK (external_id IS NULL OR length(external_id) BETWEEN 1 AND 256),
  text TEXT NOT NULL CHECK (length(text) > 0),
  metadata TEXT
    CHECK (metadata IS NULL
      OR (json_valid(metadata) AND json_type(metadata) = 'object')),
  created_at TEXT NOT NULL CHECK (created_at GLOB '[0-9][0-9][0-9][0-9]-*Z'),
  deleted_at TEXT CHECK (deleted_at IS NULL OR deleted_at >= created_at)
) STRICT;

-- An external id names one item for ever, deleted or not.
CREATE UNIQUE INDEX items_external_id ON items (external_id)
  WHERE external_id IS NOT NULL;

-- Live items in id order: index rebuilds and re-embedding walk this.
CREATE INDEX items_live ON items (id) WHERE deleted_at IS NULL;

-- One vector per item and model version, Float32 little-endian, so the
-- index can be rebuilt without running the encoder again. Not tied to
-- model_versions: a candidate model embeds items before it is registered.
CREATE TABLE item_vectors (
  item_id INTEGER NOT NULL REFERENCES items (id) ON DELETE CASCADE,
  model_version TEXT NOT NULL CHECK (length(model_version) > 0),
  vector BLOB NOT NULL CHECK (length(vector) > 0 AND length(vector) % 4 = 0),
  PRIMARY KEY (item_id, model_version)
) STRICT, WITHOUT ROWID;

CREATE INDEX item_vectors_by_model ON item_vectors (model_version, item_id);

-- A labelled pair. Each side is either a stored item or a bare text.
-- pair_key is the same for (a, b) and (b, a), so contradicting labels on
-- one pair are found with a GROUP BY.
CREATE TABLE pairs (
  id INTEGER PRIMARY KEY,
  a_item_id INTEGER REFERENCES items (id),
  b_item_id INTEGER REFERENCES items (id),
  a_text TEXT CHECK (a_text IS NULL OR length(a_text) > 0),
  b_text TEXT CHECK (b_text IS NULL OR length(b_text) > 0),
  label INTEGER NOT NULL CHECK (label IN (0, 1)),
  source TEXT NOT NULL CHECK (source IN ('import', 'api', 'reviewer')),
  who TEXT CHECK (who IS NULL OR length(who) BETWEEN 1 AND 256),
  pair_key TEXT NOT NULL CHECK (length(pair_key) > 0),
  created_at TEXT NOT NULL CHECK (created_at GLOB '[0-9][0-9][0-9][0-9]-*Z'),
  CHECK ((a_item_id IS NULL) <> (a_text IS NULL)),
  CHECK ((b_item_id IS NULL) <> (b_text IS NULL)),
  CHECK (a_item_id IS NULL OR b_item_id IS NULL OR a_item_id <> b_item_id)
) STRICT;

CREATE INDEX pairs_by_key ON pairs (pair_key, label);
CREATE INDEX pairs_by_label ON pairs (label, id);
CREATE INDEX pairs_by_source ON pairs (source, id);
CREATE INDEX pairs_by_who ON pairs (who, id) WHERE who IS NOT NULL;
CREATE INDEX pairs_by_a_item ON pairs (a_item_id) WHERE a_item_id IS NOT NULL;
CREATE INDEX pairs_by_b_item ON pairs (b_item_id) WHERE b_item_id IS NOT NULL;

-- Trained models. At most one is active, enforced by the partial index.
CREATE TABLE model_versions (
  version TEXT PRIMARY KEY CHECK (length(version) BETWEEN 1 AND 128),
  path TEXT NOT NULL CHECK (length(path) > 0),
  metrics TEXT NOT NULL DEFAULT '{}'
    CHECK (json_valid(metrics) AND json_type(metrics) = 'object'),
  threshold REAL NOT NULL CHECK (threshold >= 0),
  created_at TEXT NOT NULL CHECK (created_at GLOB '[0-9][0-9][0-9][0-9]-*Z'),
  active INTEGER NOT NULL DEFAULT 0 CHECK (active IN (0, 1)),
  activated_at TEXT,
  CHECK (active = 0 OR activated_at IS NOT NULL)
) STRICT, WITHOUT ROWID;

CREATE UNIQUE INDEX model_versions_one_active ON model_versions (active)
  WHERE active = 1;

-- Job history that outlives the queue's own storage. Ids are made here,
-- not by the queue, so they stay unique when the queue starts afresh.
CREATE TABLE jobs (
  id TEXT PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 128),
  kind TEXT NOT NULL CHECK (length(kind) BETWEEN 1 AND 64),
  state TEXT NOT NULL DEFAULT 'queued'
    CHECK (state IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
  progress REAL NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 1),
  result TEXT CHECK (result IS NULL OR json_valid(result)),
  error TEXT,
  created_at TEXT NOT NULL CHECK (created_at GLOB '[0-9][0-9][0-9][0-9]-*Z'),
  started_at TEXT,
  finished_at TEXT,
  CHECK (finished_at IS NULL OR state IN ('succeeded', 'failed', 'cancelled'))
) STRICT;

CREATE INDEX jobs_by_created ON jobs (created_at, id);
CREATE INDEX jobs_by_kind ON jobs (kind, created_at);
CREATE INDEX jobs_by_state ON jobs (state, created_at);
