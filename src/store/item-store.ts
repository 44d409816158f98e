/**
 * Items: the texts the service deduplicates against, with soft deletion,
 * and their vectors per model version.
 */
import type { Database } from 'better-sqlite3';

import { AppError, ErrorCode } from '../errors/app-error.js';
import { isoNow, systemClock, type Clock } from './clock.js';
import {
  ITEM_COLUMNS,
  itemFromRow,
  itemInsertValues,
  type ItemRow,
} from './item-rows.js';
import type {
  ChunkOptions,
  Item,
  ItemCounts,
  ItemVector,
  NewItem,
} from './item-types.js';
import { ItemVectorTable } from './item-vectors.js';
import { checkedCount, checkedId, DEFAULT_CHUNK_SIZE } from './paging.js';
import { translateSqliteError, withSqliteErrors } from './sqlite-error.js';

export type { ChunkOptions, Item, ItemCounts, ItemVector, NewItem };

/** Options of {@link ItemStore}. */
export interface ItemStoreOptions {
  /** Time source for `created_at` and `deleted_at`. Default: system. */
  clock?: Clock;
}

/** Reads and writes items and their vectors. */
export class ItemStore {
  private readonly db: Database;
  private readonly clock: Clock;
  private readonly vectors: ItemVectorTable;

  /** Works on `db`, which must be migrated (see openDatabase). */
  constructor(db: Database, options: ItemStoreOptions = {}) {
    this.db = db;
    this.clock = options.clock ?? systemClock;
    this.vectors = new ItemVectorTable(db);
  }

  /**
   * Stores one item and returns its id. Throws `conflict` when the
   * external id is taken, `bad_input` for an empty text.
   */
  insert(item: NewItem): number {
    return this.insertMany([item])[0] as number;
  }

  /**
   * Stores `items` in one transaction and returns their ids in order.
   * All or nothing: a taken or repeated external id (`conflict`) or an
   * empty text (`bad_input`) stores none of them.
   */
  insertMany(items: readonly NewItem[]): number[] {
    checkBatchExternalIds(items);
    const now = isoNow(this.clock);
    const insert = this.db.prepare<
      [string | null, string, string | null, string]
    >(
      'INSERT INTO items (external_id, text, metadata, created_at) ' +
        'VALUES (?, ?, ?, ?)',
    );

    const insertAll = this.db.transaction((): number[] =>
      items.map((item, i) => {
        const values = itemInsertValues(item, now, `items[${i}]`);
        try {
          return Number(insert.run(...values).lastInsertRowid);
        } catch (err) {
          throw this.insertError(err, item);
        }
      }),
    );
    return withSqliteErrors({ action: 'insert items' }, () => insertAll());
  }

  /** The item with `id`, deleted or not; undefined when there is none. */
  get(id: number): Item | undefined {
    const row = this.db
      .prepare<[number], ItemRow>(
        `SELECT ${ITEM_COLUMNS} FROM items WHERE id = ?`,
      )
      .get(checkedId('id', id));
    return row && itemFromRow(row);
  }

  /** The item with this external id, deleted or not, or undefined. */
  getByExternalId(externalId: string): Item | undefined {
    const row = this.db
      .prepare<[string], ItemRow>(
        `SELECT ${ITEM_COLUMNS} FROM items WHERE external_id = ?`,
      )
      .get(externalId);
    return row && itemFromRow(row);
  }

  /** The items among `ids` that exist, deleted or not, keyed by id. */
  getMany(ids: readonly number[]): Map<number, Item> {
    ids.forEach((id) => checkedId('id', id));
    const rows = this.db
      .prepare<[string], ItemRow>(
        `SELECT ${ITEM_COLUMNS} FROM items ` +
          'WHERE id IN (SELECT value FROM json_each(?))',
      )
      .all(JSON.stringify(ids));
    return new Map(rows.map((row) => [row.id, itemFromRow(row)]));
  }

  /**
   * Marks the item deleted. True when it was live, false when it was
   * already deleted; throws `not_found` when there is no such item.
   */
  softDelete(id: number): boolean {
    const changes = this.db
      .prepare<[string, number]>(
        'UPDATE items SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL',
      )
      .run(isoNow(this.clock), checkedId('id', id)).changes;
    if (changes > 0) return true;
    if (this.get(id)) return false;
    throw new AppError(ErrorCode.NotFound, `item ${id} does not exist`, {
      id,
    });
  }

  /** The highest item id ever stored, 0 for none. */
  maxId(): number {
    return (
      this.db
        .prepare<[], number>('SELECT coalesce(max(id), 0) FROM items')
        .pluck()
        .get() ?? 0
    );
  }

  /** Ids of the soft-deleted items, in id order. */
  deletedIds(): number[] {
    return this.db
      .prepare<[], number>(
        'SELECT id FROM items WHERE deleted_at IS NOT NULL ORDER BY id',
      )
      .pluck()
      .all();
  }

