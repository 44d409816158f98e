/**
 * How a validation set judges a model during training: accuracy at the
 * best energy threshold on binary pairs, Spearman correlation on graded
 * pairs, their mean when both are present.
 */
import { bestThreshold } from '../eval/binary-metrics.js';
import { spearman } from '../eval/correlation.js';

/** Validation result of one model. Higher `score` is better. */
export interface ValidationScore {
  score: number;
  /** Mean contrastive loss. */
  loss: number;
  /** Energy threshold maximising accuracy on the binary pairs. */
  threshold: number;
  /** Accuracy at `threshold`, binary pairs only. */
  accuracy?: number;
  /** Spearman correlation of -energy with the label, graded pairs only. */
  spearman?: number;
}

/** Scores energies against labels; see {@link ValidationScore}. */
export function scoreValidation(
  energies: Float64Array,
  labels: Float32Array,
  binary: readonly boolean[],
  loss: number,
  margin: number,
): ValidationScore {
  const binE: number[] = [];
  const binY: (0 | 1)[] = [];
  const gradedE: number[] = [];
  const gradedY: number[] = [];
  energies.forEach((e, i) => {
    if (binary[i]) {
      binE.push(e);
      binY.push(labels[i] === 1 ? 1 : 0);
    } else {
      gradedE.push(-e);
      gradedY.push(labels[i] as number);
    }
  });

  const parts: number[] = [];
  const result: ValidationScore = { score: 0, loss, threshold: margin / 2 };
  if (binE.length > 0) {
    const best = bestThreshold({ energy: binE }, binY);
    result.threshold = best.threshold;
    result.accuracy = best.accuracy;
    parts.push(best.accuracy);
  }
  if (gradedE.length > 1) {
    result.spearman = spearman(gradedE, gradedY);
    // A collapsed model gives constant energies and no correlation.
    parts.push(Number.isNaN(result.spearman) ? 0 : result.spearman);
  }
  result.score = parts.length
    ? parts.reduce((a, b) => a + b, 0) / parts.length
    : -loss;
  return result;
}
