/**
 * Candidate pairs in SQLite: adding them as they are found, rescoring
 * them for a new model version, and the pool a reviewer may be offered.
 */
import { createHash } from 'node:crypto';

import type { Database } from 'better-sqlite3';

import { jaccardSimilarity } from '../eval/baselines.js';
import { isoNow, systemClock, type Clock } from '../store/clock.js';
import { pairKey } from '../store/pair-key.js';
import { withSqliteErrors } from '../store/sqlite-error.js';
import type { PoolCandidate } from './selection.js';
import type { CandidateOrigin } from './review-types.js';

/** A pair of items found worth asking about. */
export interface NewCandidate {
  /** One item's id and text. */
  a: { id: number; text: string };
  /** The other item's id and text. */
  b: { id: number; text: string };
  /** The model's energy for the pair. */
  energy: number;
  /** The version of the model that gave the energy. */
  modelVersion: string;
  /** Where it was found. */
  origin: CandidateOrigin;
}

/** A stored candidate with the texts of its items. */
export interface CandidateView {
  /** Candidate id. */
  id: number;
  /** Smaller item id. */
  aItemId: number;
  /** Its text. */
  aText: string;
  /** Larger item id. */
  bItemId: number;
  /** Its text. */
  bText: string;
  /** Energy under `modelVersion`. */
  energy: number;
  /** Model version that gave the energy. */
  modelVersion: string;
  /** Where it was found. */
  origin: CandidateOrigin;
}

/** A candidate whose energy belongs to another model version. */
export interface StaleCandidate {
  /** Candidate id. */
  id: number;
  /** Smaller item id. */
  aItemId: number;
  /** Larger item id. */
  bItemId: number;
}

/** Who asks for a pool, and under which rules. */
export interface PoolRequest {
  /** The reviewer to offer pairs to. */
  reviewer: string;
  /** Only candidates scored by this model version. */
  modelVersion: string;
  /** Share of pairs that need two reviewers, in [0, 1]. */
  overlap: number;
  /** The current time, ISO-8601 UTC, to tell live reservations. */
  now: string;
}

interface PoolRow {
  id: number;
  energy: number;
  lexical: number;
  skip_id: number | null;
}

interface ViewRow {
  id: number;
  a_item_id: number;
  a_text: string;
  b_item_id: number;
  b_text: string;
  energy: number;
  model_version: string;
  origin: CandidateOrigin;
}

/** Conditions under which a candidate is open for `:reviewer`. */
const OPEN_FOR_REVIEWER = `
  c.model_version = :version
  AND ia.deleted_at IS NULL AND ib.deleted_at IS NULL
  AND NOT EXISTS (SELECT 1 FROM pairs p
    WHERE p.pair_key = c.pair_key AND p.source <> 'reviewer')
  AND NOT EXISTS (SELECT 1 FROM review_decisions d
    WHERE d.candidate_id = c.id AND d.reviewer = :reviewer
      AND d.decision <> 'skip' AND d.undone_at IS NULL)
  AND NOT EXISTS (SELECT 1 FROM review_reservations r
    WHERE r.candidate_id = c.id AND r.reviewer = :reviewer
      AND r.reserved_until > :now)
  AND (SELECT count(*) FROM review_decisions d
        WHERE d.candidate_id = c.id AND d.decision <> 'skip'
          AND d.undone_at IS NULL)
    + (SELECT count(*) FROM review_reservations r
        WHERE r.candidate_id = c.id AND r.reserved_until > :now)
    < (CASE WHEN c.overlap_draw < :overlap THEN 2 ELSE 1 END)`;

/** Reads and writes candidate pairs. */
export class CandidateStore {
  private readonly db: Database;
  private readonly clock: Clock;

  /** Works on `db`, which must be migrated (see openDatabase). */
  constructor(db: Database, options: { clock?: Clock } = {}) {
    this.db = db;
    this.clock = options.clock ?? systemClock;
  }

