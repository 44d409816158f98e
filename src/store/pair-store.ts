/**
 * Labelled pairs: the training data, from imports, API callers and
 * reviewers. Every label is kept; contradicting labels on one pair are
 * found through the pair key rather than overwritten.
 */
import type { Database } from 'better-sqlite3';

import { AppError, ErrorCode } from '../errors/app-error.js';
import { isoNow, systemClock, type Clock } from './clock.js';
import { checkedCount, checkedId, DEFAULT_PAGE_LIMIT } from './paging.js';
import { pairKey } from './pair-key.js';
import { pairWhere } from './pair-query.js';
import {
  checkNewPair,
  PAIR_COLUMNS,
  pairFromRow,
  type PairRow,
} from './pair-rows.js';
import type {
  NewPair,
  Pair,
  PairConflict,
  PairFilter,
  PairPage,
  PairPageRequest,
  TrainingPair,
} from './pair-types.js';
import { translateSqliteError, withSqliteErrors } from './sqlite-error.js';

export type * from './pair-types.js';
export { PAIR_SOURCES } from './pair-types.js';

/** Options of {@link PairStore}. */
export interface PairStoreOptions {
  /** Time source for `created_at`. Default: the system clock. */
  clock?: Clock;
}

type InsertValues = [
  number | null,
  number | null,
  string | null,
  string | null,
  number,
  string,
  string | null,
  string,
  string,
];

/** Reads and writes labelled pairs. */
export class PairStore {
  private readonly db: Database;
  private readonly clock: Clock;

  /** Works on `db`, which must be migrated (see openDatabase). */
  constructor(db: Database, options: PairStoreOptions = {}) {
    this.db = db;
    this.clock = options.clock ?? systemClock;
  }

  /** Stores one pair and returns its id; see {@link PairStore.addMany}. */
  add(pair: NewPair): number {
    return this.addMany([pair])[0] as number;
  }

