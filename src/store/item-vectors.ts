/**
 * The `item_vectors` table: one vector per item and model version, so the
 * index can be rebuilt from SQLite without running the encoder. Used
 * through {@link ItemStore}.
 */
import type { Database } from 'better-sqlite3';

import { AppError, ErrorCode } from '../errors/app-error.js';
import type { ChunkOptions, ItemVector } from './item-types.js';
import { checkedCount, checkedId, DEFAULT_CHUNK_SIZE } from './paging.js';
import { translateSqliteError, withSqliteErrors } from './sqlite-error.js';
import { decodeVector, encodeVector } from './vector-codec.js';

interface VectorRow {
  item_id: number;
  vector: Buffer;
}

/** Reads and writes item vectors; see {@link ItemStore} for the API. */
export class ItemVectorTable {
  private readonly db: Database;

  constructor(db: Database) {
    this.db = db;
  }

  /** Upserts `vectors` for `modelVersion` in one transaction. */
  save(modelVersion: string, vectors: readonly ItemVector[]): void {
    checkVersion(modelVersion);
    checkVectors(vectors);

    const upsert = this.db.prepare<[number, string, Buffer]>(
      'INSERT INTO item_vectors (item_id, model_version, vector) ' +
        'VALUES (?, ?, ?) ON CONFLICT (item_id, model_version) ' +
        'DO UPDATE SET vector = excluded.vector',
    );

    const saveAll = this.db.transaction(() => {
      for (const { itemId, vector } of vectors) {
        try {
          upsert.run(itemId, modelVersion, encodeVector(vector));
        } catch (err) {
          throw translateSqliteError(err, {
            action: `save the vector of item ${itemId}`,
            details: { itemId, 'model.version': modelVersion },
          });
        }
      }
    });
    withSqliteErrors({ action: 'save item vectors' }, () => saveAll());
  }

  /** Live items' vectors in item id order, `chunkSize` at a time. */
  *iterate(
    modelVersion: string,
    options: ChunkOptions = {},
  ): Generator<ItemVector[]> {
    const size = checkedCount(
      'chunkSize',
      options.chunkSize,
      DEFAULT_CHUNK_SIZE,
    );
    const page = this.db.prepare<[string, number, number], VectorRow>(
      'SELECT v.item_id, v.vector FROM item_vectors v ' +
        'JOIN items i ON i.id = v.item_id ' +
        'WHERE v.model_version = ? AND v.item_id > ? ' +
        'AND i.deleted_at IS NULL ORDER BY v.item_id LIMIT ?',
    );

    // Keyset paging, not one open cursor, so callers may write between
    // chunks on the same connection.
    let after = options.after ?? 0;
    for (;;) {
      const rows = page.all(modelVersion, after, size);
      if (rows.length === 0) return;
      after = rows[rows.length - 1]?.item_id ?? after;
      yield rows.map(vectorFromRow);
    }
  }

  /** The vectors of the given items that exist, keyed by item id. */
  get(
    modelVersion: string,
    itemIds: readonly number[],
  ): Map<number, Float32Array> {
    itemIds.forEach((id) => checkedId('itemId', id));
    const rows = this.db
      .prepare<[string, string], VectorRow>(
        'SELECT item_id, vector FROM item_vectors WHERE model_version = ? ' +
          'AND item_id IN (SELECT value FROM json_each(?))',
      )
      .all(modelVersion, JSON.stringify(itemIds));
    return new Map(rows.map((row) => [row.item_id, decodeVector(row.vector)]));
  }

  /**
   * Ids of the live items that have a vector for `modelVersion`, in id
   * order: what an index of that version should hold, without reading
   * the vectors themselves.
   */
  ids(modelVersion: string): number[] {
    return this.db
      .prepare<[string], number>(
        'SELECT v.item_id FROM item_vectors v JOIN items i ' +
          'ON i.id = v.item_id ' +
          'WHERE v.model_version = ? AND i.deleted_at IS NULL ' +
          'ORDER BY v.item_id',
      )
      .pluck()
      .all(modelVersion);
  }

  /** Live items that have a vector for `modelVersion`. */
  count(modelVersion: string): number {
    return this.db
      .prepare<[string], number>(
        'SELECT count(*) FROM item_vectors v JOIN items i ' +
          'ON i.id = v.item_id ' +
          'WHERE v.model_version = ? AND i.deleted_at IS NULL',
      )
      .pluck()
      .get(modelVersion) as number;
  }

  /** Deletes every vector of `modelVersion`; returns how many. */
  delete(modelVersion: string): number {
    return this.db
      .prepare<[string]>('DELETE FROM item_vectors WHERE model_version = ?')
      .run(modelVersion).changes;
  }
}

function vectorFromRow(row: VectorRow): ItemVector {
  return { itemId: row.item_id, vector: decodeVector(row.vector) };
}

function checkVersion(modelVersion: string): void {
  if (typeof modelVersion !== 'string' || modelVersion.length === 0) {
    throw new AppError(
      ErrorCode.BadInput,
      'model version must be a non-empty string',
    );
  }
}

/** All vectors non-empty, of one length and finite. */
function checkVectors(vectors: readonly ItemVector[]): void {
  const dim = vectors[0]?.vector.length;

  for (const [i, { itemId, vector }] of vectors.entries()) {
    checkedId(`vectors[${i}].itemId`, itemId);
    if (vector.length === 0 || vector.length !== dim) {
      throw new AppError(
        ErrorCode.BadInput,
        `vector of item ${itemId} has ${vector.length} values; ` +
          `expected ${String(dim)} like the first in the batch`,
        { itemId },
      );
    }
    if (!vector.every(Number.isFinite)) {
      throw new AppError(
        ErrorCode.BadInput,
        `vector of item ${itemId} holds a NaN or infinite value`,
        { itemId },
      );
    }
  }
}
