/**
 * Metrics for pairs labelled duplicate (1) or not (0): threshold metrics
 * (accuracy, precision, recall, F1), the accuracy-maximising threshold,
 * and the threshold-free average precision and ROC AUC.
 *
 * Scores come as a {@link Scores}: with `energy`, a pair is predicted a
 * duplicate when its energy is <= the threshold; with `similarity`, when
 * its similarity is >= the threshold. Thresholds are given and returned
 * in the caller's units.
 */
import { AppError, ErrorCode } from '../errors/app-error.js';
import { averageRanks } from './ranks.js';
import {
  checkedSimilarities,
  thresholdFromSimilarity,
  thresholdToSimilarity,
  type Labels,
  type Scores,
} from './scores.js';

/** Counts of a confusion matrix at one threshold. */
export interface Confusion {
  /** Duplicates predicted as duplicates. */
  truePositives: number;
  /** Non-duplicates predicted as duplicates. */
  falsePositives: number;
  /** Non-duplicates predicted as non-duplicates. */
  trueNegatives: number;
  /** Duplicates predicted as non-duplicates. */
  falseNegatives: number;
}

/** The confusion matrix of the predictions made at `threshold`. */
export function confusionAt(
  scores: Scores,
  labels: Labels,
  threshold: number,
): Confusion {
  const similarities = checkedSimilarities(scores, labels);
  const cut = thresholdToSimilarity(scores, threshold);
  const counts: Confusion = {
    truePositives: 0,
    falsePositives: 0,
    trueNegatives: 0,
    falseNegatives: 0,
  };

  similarities.forEach((similarity, index) => {
    const predicted = similarity >= cut;
    const actual = labels[index] === 1;
    if (predicted && actual) counts.truePositives += 1;
    else if (predicted) counts.falsePositives += 1;
    else if (actual) counts.falseNegatives += 1;
    else counts.trueNegatives += 1;
  });
  return counts;
}

/** Share of pairs predicted correctly at `threshold`, in [0, 1]. */
export function accuracyAt(
  scores: Scores,
  labels: Labels,
  threshold: number,
): number {
  const c = confusionAt(scores, labels, threshold);
  return (c.truePositives + c.trueNegatives) / labels.length;
}

/**
 * Share of predicted duplicates that are duplicates, at `threshold`;
 * 0 when nothing is predicted a duplicate (as sklearn's default).
 */
export function precisionAt(
  scores: Scores,
  labels: Labels,
  threshold: number,
): number {
  return precisionOf(confusionAt(scores, labels, threshold));
}

/**
 * Share of duplicates predicted as duplicates, at `threshold`; 0 when
 * there are no duplicates.
 */
export function recallAt(
  scores: Scores,
  labels: Labels,
  threshold: number,
): number {
  return recallOf(confusionAt(scores, labels, threshold));
}

/**
 * Harmonic mean of precision and recall at `threshold`; 0 when both
 * are 0.
 */
export function f1At(
  scores: Scores,
  labels: Labels,
  threshold: number,
): number {
  return f1Of(confusionAt(scores, labels, threshold));
}

/** Precision of a confusion matrix; 0 with no predicted positives. */
export function precisionOf(c: Confusion): number {
  const predicted = c.truePositives + c.falsePositives;
  return predicted === 0 ? 0 : c.truePositives / predicted;
}

/** Recall of a confusion matrix; 0 with no actual positives. */
export function recallOf(c: Confusion): number {
  const actual = c.truePositives + c.falseNegatives;
  return actual === 0 ? 0 : c.truePositives / actual;
}

/** F1 of a confusion matrix; 0 when precision and recall are both 0. */
export function f1Of(c: Confusion): number {
  const denominator = 2 * c.truePositives + c.falsePositives + c.falseNegatives;
  return denominator === 0 ? 0 : (2 * c.truePositives) / denominator;
}

/** The threshold that maximises accuracy, and that accuracy. */
export interface ThresholdChoice {
  /** Threshold in the caller's units (an energy or a similarity). */
  threshold: number;
  /** Accuracy at that threshold, in [0, 1]. */
  accuracy: number;
}

/**
 * The threshold with the highest accuracy. Candidates lie halfway
 * between neighbouring distinct scores, so no score sits on the
 * threshold and equal scores always fall on the same side; below the
 * lowest and above the highest score the candidate is half the
 * neighbouring gap away (half a unit when all scores are equal). Among
 * equally accurate candidates the strictest one wins, the one that calls
 * the fewest pairs duplicates.
 */