  /**
   * Stores `pairs` in one transaction and returns their ids in order.
   * All or nothing: a malformed pair (`bad_input`) or a side naming a
   * missing item (`not_found`) stores none of them.
   */
  addMany(pairs: readonly NewPair[]): number[] {
    pairs.forEach((pair, i) => checkNewPair(pair, `pairs[${i}]`));
    const now = isoNow(this.clock);
    // The id is chosen above any ever deleted (see migrations/004), so
    // an undone label's id is never handed out again.
    const insert = this.db.prepare<InsertValues>(
      'INSERT INTO pairs (id, a_item_id, b_item_id, a_text, b_text, label, ' +
        'source, who, pair_key, created_at) VALUES (' +
        'max(coalesce((SELECT max(id) FROM pairs), 0), ' +
        "coalesce((SELECT last_id FROM id_floors WHERE table_name = 'pairs'), 0)" +
        ') + 1, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );

    const addAll = this.db.transaction((): number[] =>
      pairs.map((pair, i) => {
        this.checkItemsExist(pair, `pairs[${i}]`);
        try {
          return Number(insert.run(...insertValues(pair, now)).lastInsertRowid);
        } catch (err) {
          throw translateSqliteError(err, { action: `add pairs[${i}]` });
        }
      }),
    );
    // Reads (the items exist), then writes: the write lock comes first,
    // as in JobStore.update.
    return withSqliteErrors({ action: 'add pairs' }, () => addAll.immediate());
  }

  /** The pair with `id`, or undefined. */
  get(id: number): Pair | undefined {
    const row = this.db
      .prepare<[number], PairRow>(
        `SELECT ${PAIR_COLUMNS} FROM pairs WHERE id = ?`,
      )
      .get(checkedId('id', id));
    return row && pairFromRow(row);
  }

  /** One page of pairs matching the filters, oldest first. */
  list(request: PairPageRequest = {}): PairPage {
    const limit = checkedCount('limit', request.limit, DEFAULT_PAGE_LIMIT);
    const offset = checkedCount('offset', request.offset, 0, 0);
    if (request.offset !== undefined && request.after !== undefined) {
      throw new AppError(
        ErrorCode.BadInput,
        'give either offset or after, not both',
      );
    }

    const where = pairWhere(request, request.after);
    const rows = this.db
      .prepare<(string | number)[], PairRow>(
        `SELECT ${PAIR_COLUMNS} FROM pairs ${where.sql} ` +
          'ORDER BY id LIMIT ? OFFSET ?',
      )
      .all(...where.params, limit + 1, offset);

    // One row past the page tells whether another page exists.
    const pairs = rows.slice(0, limit).map(pairFromRow);
    const more = rows.length > limit;
    return { pairs, nextAfter: more ? (pairs.at(-1)?.id ?? null) : null };
  }

  /** How many pairs match the filters (all pairs without filters). */
  count(filter: PairFilter = {}): number {
    return this.countWhere(filter);
  }

  /** How many pairs were added after the pair with id `id`. */
  countSince(id: number, filter: PairFilter = {}): number {
    return this.countWhere(filter, id);
  }

  /** Id of the newest pair; 0 when there are none. */
  lastId(): number {
    const id = this.db
      .prepare<[], number>('SELECT coalesce(max(id), 0) FROM pairs')
      .pluck()
      .get();
    return id ?? 0;
  }

  /**
   * Every pair with both texts, oldest first, for training; item sides
   * use the item's text, deleted or not. `upToId` fixes the set to the
   * pairs that existed when a training run started.
   */
  trainingPairs(upToId?: number): TrainingPair[] {
    const maxId = upToId === undefined ? Number.MAX_SAFE_INTEGER : upToId;
    return this.db
      .prepare<[number], TrainingPair>(
        'SELECT p.id, coalesce(p.a_text, ia.text) AS a, ' +
          'coalesce(p.b_text, ib.text) AS b, p.label, p.pair_key AS pairKey ' +
          'FROM pairs p LEFT JOIN items ia ON ia.id = p.a_item_id ' +
          'LEFT JOIN items ib ON ib.id = p.b_item_id ' +
          'WHERE p.id <= ? ORDER BY p.id',
      )
      .all(checkedId('upToId', maxId));
  }

  /** Pairs labelled both 0 and 1, at most `limit` (default 100). */
  conflicts(limit?: number): PairConflict[] {
    const rows = this.db
      .prepare<[number], ConflictRow>(
        'SELECT pair_key AS pairKey, sum(label = 1) AS positives, ' +
          'sum(label = 0) AS negatives, json_group_array(id) AS ids ' +
          'FROM pairs GROUP BY pair_key HAVING min(label) <> max(label) ' +
          'ORDER BY min(id) LIMIT ?',
      )
      .all(checkedCount('limit', limit, DEFAULT_PAGE_LIMIT));

    return rows.map(({ ids, ...counts }) => ({
      ...counts,
      pairIds: (JSON.parse(ids) as number[]).sort((x, y) => x - y),
    }));
  }

  private countWhere(filter: PairFilter, after?: number): number {
    const where = pairWhere(filter, after);
    const n = this.db
      .prepare<(string | number)[], number>(
        `SELECT count(*) FROM pairs ${where.sql}`,
      )
      .pluck()
      .get(...where.params);
    return n ?? 0;
  }

  private checkItemsExist(pair: NewPair, where: string): void {
    const exists = this.db
      .prepare<[number], number>('SELECT 1 FROM items WHERE id = ?')
      .pluck();
    for (const [name, side] of [
      ['a', pair.a],
      ['b', pair.b],
    ] as const) {
      if ('itemId' in side && exists.get(side.itemId) === undefined) {
        throw new AppError(
          ErrorCode.NotFound,
          `${where}.${name}: item ${side.itemId} does not exist`,
          { itemId: side.itemId },
        );
      }
    }
  }
}

interface ConflictRow {
  pairKey: string;
  positives: number;
  negatives: number;
  ids: string;
}

function insertValues(pair: NewPair, createdAt: string): InsertValues {
  const { a, b } = pair;
  return [
    'itemId' in a ? a.itemId : null,
    'itemId' in b ? b.itemId : null,
    'text' in a ? a.text : null,
    'text' in b ? b.text : null,
    pair.label,
    pair.source,
    pair.who ?? null,
    pairKey(a, b),
    createdAt,
  ];
}
