/**
 * The review queue's settings, taken from the validated configuration
 * and checked together: the three selection shares must leave room for
 * one another.
 */
import type { Config } from '../config/config.js';
import { AppError, ErrorCode } from '../errors/app-error.js';

/** How later picks (after the warm-up) are shared between strategies. */
export interface SelectionShares {
  /** Share of pairs whose energy is nearest the threshold. */
  uncertain: number;
  /** Share of pairs the encoder and word overlap judge differently. */
  disagree: number;
  /** Share drawn uniformly at random, in every phase. */
  random: number;
}

/** How the queue chooses pairs. */
export interface SelectionPolicy {
  /**
   * While either class has fewer labels than this, picks are split
   * between likely duplicates and likely different pairs.
   */
  warmupLabels: number;
  /** Shares of the strategies; they sum to 1. */
  shares: SelectionShares;
  /**
   * Share of the open pool, at the head of the uncertain or the
   * disagreement order, that each such pick is drawn from at random, in
   * [0, 1]; 0 takes the head itself.
   */
  band: number;
}

/** Everything the queue is configured by. */
export interface ReviewSettings {
  /** How pairs are chosen. */
  policy: SelectionPolicy;
  /** Seconds a pair stays reserved for the reviewer it was given to. */
  reservationSeconds: number;
  /** Share of pairs sent to a second reviewer, in [0, 1]. */
  overlap: number;
  /** Nearest neighbours per item taken as candidates by the sweep. */
  neighbours: number;
}

/** The defaults, as the configuration gives them. */
export const DEFAULT_SHARES: SelectionShares = {
  uncertain: 0.8,
  disagree: 0.1,
  random: 0.1,
};

type ReviewConfig = Pick<
  Config,
  | 'REVIEW_RESERVATION_SECONDS'
  | 'REVIEW_OVERLAP'
  | 'REVIEW_WARMUP_LABELS'
  | 'REVIEW_RANDOM_SHARE'
  | 'REVIEW_DISAGREE_SHARE'
  | 'REVIEW_BAND'
  | 'REVIEW_NEIGHBOURS'
>;

/**
 * The queue's settings from `config`. The uncertain share is what the
 * random and disagreement shares leave. Throws `bad_config` when those
 * two add up to more than 1.
 */
export function reviewSettings(config: ReviewConfig): ReviewSettings {
  const random = config.REVIEW_RANDOM_SHARE;
  const disagree = config.REVIEW_DISAGREE_SHARE;
  if (random + disagree > 1 + 1e-9) {
    throw new AppError(
      ErrorCode.BadConfig,
      `REVIEW_RANDOM_SHARE (${random}) plus REVIEW_DISAGREE_SHARE ` +
        `(${disagree}) is more than 1; lower one of them (the rest of ` +
        'the picks go to uncertain pairs)',
    );
  }

  return {
    policy: {
      warmupLabels: config.REVIEW_WARMUP_LABELS,
      shares: {
        uncertain: Math.max(0, 1 - random - disagree),
        disagree,
        random,
      },
      band: config.REVIEW_BAND,
    },
    reservationSeconds: config.REVIEW_RESERVATION_SECONDS,
    overlap: config.REVIEW_OVERLAP,
    neighbours: config.REVIEW_NEIGHBOURS,
  };
}
