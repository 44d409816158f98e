/**
 * Turning raw nearest-neighbour hits into what callers see: the item's
 * text, energy and similarity, nearest first, deleted items left out.
 */
import { energy, similarityFromEnergy } from '../encoder/types.js';
import type { Neighbour as Hit } from '../index/index-types.js';
import type { Item } from '../store/item-types.js';
import type { Neighbour } from './service-types.js';

export type { Hit };

/**
 * Attaches texts and similarities to `hits`, keeping their order and
 * dropping ids that are missing from `items` or deleted.
 */
export function describeHits(
  hits: readonly Hit[],
  items: ReadonlyMap<number, Item>,
  margin: number,
): Neighbour[] {
  const out: Neighbour[] = [];
  for (const { id, energy: e } of hits) {
    const item = items.get(id);
    if (!item || item.deletedAt !== null) continue;
    out.push({
      id,
      text: item.text,
      energy: e,
      similarity: similarityFromEnergy(e, margin),
    });
  }
  return out;
}

/**
 * Hits of `vectors[i]` among the earlier vectors of the same batch,
 * `vectors[0..i)`, labelled with `ids`; brute force, as batches are
 * small.
 */
export function earlierInBatch(
  vectors: readonly Float32Array[],
  ids: readonly number[],
  i: number,
): Hit[] {
  const query = vectors[i] as Float32Array;
  const hits: Hit[] = [];
  for (let j = 0; j < i; j++) {
    hits.push({
      id: ids[j] as number,
      energy: energy(query, vectors[j] as Float32Array),
    });
  }
  return hits;
}

/** The `k` nearest of `hits`, nearest first (ties by id). */
export function nearest(hits: readonly Hit[], k: number): Hit[] {
  return [...hits]
    .sort((x, y) => x.energy - y.energy || x.id - y.id)
    .slice(0, k);
}
