/**
 * Scores a model and three lexical baselines on one pair file, from the
 * same run: binary files by accuracy, F1, AP and ROC AUC; graded files by
 * Pearson and Spearman; ranking files by MAP and MRR as well.
 */
import type { PairFile } from '../data/pair-types.js';
import { AppError, ErrorCode } from '../errors/app-error.js';
import type { SiameseEncoder } from '../encoder/siamese-encoder.js';
import { pairEnergies } from '../encoder/trainer.js';
import {
  averagedVectorScores,
  jaccardScores,
  tfidfScores,
  type WordLookup,
} from './baselines.js';
import {
  accuracyAt,
  averagePrecision,
  bestThreshold,
  confusionAt,
  correlations,
  f1Of,
  precisionOf,
  recallOf,
  rankingMetrics,
  rocAuc,
  type Labels,
  type Scores,
} from './metrics.js';

/** Binary measures; rates are fractions in [0, 1]. */
export interface BinaryScores {
  n: number;
  /** Accuracy at `threshold`. */
  accuracy: number;
  /** Threshold used: the model's stored one, or calibrated for baselines. */
  threshold: number;
  /** Accuracy at the best threshold for this very file (an upper bound). */
  best_accuracy: number;
  best_threshold: number;
  f1: number;
  precision: number;
  recall: number;
  /** Average precision. */
  ap: number;
  /** Area under the ROC curve. */
  auc: number;
  /** Ranking files only. */
  map?: number;
  mrr?: number;
}

/** Graded measures: correlation of similarity with the human score. */
export interface GradedScores {
  n: number;
  pearson: number;
  spearman: number;
}

export type FileScores = BinaryScores | GradedScores;

/** A full report for one file: the model's fields plus baselines. */
export type EvaluationReport = FileScores & {
  file: string;
  kind: PairFile['kind'];
  model: string;
  baselines: Record<'jaccard' | 'tfidf' | 'avg_glove', FileScores>;
  /** Where baseline thresholds came from. */
  calibration: string;
  /** Ranking files: the original search engine's order. */
  search_engine?: { map: number; mrr: number };
};

/**
 * Evaluates `encoder` on `file`. Baseline thresholds are tuned on
 * `calibration` (a binary file) when given, else on `file` itself.
 */
export function evaluateFile(
  encoder: SiameseEncoder,
  file: PairFile,
  vectors: WordLookup,
  calibration?: PairFile,
): EvaluationReport {
  checkBothLabels(file);
  if (calibration) checkBothLabels(calibration);
  const pairs = file.pairs;
  const energies = Array.from(
    pairEnergies(
      encoder,
      encoder.rows(pairs.map((p) => p.a)),
      encoder.rows(pairs.map((p) => p.b)),
    ),
  );

  const baselines = {
    jaccard: (f: PairFile) => jaccardScores(f.pairs),
    tfidf: (f: PairFile) => tfidfScores(f.pairs),
    avg_glove: (f: PairFile) => averagedVectorScores(f.pairs, vectors),
  };
  const calibrationUsed =
    calibration && calibration.kind !== 'graded' && file.kind !== 'graded'
      ? calibration
      : undefined;

  const baselineScores = Object.fromEntries(
    Object.entries(baselines).map(([name, score]) => {
      const similarity = score(file);
      const threshold = calibrationUsed
        ? bestThreshold(
            { similarity: score(calibrationUsed) },
            labelsOf(calibrationUsed),
          ).threshold
        : undefined;
      return [name, scoresFor(file, { similarity }, threshold)];
    }),
  ) as EvaluationReport['baselines'];

  const report: EvaluationReport = {
    file: file.file,
    kind: file.kind,
    model: encoder.version,
    ...scoresFor(file, { energy: energies }, encoder.threshold),
    baselines: baselineScores,
    calibration: calibrationUsed ? calibrationUsed.file : file.file,
  };
  if (file.kind === 'ranking') {
    const engine = rankingMetrics(
      file.pairs.map((p) => p.group),
      { similarity: file.pairs.map((p) => -p.rank) },
      labelsOf(file),
    );
    report.search_engine = { map: engine.map, mrr: engine.mrr };
  }
  return report;
}

/** Measures for one list of scores; `threshold` defaults to the best. */
function scoresFor(
  file: PairFile,
  scores: Scores,
  threshold: number | undefined,
): FileScores {
  if (file.kind === 'graded') {
    const { pearson, spearman } = correlations(
      scores,
      file.pairs.map((p) => p.score),
    );
    return { n: file.pairs.length, pearson, spearman };
  }

  const labels = labelsOf(file);
  const best = bestThreshold(scores, labels);
  const at = threshold ?? best.threshold;
  const confusion = confusionAt(scores, labels, at);
  const out: BinaryScores = {
    n: labels.length,
    accuracy: accuracyAt(scores, labels, at),
    threshold: at,
    best_accuracy: best.accuracy,
    best_threshold: best.threshold,
    f1: f1Of(confusion),
    precision: precisionOf(confusion),
    recall: recallOf(confusion),
    ap: averagePrecision(scores, labels),
    auc: rocAuc(scores, labels),
  };
  if (file.kind === 'ranking') {
    const ranking = rankingMetrics(
      file.pairs.map((p) => p.group),
      scores,
      labels,
    );
    out.map = ranking.map;
    out.mrr = ranking.mrr;
  }
  return out;
}

/**
 * Throws `bad_input`, naming the file, when a labelled file holds one
 * label only: accuracy, AP and ROC AUC need duplicates and non-duplicates.
 */
function checkBothLabels(file: PairFile): void {
  if (file.kind === 'graded') return;
  const positives = file.pairs.filter((p) => p.label === 1).length;
  if (positives > 0 && positives < file.pairs.length) return;
  throw new AppError(
    ErrorCode.BadInput,
    `${file.file}: all ${file.pairs.length} pairs are labelled ` +
      `${positives > 0 ? 1 : 0}; evaluation needs pairs labelled 0 and 1`,
  );
}

function labelsOf(file: PairFile): Labels {
  if (file.kind === 'graded') return [];
  return file.pairs.map((p) => p.label);
}
