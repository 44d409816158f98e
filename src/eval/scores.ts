/**
 * Which way a list of scores points. The encoder produces an energy (the
 * distance between two sentence vectors: lower means more alike); the
 * lexical baselines produce a similarity (higher means more alike). Every
 * metric takes a {@link Scores} that names one of the two, so a caller
 * never has to remember to flip signs.
 */
import { AppError, ErrorCode } from '../errors/app-error.js';

/** One score per pair, as a similarity or as an energy. */
export type Scores =
  | {
      /** Higher = more alike; a pair is positive when >= threshold. */
      readonly similarity: readonly number[];
    }
  | {
      /** Lower = more alike; a pair is positive when <= threshold. */
      readonly energy: readonly number[];
    };

/** 0/1 labels, one per pair; 1 = duplicate / relevant. */
export type Labels = readonly (0 | 1)[];

/**
 * The scores as similarities (energies are negated, so the order of
 * "more alike" is kept). Throws an `AppError` (`bad_input`) on a value
 * that is not a finite number.
 */
export function toSimilarities(scores: Scores): number[] {
  const energy = 'energy' in scores;
  const values = energy ? scores.energy : scores.similarity;

  return values.map((value, index) => {
    if (!Number.isFinite(value)) {
      throw new AppError(
        ErrorCode.BadInput,
        `score ${index} is ${value}; expected a finite number`,
        { index },
      );
    }
    return energy ? -value : value;
  });
}

/** A threshold in the caller's units turned into similarity units. */
export function thresholdToSimilarity(
  scores: Scores,
  threshold: number,
): number {
  return 'energy' in scores ? -threshold : threshold;
}

/** A similarity-unit threshold turned back into the caller's units. */
export function thresholdFromSimilarity(
  scores: Scores,
  threshold: number,
): number {
  return 'energy' in scores ? -threshold : threshold;
}

/**
 * Similarities checked against their labels: same length, not empty,
 * labels 0 or 1. Throws an `AppError` (`bad_input`) otherwise.
 */
export function checkedSimilarities(scores: Scores, labels: Labels): number[] {
  const similarities = toSimilarities(scores);
  if (similarities.length !== labels.length) {
    throw new AppError(
      ErrorCode.BadInput,
      `got ${similarities.length} scores but ${labels.length} labels`,
    );
  }
  if (similarities.length === 0) {
    throw new AppError(ErrorCode.BadInput, 'no scores to evaluate');
  }

  labels.forEach((label, index) => {
    if (label !== 0 && label !== 1) {
      throw new AppError(
        ErrorCode.BadInput,
        `label ${index} is ${String(label)}; expected 0 or 1`,
        { index },
      );
    }
  });
  return similarities;
}
