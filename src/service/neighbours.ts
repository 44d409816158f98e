/**
 * Turning raw nearest-neighbour hits into what callers see: the item's
 * text, energy and similarity, nearest first, deleted items left out.
 */
import { similarityFromEnergy } from '../encoder/types.js';
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

/** The `k` nearest of `hits`, nearest first (ties by id). */
export function nearest(hits: readonly Hit[], k: number): Hit[] {
  return [...hits]
    .sort((x, y) => x.energy - y.energy || x.id - y.id)
    .slice(0, k);
}
