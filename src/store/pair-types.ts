/** The shapes the pair store reads and writes. */

/** Where a label came from. */
export type PairSource = 'import' | 'api' | 'reviewer';

/** Every {@link PairSource}, for validation. */
export const PAIR_SOURCES: readonly PairSource[] = [
  'import',
  'api',
  'reviewer',
];

/** Duplicate (1) or not (0). */
export type PairLabel = 0 | 1;

/** One side of a pair: a stored item, or a text that is not stored. */
export type PairSide = { itemId: number } | { text: string };

/** A labelled pair to store. */
export interface NewPair {
  /** First side. */
  a: PairSide;
  /** Second side; the order of a and b does not matter to the pair key. */
  b: PairSide;
  /** 1 when a and b say the same thing, 0 when not. */
  label: PairLabel;
  /** Where the label came from. */
  source: PairSource;
  /** Who gave the label (reviewer name, API key name), or null. */
  who?: string | null;
}

/** A stored labelled pair. */
export interface Pair {
  /** Row id; grows with every pair added. */
  id: number;
  /** First side as given. */
  a: PairSide;
  /** Second side as given. */
  b: PairSide;
  /** 1 duplicate, 0 not. */
  label: PairLabel;
  /** Where the label came from. */
  source: PairSource;
  /** Who gave the label, or null. */
  who: string | null;
  /** Order-independent key shared by every label of the same pair. */
  pairKey: string;
  /** When it was stored, ISO-8601 UTC. */
  createdAt: string;
}

/** Filters of {@link PairStore.list} and {@link PairStore.count}. */
export interface PairFilter {
  /** Only this label. */
  label?: PairLabel;
  /** Only this source. */
  source?: PairSource;
  /** Only labels given by this person or key. */
  who?: string;
}

/**
 * A page request: oldest first by id. Give `offset` to skip rows, or
 * `after` (the `nextAfter` of the previous page) to continue from a
 * cursor, which stays correct while pairs are being added; not both.
 */
export interface PairPageRequest extends PairFilter {
  /** Pairs per page, 1 to 100,000. Default 100. */
  limit?: number;
  /** Pairs to skip. Default 0. */
  offset?: number;
  /** Only pairs with an id greater than this. */
  after?: number;
}

/** One page of pairs. */
export interface PairPage {
  /** The pairs, oldest first. */
  pairs: Pair[];
  /** Pass as `after` for the next page; null when this page is the last. */
  nextAfter: number | null;
}

/** A labelled pair with both texts, ready for training. */
export interface TrainingPair {
  /** The pair's id. */
  id: number;
  /** Text of side a (the item's text for an item side). */
  a: string;
  /** Text of side b. */
  b: string;
  /** 1 duplicate, 0 not. */
  label: PairLabel;
  /** Shared by every label of the same pair, to resolve conflicts. */
  pairKey: string;
}

/** A pair that has been labelled both 0 and 1. */
export interface PairConflict {
  /** The pair's key. */
  pairKey: string;
  /** How many labels said duplicate. */
  positives: number;
  /** How many labels said not duplicate. */
  negatives: number;
  /** Ids of every pair row with this key, oldest first. */
  pairIds: number[];
}
