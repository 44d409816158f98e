-- The review queue: candidate pairs of stored items that reviewers may be
-- asked about, which reviewer holds which pair for now, and every
-- decision reviewers made. The labels themselves go to `pairs` (source
-- 'reviewer'); a decision points at the label it wrote.

-- A pair of live items worth asking about, found among an item's nearest
-- neighbours or raised as a likely duplicate when an item arrived. The
-- energy is the model's for `model_version` and is rescored when another
-- version serves. `lexical` is the word-set Jaccard similarity of the two
-- texts. `overlap_draw` is a fixed number in [0, 1) derived from the pair
-- key: a pair goes to two reviewers when it is below REVIEW_OVERLAP.
CREATE TABLE review_candidates (
  id INTEGER PRIMARY KEY,
  a_item_id INTEGER NOT NULL REFERENCES items (id) ON DELETE CASCADE,
  b_item_id INTEGER NOT NULL REFERENCES items (id) ON DELETE CASCADE,
  pair_key TEXT NOT NULL CHECK (length(pair_key) > 0),
  origin TEXT NOT NULL CHECK (origin IN ('ingest', 'neighbour')),
  energy REAL NOT NULL CHECK (energy >= 0),
  model_version TEXT NOT NULL CHECK (length(model_version) > 0),
  lexical REAL NOT NULL CHECK (lexical BETWEEN 0 AND 1),
  overlap_draw REAL NOT NULL CHECK (overlap_draw >= 0 AND overlap_draw < 1),
  created_at TEXT NOT NULL CHECK (created_at GLOB '[0-9][0-9][0-9][0-9]-*Z'),
  CHECK (a_item_id < b_item_id)
) STRICT;

-- One candidate per pair of items, whichever way it was found.
CREATE UNIQUE INDEX review_candidates_by_key ON review_candidates (pair_key);
CREATE INDEX review_candidates_by_model
  ON review_candidates (model_version, id);
CREATE INDEX review_candidates_by_b_item ON review_candidates (b_item_id);

-- A candidate held for one reviewer until `reserved_until`. Rows outlive
-- their expiry for a while, so a late answer is told that its
-- reservation expired rather than that it never had one.
CREATE TABLE review_reservations (
  candidate_id INTEGER NOT NULL
    REFERENCES review_candidates (id) ON DELETE CASCADE,
  reviewer TEXT NOT NULL CHECK (length(reviewer) BETWEEN 1 AND 256),
  reason TEXT NOT NULL
    CHECK (reason IN ('warmup', 'uncertain', 'disagree', 'random', 'skipped')),
  reserved_at TEXT NOT NULL
    CHECK (reserved_at GLOB '[0-9][0-9][0-9][0-9]-*Z'),
  reserved_until TEXT NOT NULL CHECK (reserved_until > reserved_at),
  PRIMARY KEY (candidate_id, reviewer)
) STRICT, WITHOUT ROWID;

CREATE INDEX review_reservations_by_reviewer
  ON review_reservations (reviewer, reserved_until);

-- What a reviewer said about a candidate. `energy`, `threshold` and
-- `model_version` record what the model said when it was asked, so the
-- model's accuracy on randomly chosen pairs can be estimated later. An
-- undone decision keeps its row (with `undone_at`) but loses its label.
CREATE TABLE review_decisions (
  id INTEGER PRIMARY KEY,
  candidate_id INTEGER NOT NULL
    REFERENCES review_candidates (id) ON DELETE CASCADE,
  reviewer TEXT NOT NULL CHECK (length(reviewer) BETWEEN 1 AND 256),
  decision TEXT NOT NULL CHECK (decision IN ('duplicate', 'different', 'skip')),
  reason TEXT NOT NULL
    CHECK (reason IN ('warmup', 'uncertain', 'disagree', 'random', 'skipped')),
  energy REAL NOT NULL CHECK (energy >= 0),
  threshold REAL NOT NULL CHECK (threshold >= 0),
  model_version TEXT NOT NULL CHECK (length(model_version) > 0),
  note TEXT CHECK (note IS NULL OR length(note) BETWEEN 1 AND 2000),
  pair_id INTEGER REFERENCES pairs (id) ON DELETE SET NULL,
  created_at TEXT NOT NULL CHECK (created_at GLOB '[0-9][0-9][0-9][0-9]-*Z'),
  undone_at TEXT CHECK (undone_at IS NULL OR undone_at >= created_at),
  CHECK (decision <> 'skip' OR pair_id IS NULL),
  CHECK (undone_at IS NULL OR pair_id IS NULL)
) STRICT;

-- A reviewer labels a candidate at most once (until undone).
CREATE UNIQUE INDEX review_decisions_one_label
  ON review_decisions (candidate_id, reviewer)
  WHERE decision <> 'skip' AND undone_at IS NULL;
CREATE INDEX review_decisions_by_reviewer ON review_decisions (reviewer, id);
CREATE INDEX review_decisions_by_candidate
  ON review_decisions (candidate_id, id);
CREATE INDEX review_decisions_by_pair ON review_decisions (pair_id)
  WHERE pair_id IS NOT NULL;

-- Small facts the queue keeps between runs, such as how far the
-- neighbour sweep has come for each model version.
CREATE TABLE review_state (
  key TEXT PRIMARY KEY CHECK (length(key) BETWEEN 1 AND 256),
  value TEXT NOT NULL
) STRICT, WITHOUT ROWID;