export function bestThreshold(scores: Scores, labels: Labels): ThresholdChoice {
  const similarities = checkedSimilarities(scores, labels);
  const groups = distinctDescending(similarities, labels);
  const negatives = labels.length - countPositives(labels);

  // Start with nothing predicted positive, then admit one distinct
  // score at a time, from the most similar down.
  const top = groups[0] as ScoreGroup;
  let best = { cut: above(top.value, halfGap(groups, 0)), correct: negatives };
  let correct = negatives;

  groups.forEach((group, index) => {
    correct += group.positives - group.negatives;
    if (correct > best.correct) {
      const next = groups[index + 1];
      const cut =
        next === undefined
          ? group.value - halfGap(groups, index)
          : midpoint(group.value, next.value);
      best = { cut, correct };
    }
  });

  return {
    threshold: thresholdFromSimilarity(scores, best.cut),
    accuracy: best.correct / labels.length,
  };
}

/**
 * Average precision as sklearn's `average_precision_score` computes it:
 * the sum over distinct thresholds of (recall gained) x (precision
 * there), with no interpolation. Equal scores count as one threshold.
 * Throws an `AppError` (`bad_input`) when no label is 1.
 */
export function averagePrecision(scores: Scores, labels: Labels): number {
  const similarities = checkedSimilarities(scores, labels);
  const positives = countPositives(labels);
  if (positives === 0) {
    throw new AppError(
      ErrorCode.BadInput,
      'average precision needs at least one label 1',
    );
  }

  let truePositives = 0;
  let seen = 0;
  let sum = 0;
  for (const group of distinctDescending(similarities, labels)) {
    seen += group.positives + group.negatives;
    truePositives += group.positives;
    sum += (group.positives / positives) * (truePositives / seen);
  }
  return sum;
}

/**
 * Area under the ROC curve: the chance that a random duplicate scores as
 * more alike than a random non-duplicate, ties counting half
 * (Mann-Whitney U over average ranks; equals sklearn's `roc_auc_score`).
 * Throws an `AppError` (`bad_input`) unless both labels occur.
 */
export function rocAuc(scores: Scores, labels: Labels): number {
  const similarities = checkedSimilarities(scores, labels);
  const positives = countPositives(labels);
  const negatives = labels.length - positives;
  if (positives === 0 || negatives === 0) {
    throw new AppError(
      ErrorCode.BadInput,
      'ROC AUC needs both labels 0 and 1 among the pairs',
    );
  }

  const ranks = averageRanks(similarities);
  let positiveRankSum = 0;
  ranks.forEach((rank, index) => {
    if (labels[index] === 1) positiveRankSum += rank;
  });

  const u = positiveRankSum - (positives * (positives + 1)) / 2;
  return u / (positives * negatives);
}

/** Pairs sharing one score value. */
interface ScoreGroup {
  value: number;
  positives: number;
  negatives: number;
}

/** Distinct similarities from highest to lowest, with label counts. */
function distinctDescending(
  similarities: readonly number[],
  labels: Labels,
): ScoreGroup[] {
  const order = similarities.map((_, index) => index);
  order.sort(
    (x, y) => (similarities[y] as number) - (similarities[x] as number),
  );

  const groups: ScoreGroup[] = [];
  for (const index of order) {
    const value = similarities[index] as number;
    let last = groups[groups.length - 1];
    if (last === undefined || last.value !== value) {
      last = { value, positives: 0, negatives: 0 };
      groups.push(last);
    }
    if (labels[index] === 1) last.positives += 1;
    else last.negatives += 1;
  }
  return groups;
}

/**
 * A cut between `high` and `low` (high > low) that keeps `high` on the
 * positive side (similarity >= cut): the midpoint, or `high` itself when
 * the two are neighbouring floats with nothing in between.
 */
function midpoint(high: number, low: number): number {
  const middle = (high + low) / 2;
  return middle > low && middle <= high ? middle : high;
}

/** `value + step`, but always strictly above `value`. */
function above(value: number, step: number): number {
  const cut = value + step;
  if (cut > value) return cut;
  return value + Math.max(Math.abs(value) * Number.EPSILON, Number.MIN_VALUE);
}

/** Half the gap from group `index` to its neighbour; 0.5 when alone. */
function halfGap(groups: readonly ScoreGroup[], index: number): number {
  const here = (groups[index] as ScoreGroup).value;
  const neighbour = groups[index === 0 ? 1 : index - 1];
  return neighbour === undefined ? 0.5 : Math.abs(neighbour.value - here) / 2;
}

function countPositives(labels: Labels): number {
  let count = 0;
  for (const label of labels) count += label;
  return count;
}