  /**
   * Stores the candidates that are new, in one transaction, and returns
   * how many were new. A pair already known (either way round) keeps
   * its first record; pairs of an item with itself are dropped.
   */
  addMany(candidates: readonly NewCandidate[]): number {
    const insert = this.db.prepare<
      [number, number, string, string, number, string, number, number, string]
    >(
      'INSERT INTO review_candidates (a_item_id, b_item_id, pair_key, ' +
        'origin, energy, model_version, lexical, overlap_draw, created_at) ' +
        'VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ' +
        'ON CONFLICT (pair_key) DO NOTHING',
    );
    const now = isoNow(this.clock);

    const addAll = this.db.transaction((): number => {
      let added = 0;
      for (const c of candidates) {
        if (c.a.id === c.b.id) continue;
        const [first, second] = c.a.id < c.b.id ? [c.a, c.b] : [c.b, c.a];
        const key = pairKey({ itemId: first.id }, { itemId: second.id });
        added += insert.run(
          first.id,
          second.id,
          key,
          c.origin,
          Math.max(0, c.energy),
          c.modelVersion,
          jaccardSimilarity(first.text, second.text),
          overlapDraw(key),
          now,
        ).changes;
      }
      return added;
    });
    return withSqliteErrors({ action: 'add review candidates' }, () =>
      addAll(),
    );
  }

  /**
   * The versions other than `version` that scored some candidate. One
   * index seek per version, so it costs next to nothing when all are
   * current.
   */
  otherVersions(version: string): string[] {
    const next = this.db
      .prepare<[string], string | null>(
        'SELECT min(model_version) FROM review_candidates ' +
          'WHERE model_version > ?',
      )
      .pluck();
    const found: string[] = [];
    for (let v = next.get(''); typeof v === 'string'; v = next.get(v)) {
      if (v !== version) found.push(v);
    }
    return found;
  }

  /**
   * Up to `limit` candidates scored by `version` with ids above
   * `after`, by id.
   */
  scoredBy(version: string, after: number, limit: number): StaleCandidate[] {
    return this.db
      .prepare<[string, number, number], StaleCandidate>(
        'SELECT id, a_item_id AS aItemId, b_item_id AS bItemId ' +
          'FROM review_candidates WHERE model_version = ? AND id > ? ' +
          'ORDER BY id LIMIT ?',
      )
      .all(version, after, limit);
  }

  /** Sets the energies of candidates under `version`, in one transaction. */
  rescore(
    version: string,
    energies: readonly { id: number; energy: number }[],
  ): void {
    const update = this.db.prepare<[number, string, number]>(
      'UPDATE review_candidates SET energy = ?, model_version = ? ' +
        'WHERE id = ?',
    );
    const all = this.db.transaction(() => {
      for (const { id, energy } of energies) {
        update.run(Math.max(0, energy), version, id);
      }
    });
    withSqliteErrors({ action: 'rescore review candidates' }, () => all());
  }

  /**
   * The candidates open to `request.reviewer`: scored by the serving
   * version, both items live, not labelled outside the queue, not yet
   * labelled or held by this reviewer, and wanted by fewer reviewers
   * than they need (two for overlap pairs, else one), counting live
   * reservations. Unskipped pairs come first by id, then the ones this
   * reviewer skipped, oldest skip first.
   */
  pool(request: PoolRequest): PoolCandidate[] {
    const rows = this.db
      .prepare<Record<string, string | number>, PoolRow>(
        'SELECT c.id, c.energy, c.lexical, ' +
          '(SELECT max(s.id) FROM review_decisions s ' +
          "WHERE s.candidate_id = c.id AND s.reviewer = :reviewer AND s.decision = 'skip' " +
          'AND s.undone_at IS NULL) AS skip_id ' +
          'FROM review_candidates c ' +
          'JOIN items ia ON ia.id = c.a_item_id ' +
          'JOIN items ib ON ib.id = c.b_item_id ' +
          `WHERE ${OPEN_FOR_REVIEWER} ORDER BY c.id`,
      )
      .all({
        reviewer: request.reviewer,
        version: request.modelVersion,
        overlap: request.overlap,
        now: request.now,
      });

    const fresh = rows.filter((row) => row.skip_id === null);
    const skipped = rows
      .filter((row) => row.skip_id !== null)
      .sort((x, y) => (x.skip_id ?? 0) - (y.skip_id ?? 0));
    return [...fresh, ...skipped].map((row) => ({
      id: row.id,
      energy: row.energy,
      lexical: row.lexical,
      skipped: row.skip_id !== null,
    }));
  }

