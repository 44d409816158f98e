/**
 * Keeping a serving index in step with changes other processes make to
 * the same SQLite file: `siamese-dedup import` while `serve` runs, or
 * several serving processes over one file. Each process indexes its own
 * ingests at once; these functions take in the rest, by item id for
 * new items (ids only grow) and by the count of deleted items for
 * deletions, so a look that finds nothing costs two small queries.
 */
import type { IndexThread } from '../index/index-thread.js';
import type { ItemStore } from '../store/item-store.js';
import { BUILD_CHUNK } from './index-building.js';

/** What one look at the store changed in the index. */
export interface StoreSync {
  /** Items stored elsewhere, now indexed. */
  added: number;
  /** Items deleted elsewhere, now out of the index. */
  removed: number;
}

/** Where a process's last look at the store left off. */
export interface SyncMark {
  /** Every item with an id up to this one has been seen. */
  throughId: number;
  /** Deleted items counted at the last look. */
  deleted: number;
}

/** The mark of a store as it is now. */
export function markOf(items: ItemStore): SyncMark {
  return { throughId: items.maxId(), deleted: items.count().deleted };
}

/** True when the store has changed since `mark` in a way to take in. */
export function changedSince(items: ItemStore, mark: SyncMark): boolean {
  return (
    items.maxId() > mark.throughId || items.count().deleted !== mark.deleted
  );
}

/**
 * Adds to `indexes` (all of `version`) the live items after
 * `mark.throughId` whose stored vectors they lack, and removes from
 * them the items deleted since `mark`. Synchronous, so no ingest of
 * this process interleaves. Returns what changed and the new mark.
 */
export function takeInChanges(
  items: ItemStore,
  version: string,
  indexes: readonly IndexThread[],
  mark: SyncMark,
): { sync: StoreSync; mark: SyncMark } {
  const now = markOf(items);
  const sync = { added: 0, removed: 0 };

  for (const chunk of items.iterateVectors(version, {
    after: mark.throughId,
    chunkSize: BUILD_CHUNK,
  })) {
    indexes.forEach((index, i) => {
      const missing = chunk.filter(({ itemId }) => !index.has(itemId));
      if (i === 0) sync.added += missing.length;
      void index.addMany(
        missing.map((v) => ({ id: v.itemId, vector: v.vector })),
      );
    });
  }

  if (now.deleted !== mark.deleted) {
    for (const id of items.deletedIds()) {
      let removed = false;
      for (const index of indexes) removed = index.remove(id) || removed;
      if (removed) sync.removed += 1;
    }
  }
  return { sync, mark: now };
}