  /** How many items are live and how many soft-deleted. */
  count(): ItemCounts {
    const row = this.db
      .prepare<[], ItemCounts>(
        'SELECT coalesce(sum(deleted_at IS NULL), 0) AS live, ' +
          'coalesce(sum(deleted_at IS NOT NULL), 0) AS deleted FROM items',
      )
      .get();
    return row ?? { live: 0, deleted: 0 };
  }

  /**
   * Live items in id order, `chunkSize` (default 1,000) at a time. Each
   * chunk is read afresh, so writing between chunks is safe.
   */
  *iterateLive(options: ChunkOptions = {}): Generator<Item[]> {
    yield* this.pages(
      `SELECT ${ITEM_COLUMNS} FROM items ` +
        'WHERE deleted_at IS NULL AND id > ? ORDER BY id LIMIT ?',
      [],
      options,
    );
  }

  /** Live items with no vector for `modelVersion`, in id order. */
  *iterateMissingVectors(
    modelVersion: string,
    options: ChunkOptions = {},
  ): Generator<Item[]> {
    yield* this.pages(
      `SELECT ${ITEM_COLUMNS} FROM items i WHERE deleted_at IS NULL ` +
        // The primary key would answer too, but its leaves hold the
        // vectors themselves: at 100k items of 384 dimensions that read
        // 150 MB and took a second, the covering index 30 ms.
        'AND NOT EXISTS (SELECT 1 FROM item_vectors v ' +
        'INDEXED BY item_vectors_by_model ' +
        'WHERE v.model_version = ? AND v.item_id = i.id) ' +
        'AND id > ? ORDER BY id LIMIT ?',
      [modelVersion],
      options,
    );
  }

  /**
   * Stores (or replaces) vectors for `modelVersion` in one transaction.
   * Throws `bad_input` unless all vectors share one length and are
   * finite, `not_found` when an item does not exist.
   */
  saveVectors(modelVersion: string, vectors: readonly ItemVector[]): void {
    this.vectors.save(modelVersion, vectors);
  }

  /** Live items' vectors for `modelVersion` in item id order, by chunk. */
  iterateVectors(
    modelVersion: string,
    options: ChunkOptions = {},
  ): Generator<ItemVector[]> {
    return this.vectors.iterate(modelVersion, options);
  }

  /** The stored vectors of `itemIds` for `modelVersion`, by item id. */
  loadVectors(
    modelVersion: string,
    itemIds: readonly number[],
  ): Map<number, Float32Array> {
    return this.vectors.get(modelVersion, itemIds);
  }

  /** Ids of the live items with a vector for `modelVersion`, in order. */
  vectorIds(modelVersion: string): number[] {
    return this.vectors.ids(modelVersion);
  }

  /** How many live items have a vector for `modelVersion`. */
  countVectors(modelVersion: string): number {
    return this.vectors.count(modelVersion);
  }

  /** Deletes all vectors of `modelVersion`; returns how many. */
  deleteVectors(modelVersion: string): number {
    return this.vectors.delete(modelVersion);
  }

  /** Keyset pages over `sql`, whose last two parameters are id and limit. */
  private *pages(
    sql: string,
    params: readonly string[],
    options: ChunkOptions,
  ): Generator<Item[]> {
    const size = checkedCount(
      'chunkSize',
      options.chunkSize,
      DEFAULT_CHUNK_SIZE,
    );
    const page = this.db.prepare<unknown[], ItemRow>(sql);

    let after = options.after ?? 0;
    for (;;) {
      const rows = page.all(...params, after, size);
      if (rows.length === 0) return;
      after = rows[rows.length - 1]?.id ?? after;
      yield rows.map(itemFromRow);
    }
  }

  private insertError(err: unknown, item: NewItem): AppError {
    const externalId = item.externalId ?? null;
    const existing =
      externalId === null ? undefined : this.getByExternalId(externalId);
    return translateSqliteError(err, {
      action: 'insert item',
      conflict:
        `external id "${String(externalId)}" is already used by ` +
        (existing ? holderOf(existing) : 'another item'),
      details: { externalId, existingId: existing?.id },
    });
  }
}

/**
 * The item holding a taken external id, for a message: `item 7`, and
 * whether it is deleted, since a deleted item keeps its external id.
 */
export function holderOf(item: Item): string {
  return item.deletedAt
    ? `item ${item.id}, which is deleted; external ids are never reused`
    : `item ${item.id}`;
}

/** A batch that names one external id twice can never be stored. */
function checkBatchExternalIds(items: readonly NewItem[]): void {
  const seen = new Set<string>();
  for (const item of items) {
    const id = item.externalId;
    if (id === undefined || id === null) continue;
    if (seen.has(id)) {
      throw new AppError(
        ErrorCode.Conflict,
        `external id "${id}" appears more than once in the batch`,
        { externalId: id },
      );
    }
    seen.add(id);
  }
}
