/**
 * Correlation between model scores and graded human judgements (STS-B,
 * SICK): Pearson on the values, Spearman on their ranks.
 */
import { AppError, ErrorCode } from '../errors/app-error.js';
import { averageRanks } from './ranks.js';
import { toSimilarities, type Scores } from './scores.js';

/**
 * Pearson's correlation coefficient of `x` and `y`, in [-1, 1]. NaN when
 * either side is constant (the coefficient is undefined there, and a
 * collapsed model should show as NaN in a report rather than abort it).
 * Throws an `AppError` (`bad_input`) for unequal lengths, fewer than two
 * values or a value that is not finite.
 */
export function pearson(x: readonly number[], y: readonly number[]): number {
  checkPaired(x, y);
  const meanX = mean(x);
  const meanY = mean(y);

  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  x.forEach((xi, index) => {
    const dx = xi - meanX;
    const dy = (y[index] as number) - meanY;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  });

  if (sxx === 0 || syy === 0) return Number.NaN;
  // Rounding can push |r| a hair past 1 for perfectly related values.
  return Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
}

/**
 * Spearman's rank correlation: Pearson over the ranks of `x` and `y`,
 * ties given their average rank (as scipy's `spearmanr`). NaN and errors
 * as for {@link pearson}.
 */
export function spearman(x: readonly number[], y: readonly number[]): number {
  checkPaired(x, y);
  return pearson(averageRanks(x), averageRanks(y));
}

/** Both correlations of a graded evaluation. */
export interface Correlations {
  /** Pearson's r between similarity and gold score. */
  pearson: number;
  /** Spearman's rho between similarity and gold score. */
  spearman: number;
}

/**
 * Pearson and Spearman between model `scores` and human `gold` scores.
 * Energies are negated first, so a good model correlates positively
 * whichever way its scores point.
 */
export function correlations(
  scores: Scores,
  gold: readonly number[],
): Correlations {
  const similarities = toSimilarities(scores);
  return {
    pearson: pearson(similarities, gold),
    spearman: spearman(similarities, gold),
  };
}

function checkPaired(x: readonly number[], y: readonly number[]): void {
  if (x.length !== y.length) {
    throw new AppError(
      ErrorCode.BadInput,
      `correlation needs equal lengths, got ${x.length} and ${y.length}`,
    );
  }
  if (x.length < 2) {
    throw new AppError(
      ErrorCode.BadInput,
      `correlation needs at least 2 values, got ${x.length}`,
    );
  }
  for (const value of [...x, ...y]) {
    if (!Number.isFinite(value)) {
      throw new AppError(
        ErrorCode.BadInput,
        `correlation got ${value}; expected finite numbers`,
      );
    }
  }
}

function mean(values: readonly number[]): number {
  let sum = 0;
  for (const value of values) sum += value;
  return sum / values.length;
}
