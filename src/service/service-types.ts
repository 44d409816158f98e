/** The shapes the dedup service takes and returns. */
import type { Item, ItemCounts } from '../store/item-types.js';
import type { PairFilter, PairLabel, PairSource } from '../store/pair-types.js';

export type { Item, ItemCounts, PairLabel, PairSource };

/** A text to add to the corpus. */
export interface IngestInput {
  /** The text; not blank, at most MAX_TEXT_CHARS characters. */
  text: string;
  /** The caller's own id, unique among all items ever stored. */
  externalId?: string | null;
  /** A JSON object kept with the item. */
  metadata?: Record<string, unknown> | null;
}

/** A stored item that is close to a query. */
export interface Neighbour {
  /** The item's id. */
  id: number;
  /** The item's text. */
  text: string;
  /** Euclidean distance between the two vectors; 0 for the same text. */
  energy: number;
  /** 1 - energy / margin, clipped to [0, 1]. */
  similarity: number;
}

/** What ingesting one text returns. */
export interface IngestResult {
  /** The stored item. */
  item: Item;
  /**
   * Items that were in the corpus before this one (earlier items of the
   * same batch included), nearest first, at most INGEST_NEIGHBOURS of
   * them, only those closer than the model's margin.
   */
  duplicates: Neighbour[];
  /**
   * True when the nearest earlier item is within the model's threshold.
   * Advisory: the item is stored either way.
   */
  duplicate: boolean;
}

/**
 * Told about every ingest that stored items: the results (likely
 * duplicates included), the version of the model that scored them, and
 * how many nearest earlier items each item was looked up against (0
 * for a bulk load that looks up none).
 */
export type IngestListener = (
  results: readonly IngestResult[],
  modelVersion: string,
  searched: number,
) => void;

/** Options of an ingest. */
export interface IngestOptions {
  /** Look up neighbours of each new item. Default true; bulk imports
   * turn it off to save time. */
  neighbours?: boolean;
}

/** The energy between two texts under the serving model. */
export interface ScoreResult {
  /** Euclidean distance between the two vectors. */
  energy: number;
  /** 1 - energy / margin, clipped to [0, 1]. */
  similarity: number;
  /** True when energy <= the model's threshold. */
  duplicate: boolean;
}

/** One side of a pair to label: a live item's id or a bare text. */
export type PairSideInput = { itemId: number } | { text: string };

/** A labelled pair as callers give it. */
export interface PairInput {
  /** First side. */
  a: PairSideInput;
  /** Second side. */
  b: PairSideInput;
  /** 1 duplicate, 0 not. */
  label: PairLabel;
}

/** Who labelled a set of pairs, and through what. */
export interface PairOrigin {
  /** `api` for HTTP callers, `import` for files, `reviewer` for people. */
  source: PairSource;
  /** A person or key name, or null. Default null. */
  who?: string | null;
}

/** A stored pair with the texts of both sides. */
export interface PairView {
  /** The pair's id. */
  id: number;
  /** Item id of side a, or null when side a is a bare text. */
  aItemId: number | null;
  /** Text of side a (the item's text for an item side). */
  a: string;
  /** Item id of side b, or null. */
  bItemId: number | null;
  /** Text of side b. */
  b: string;
  /** 1 duplicate, 0 not. */
  label: PairLabel;
  /** Where the label came from. */
  source: PairSource;
  /** Who gave it, or null. */
  who: string | null;
  /** When it was stored, ISO-8601 UTC. */
  createdAt: string;
}

/**
 * A page request over pairs, oldest first: `offset` or `after` (the
 * previous page's `nextAfter`), not both.
 */
export interface PairListRequest extends PairFilter {
  /** Pairs per page. Default 100. */
  limit?: number;
  /** Pairs to skip. */
  offset?: number;
  /** Only pairs with a larger id. */
  after?: number;
}

/** One page of pairs. */
export interface PairList {
  /** The pairs, oldest first. */
  pairs: PairView[];
  /** Pass as `after` for the next page; null on the last page. */
  nextAfter: number | null;
  /** How many pairs match the filters, over all pages. */
  total: number;
}

/** How the serving index came to be at start-up. */
export type IndexOrigin = 'loaded' | 'rebuilt';

/** What the service is doing, for readiness probes and metrics. */
export interface ServiceStatus {
  /** True once the model and index are loaded. */
  ready: boolean;
  /** Serving model version, or null before start. */
  modelVersion: string | null;
  /** Duplicate threshold on energy, or null before start. */
  threshold: number | null;
  /** Contrastive margin of the serving model, or null before start. */
  margin: number | null;
  /** Live entries in the index. */
  indexSize: number;
  /** Deleted entries still in the index graph. */
  indexDeleted: number;
  /** Beam width of index searches (HNSW_EF, widened for a large graph),
   * or null before start. */
  indexEf: number | null;
  /** Whether the start-up index was loaded from disk or rebuilt. */
  indexOrigin: IndexOrigin | null;
}
