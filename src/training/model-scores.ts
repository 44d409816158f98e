/** How well a model separates duplicates on a set of labelled pairs. */
import type { SiameseEncoder } from '../encoder/siamese-encoder.js';
import { pairEnergies } from '../encoder/trainer.js';
import { accuracyAt, bestThreshold, rocAuc } from '../eval/metrics.js';
import type { ModelScore } from './retrain-types.js';

/** Two texts and a 0/1 label. */
export interface LabelledTexts {
  /** First text. */
  a: string;
  /** Second text. */
  b: string;
  /** 1 duplicate, 0 not. */
  label: 0 | 1;
}

/**
 * Scores `encoder` on `pairs`: best-threshold accuracy, ROC AUC, and
 * accuracy at its own threshold. Throws `RangeError` for no pairs.
 */
export function scoreModel(
  encoder: SiameseEncoder,
  pairs: readonly LabelledTexts[],
): ModelScore {
  if (pairs.length === 0) throw new RangeError('no pairs to score on');
  const energies = pairEnergies(
    encoder,
    encoder.rows(pairs.map((p) => p.a)),
    encoder.rows(pairs.map((p) => p.b)),
  );
  const scores = { energy: [...energies] };
  const labels = pairs.map((p) => p.label);

  // One class only: AUC is undefined, call it chance.
  const mixed = labels.includes(0) && labels.includes(1);
  return {
    pairs: pairs.length,
    accuracy: bestThreshold(scores, labels).accuracy,
    auc: mixed ? rocAuc(scores, labels) : 0.5,
    accuracyAtThreshold: accuracyAt(scores, labels, encoder.threshold),
    threshold: encoder.threshold,
  };
}
