/**
 * Evaluation metrics in one place. All are pure functions over arrays of
 * numbers; scores are passed as `{ similarity }` (higher = more alike) or
 * `{ energy }` (the encoder's distance: lower = more alike).
 *
 * @example
 * const energies = await scoreWithEncoder(pairs);
 * const labels = pairs.map((pair) => pair.label);
 * rocAuc({ energy: energies }, labels);
 * bestThreshold({ energy: energies }, labels); // threshold is an energy
 */
export {
  accuracyAt,
  averagePrecision,
  bestThreshold,
  confusionAt,
  f1At,
  f1Of,
  precisionAt,
  precisionOf,
  recallAt,
  recallOf,
  rocAuc,
  type Confusion,
  type ThresholdChoice,
} from './binary-metrics.js';
export {
  correlations,
  pearson,
  spearman,
  type Correlations,
} from './correlation.js';
export { averageRanks } from './ranks.js';
export {
  meanAveragePrecision,
  meanReciprocalRank,
  rankingMetrics,
  type RankingOptions,
  type RankingReport,
} from './ranking-metrics.js';
export { toSimilarities, type Labels, type Scores } from './scores.js';