  /** The candidates among `ids` with their texts, keyed by id. */
  views(ids: readonly number[]): Map<number, CandidateView> {
    const rows = this.db
      .prepare<[string], ViewRow>(
        'SELECT c.id, c.a_item_id, ia.text AS a_text, c.b_item_id, ' +
          'ib.text AS b_text, c.energy, c.model_version, c.origin ' +
          'FROM review_candidates c ' +
          'JOIN items ia ON ia.id = c.a_item_id ' +
          'JOIN items ib ON ib.id = c.b_item_id ' +
          'WHERE c.id IN (SELECT value FROM json_each(?))',
      )
      .all(JSON.stringify(ids));
    return new Map(rows.map((row) => [row.id, viewFromRow(row)]));
  }

  /** How many candidates are stored. */
  count(): number {
    return (
      this.db
        .prepare<[], number>('SELECT count(*) FROM review_candidates')
        .pluck()
        .get() ?? 0
    );
  }

  /**
   * How many candidates still want a label from someone: scored by
   * `version`, both items live, not labelled outside the queue, and
   * with fewer labels than they need.
   */
  countWanting(version: string, overlap: number): number {
    return (
      this.db
        .prepare<[string, number], number>(
          'SELECT count(*) FROM review_candidates c ' +
            'JOIN items ia ON ia.id = c.a_item_id ' +
            'JOIN items ib ON ib.id = c.b_item_id ' +
            'WHERE c.model_version = ? ' +
            'AND ia.deleted_at IS NULL AND ib.deleted_at IS NULL ' +
            'AND NOT EXISTS (SELECT 1 FROM pairs p ' +
            "WHERE p.pair_key = c.pair_key AND p.source <> 'reviewer') " +
            'AND (SELECT count(*) FROM review_decisions d ' +
            "WHERE d.candidate_id = c.id AND d.decision <> 'skip' " +
            'AND d.undone_at IS NULL) ' +
            '< (CASE WHEN c.overlap_draw < ? THEN 2 ELSE 1 END)',
        )
        .pluck()
        .get(version, overlap) ?? 0
    );
  }

  /** A stored fact of the queue, or undefined. */
  getState(key: string): string | undefined {
    return this.db
      .prepare<[string], string>('SELECT value FROM review_state WHERE key = ?')
      .pluck()
      .get(key);
  }

  /** Stores a fact of the queue. */
  setState(key: string, value: string): void {
    this.db
      .prepare<[string, string]>(
        'INSERT INTO review_state (key, value) VALUES (?, ?) ' +
          'ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      )
      .run(key, value);
  }
}

/**
 * A number in [0, 1) fixed by the pair key, so whether a pair is sent
 * to two reviewers does not change between runs or machines. Salted, so
 * it is unrelated to other splits made from the same keys.
 */
export function overlapDraw(key: string): number {
  const hash = createHash('sha256').update(`review-overlap/1:${key}`).digest();
  return hash.readUInt32BE(0) / 2 ** 32;
}

function viewFromRow(row: ViewRow): CandidateView {
  return {
    id: row.id,
    aItemId: row.a_item_id,
    aText: row.a_text,
    bItemId: row.b_item_id,
    bText: row.b_text,
    energy: row.energy,
    modelVersion: row.model_version,
    origin: row.origin,
  };
}
