/**
 * Filling indexes and vectors from SQLite: embedding the live items that
 * lack a vector for a model version, building an index from stored
 * vectors, and reconciling a loaded index with the store after a crash.
 * Long loops yield to the event loop between chunks so requests go on.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';

import type { Config } from '../config/config.js';
import type { SentenceEncoder } from '../encoder/types.js';
import { tuningFromConfig } from '../index/index-options.js';
import { IndexThread } from '../index/index-thread.js';
import type { Logger } from '../logging/logger.js';
import type { ItemStore } from '../store/item-store.js';

/** Texts embedded per forward pass when filling in vectors: 512. */
export const EMBED_BATCH = 512;

/** Vectors added to an index per chunk while building it: 1,000. */
export const BUILD_CHUNK = 1000;

/** Spare room over the expected item count in a new index: 25 %. */
const HEADROOM = 1.25;

/** Called after each chunk with the running total. */
export type ProgressCallback = (done: number) => void;

/**
 * Embeds, with `encoder`, every live item that has no vector for
 * `encoder.version`, `EMBED_BATCH` at a time, saving each batch in one
 * transaction. Returns how many items were embedded.
 */
export async function embedMissingVectors(
  encoder: SentenceEncoder,
  items: ItemStore,
  onProgress?: ProgressCallback,
): Promise<number> {
  let done = 0;
  const chunks = items.iterateMissingVectors(encoder.version, {
    chunkSize: EMBED_BATCH,
  });

  for (const chunk of chunks) {
    const vectors = await encoder.embed(chunk.map((item) => item.text));
    items.saveVectors(
      encoder.version,
      chunk.map((item, i) => ({
        itemId: item.id,
        vector: vectors[i] as Float32Array,
      })),
    );
    done += chunk.length;
    onProgress?.(done);
    await nextTurn();
  }
  return done;
}

/** An empty index for `modelVersion` sized for `expected` entries. */
export function emptyIndex(
  config: Config,
  modelVersion: string,
  dim: number,
  expected: number,
  logger: Logger,
): IndexThread {
  return IndexThread.create({
    ...tuningFromConfig(config),
    dim,
    modelVersion,
    initialCapacity: Math.max(16, Math.ceil(expected * HEADROOM)),
    logger,
  });
}

/**
 * Adds every stored vector of `index.modelVersion` (live items only) to
 * `index`, a chunk at a time, and settles once the index thread holds
 * them all. Entries already there are replaced. The next chunk is read
 * while the thread adds the last one; no more wait than that.
 */
export async function fillIndex(
  index: IndexThread,
  items: ItemStore,
): Promise<void> {
  const chunks = items.iterateVectors(index.modelVersion, {
    chunkSize: BUILD_CHUNK,
  });
  let previous: Promise<void> = Promise.resolve();
  for (const chunk of chunks) {
    const added = index.addMany(
      chunk.map(({ itemId, vector }) => ({ id: itemId, vector })),
    );
    await previous;
    previous = added;
  }
  await previous;
}

/** What {@link reconcileIndex} did. */
export interface Reconciliation {
  /** Live items with stored vectors that the index lacked, now added. */
  added: number;
  /**
   * True when the index still holds entries the store no longer has as
   * live items (deleted after the index was saved): rebuild it.
   */
  stale: boolean;
}

/**
 * Brings a loaded index up to date with SQLite: adds the live items whose
 * stored vectors it lacks, and reports whether it holds deleted items.
 * Synchronous, so nothing changes the store while it runs; the adds are
 * sent to the index thread, which applies them before any later search.
 */
export function reconcileIndex(
  index: IndexThread,
  items: ItemStore,
): Reconciliation {
  // Ids first: a saved index usually lacks few items or none, and
  // reading every stored vector would cost most of a start-up.
  const version = index.modelVersion;
  const ids = items.vectorIds(version);
  const missing = ids.filter((id) => !index.has(id));
  for (let i = 0; i < missing.length; i += BUILD_CHUNK) {
    const chunk = missing.slice(i, i + BUILD_CHUNK);
    const vectors = items.loadVectors(version, chunk);
    void index.addMany(
      chunk.flatMap((id) => {
        const vector = vectors.get(id);
        return vector ? [{ id, vector }] : [];
      }),
    );
  }

  // Every live item with a vector is now in the index, so any surplus
  // is an item deleted after the index was saved.
  const stale = index.size > ids.length;
  return { added: missing.length, stale };
}
