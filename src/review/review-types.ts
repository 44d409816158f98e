/** The shapes the review queue takes and returns. */

/** What a reviewer can say about a pair. */
export type Decision = 'duplicate' | 'different' | 'skip';

/** Every {@link Decision}, for validation. */
export const DECISIONS: readonly Decision[] = [
  'duplicate',
  'different',
  'skip',
];

/** A decision that labels the pair (everything but a skip). */
export type LabelDecision = Exclude<Decision, 'skip'>;

/**
 * Why the queue chose a pair: `warmup` (collecting both classes while
 * labels are few), `uncertain` (energy near the threshold), `disagree`
 * (encoder and word overlap rank it far apart), `random` (a uniform
 * draw that keeps the model's estimated accuracy honest) or `skipped`
 * (skipped by this reviewer before, offered again once nothing else is
 * left).
 */
export type PickReason =
  'warmup' | 'uncertain' | 'disagree' | 'random' | 'skipped';

/** Where a candidate pair was found. */
export type CandidateOrigin = 'ingest' | 'neighbour';

/** The serving model as the queue needs to know it. */
export interface ModelFacts {
  /** Model version; energies are only compared within one version. */
  version: string;
  /** Energy at or under which the model calls a pair a duplicate. */
  threshold: number;
  /** Contrastive margin; similarity is 1 - energy / margin. */
  margin: number;
}

/** One side of a pair shown to a reviewer. */
export interface ReviewSide {
  /** The item's id. */
  id: number;
  /** The item's text. */
  text: string;
}

/** A pair reserved for a reviewer, as the API shows it. */
export interface ReviewPair {
  /** The candidate's id, used to answer. */
  pairId: number;
  /** First item. */
  a: ReviewSide;
  /** Second item. */
  b: ReviewSide;
  /** Euclidean distance between the two items' vectors. */
  energy: number;
  /** 1 - energy / margin, clipped to [0, 1]. */
  similarity: number;
  /** What the model says: duplicate when energy <= threshold. */
  guess: LabelDecision;
  /** When the reservation runs out, ISO-8601 UTC. */
  reservedUntil: string;
}

/** What asking for pairs returns. */
export interface NextPairs {
  /** The reserved pairs, held ones first; empty when none are left. */
  pairs: ReviewPair[];
  /** Pairs still waiting for this reviewer after these. */
  remaining: number;
}

/** What answering a pair returns. */
export interface DecisionResult {
  /** The candidate answered. */
  pairId: number;
  /** The decision recorded. */
  decision: Decision;
  /** Id of the labelled pair written to the pair store; null for a skip. */
  labelId: number | null;
}

/** What an undo returns. */
export interface UndoResult {
  /** The decision that was undone. */
  decision: Decision;
  /** Id of the label that was removed; null for a skip. */
  removedLabelId: number | null;
  /**
   * The pair, reserved again for the reviewer to answer anew; null when
   * one of its items was deleted meanwhile.
   */
  pair: ReviewPair | null;
}
