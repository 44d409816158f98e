/**
 * What the review queue needs from the serving side: the model's facts,
 * nearest neighbours of a text, and news of ingested items. The dedup
 * service provides all three through {@link serviceSource}; tests may
 * give their own.
 */
import type { DedupService } from '../service/dedup-service.js';
import type { IngestListener } from '../service/service-types.js';
import type { ModelFacts } from './review-types.js';

/** A stored item near a text. */
export interface NeighbourHit {
  /** The item's id. */
  id: number;
  /** The item's text. */
  text: string;
  /** Energy between the text and the item. */
  energy: number;
}

export type { IngestListener };

/** A stored item whose neighbours are wanted. */
export interface ReviewItem {
  id: number;
  text: string;
}

/** The serving side, as the review queue sees it. */
export interface ReviewSource {
  /** The serving model, or undefined while none is loaded. */
  model(): ModelFacts | undefined;
  /**
   * The `k` live items nearest to the stored `item`, nearest first, the
   * item itself left out.
   */
  neighbours(item: ReviewItem, k: number): Promise<NeighbourHit[]>;
  /**
   * Subscribes to ingests; returns the function that unsubscribes.
   * Optional: without it, new items reach the queue through the sweep.
   */
  onIngest?(listener: IngestListener): () => void;
}

/** The dedup service as a {@link ReviewSource}. */
export function serviceSource(service: DedupService): ReviewSource {
  return {
    model() {
      const status = service.status();
      if (!status.ready || status.modelVersion === null) return undefined;
      if (status.threshold === null || status.margin === null) return undefined;
      return {
        version: status.modelVersion,
        threshold: status.threshold,
        margin: status.margin,
      };
    },
    neighbours: (item, k) => service.searchItem(item, k),
    onIngest: (listener) => service.onIngest(listener),
  };
}
