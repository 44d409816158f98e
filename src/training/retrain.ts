/**
 * The retrain job: fine-tune the serving model on the labelled pairs,
 * judge it against the serving model on pairs neither trained on, and
 * promote it only if it is not worse. Runs in the worker (a sandboxed
 * process, or a thread of the serving process without Redis); the
 * serving processes pick up a promotion from SQLite.
 */
import path from 'node:path';

import type { Config } from '../config/config.js';
import { modelCard } from '../encoder/model-card.js';
import { SiameseEncoder } from '../encoder/siamese-encoder.js';
import {
  trainEncoder,
  type TrainingPair,
  type TrainOptions,
} from '../encoder/trainer.js';
import type { Logger } from '../logging/logger.js';
import { indexDirFor } from '../service/data-files.js';
import {
  embedMissingVectors,
  emptyIndex,
  fillIndex,
} from '../service/index-building.js';
import {
  openServingEncoder,
  type EncoderLoader,
} from '../service/serving-encoder.js';
import type { ItemStore } from '../store/item-store.js';
import type { ModelStore } from '../store/model-store.js';
import type { PairStore } from '../store/pair-store.js';
import { CALIBRATION_SALT, HOLDOUT_SALT, splitByKey } from './holdout.js';
import { resolveLabels, type ResolvedPair } from './labelled-pairs.js';
import { scoreModel, type LabelledTexts } from './model-scores.js';
import { decidePromotion } from './promotion.js';
import { loadReferencePairs, referencePairsFile } from './reference-pairs.js';
import { ProgressReporter } from './retrain-progress.js';
import type {
  PairCounts,
  RetrainProgress,
  RetrainResult,
  ScoresOnSets,
} from './retrain-types.js';

/** Share of the training side that picks the epoch and threshold. */
export const CALIBRATION_SHARE = 0.15;

/** Fewest calibration pairs worth setting apart; with fewer, the
 * training pairs calibrate themselves. */
export const MIN_CALIBRATION_PAIRS = 20;

/** Seed of the fine-tuning's shuffles and dropout. */
export const RETRAIN_SEED = 1;

/** How long and how fast a retrain fine-tunes. */
export type RetrainSchedule = Required<
  Pick<TrainOptions, 'epochs' | 'learningRate' | 'patience'>
>;

/**
 * The fine-tuning of a retrain: `RETRAIN_EPOCHS` passes at
 * `RETRAIN_LEARNING_RATE`, never stopping early (the patience is the
 * epochs), keeping the epoch best on the calibration pairs. The review
 * simulation fine-tunes the same way.
 */
export function retrainSchedule(
  config: Pick<Config, 'RETRAIN_EPOCHS' | 'RETRAIN_LEARNING_RATE'>,
): RetrainSchedule {
  return {
    epochs: config.RETRAIN_EPOCHS,
    learningRate: config.RETRAIN_LEARNING_RATE,
    patience: config.RETRAIN_EPOCHS,
  };
}

/** What a retrain works on. */
export interface RetrainParts {
  /** Validated settings. */
  config: Config;
  /** Items and their vectors. */
  items: ItemStore;
  /** Labelled pairs. */
  pairs: PairStore;
  /** Model versions. */
  models: ModelStore;
  /** Logger carrying `job.id`. */
  logger: Logger;
}

/** One run's identity and hooks. */
export interface RetrainRun {
  /** The job id; part of the candidate's version. */
  jobId: string;
  /** 1-based attempt; part of the candidate's version. */
  attempt: number;
  /**
   * Aborting stops the run at the next safe point before the candidate
   * is saved (a training batch boundary at most); after that the run
   * finishes, since promotion takes seconds.
   */
  signal?: AbortSignal;
  /** Receives progress, at most once per whole percent and stage. */
  onProgress?: (progress: RetrainProgress) => void;
  /** Time source for the version label. Default: the system clock. */
  now?: () => Date;
}

/** Thrown when a run stops because its signal was aborted. */
export class RetrainCancelled extends Error {
  /** The abort reason, e.g. `shutdown`. */
  readonly reason: unknown;

  constructor(reason: unknown) {
    super(`retrain stopped: ${String(reason)}`);
    this.name = 'RetrainCancelled';
    this.reason = reason;
  }
}

/** The split of the distinct pairs. */
interface PairSets {
  train: TrainingPair[];
  calibration: TrainingPair[];
  holdout: LabelledTexts[];
}

/**
 * Runs one retrain and returns its result; see the module comment.
 * Throws `RetrainCancelled` when stopped, `model_invalid` when the
 * serving model cannot be loaded.
 */
export async function runRetrain(
  parts: RetrainParts,
  run: RetrainRun,
): Promise<RetrainResult> {
  const { config, pairs, logger } = parts;
  const started = performance.now();
  const progress = new ProgressReporter(run.onProgress);
  progress.report('preparing');

  const watermark = pairs.lastId();
  const resolved = resolveLabels(pairs.trainingPairs(watermark));
  const sets = splitPairs(resolved.pairs, config.RETRAIN_HOLDOUT);
  const counts: PairCounts = {
    labels: resolved.labels,
    distinct: resolved.pairs.length,
    conflicts: resolved.conflicts,
    train: sets.train.length,
    calibration: sets.calibration.length,
    holdout: sets.holdout.length,
  };
  const base = skeleton(config, watermark, counts);

  const tooFew = tooFewPairs(config, counts);
  if (tooFew) {
    logger.info({ ...counts }, tooFew);
    return { ...base, reason: tooFew, seconds: seconds(started, base) };
  }

  checkSignal(run.signal);
  const active = await loadServingModel(parts);
  const trained = await trainCandidate(parts, run, active, sets, progress);
  return finish(
    parts,
    run,
    { ...base, activeVersion: active.version },
    {
      ...trained,
      started,
      progress,
    },
  );
}

/** The candidate after training, and both models' scores. */
interface Trained {
  candidate: SiameseEncoder;
  scores: { active: ScoresOnSets; candidate: ScoresOnSets };
  epochs: RetrainResult['epochs'];
  trainingSeconds: number;
}

/**
 * Scores the serving model, fine-tunes a clone of it, scores the clone.
 * Disposes the serving model; the caller owns the candidate.
 */
async function trainCandidate(
  parts: RetrainParts,
  run: RetrainRun,
  active: SiameseEncoder,
  sets: PairSets,
  progress: ProgressReporter,
): Promise<Trained> {
  const { config, logger } = parts;
  const referenceFile = referencePairsFile(config);
  const reference = referenceFile
    ? await loadReferencePairs(referenceFile)
    : undefined;
  const judge = (encoder: SiameseEncoder): ScoresOnSets => ({
    holdout: scoreModel(encoder, sets.holdout),
    reference: reference ? scoreModel(encoder, reference) : null,
  });

  let candidate: SiameseEncoder;
  let activeScores: ScoresOnSets;
  try {
    activeScores = judge(active);
    candidate = active.clone();
  } finally {
    active.dispose();
  }

  try {
    candidate.version = candidateVersion(run);
    const trainStart = performance.now();
    progress.report('training');
    const result = await trainEncoder(candidate, sets.train, sets.calibration, {
      ...retrainSchedule(config),
      seed: RETRAIN_SEED,
      signal: run.signal,
      onProgress: (p) =>
        progress.report(
          'training',
          (p.epoch - 1 + p.batch / p.batches) / p.epochs,
        ),
      log: logger,
    });
    checkSignal(run.signal);

    progress.report('evaluating');
    const trainingSeconds = (performance.now() - trainStart) / 1000;
    const epochs = result.epochs.map((e) => ({
      epoch: e.epoch,
      trainLoss: e.trainLoss,
      calibrationAccuracy: e.validation.accuracy ?? null,
    }));
    const scores = { active: activeScores, candidate: judge(candidate) };
    return { candidate, scores, epochs, trainingSeconds };
  } catch (err) {
    candidate.dispose();
    throw err;
  }
}

/** Decides, saves and registers the candidate, and promotes it. */
async function finish(
  parts: RetrainParts,
  run: RetrainRun,
  base: RetrainResult,
  trained: Trained & { started: number; progress: ProgressReporter },
): Promise<RetrainResult> {
  const { config, logger } = parts;
  const { candidate, scores, progress } = trained;
  const version = candidate.version;
  const log = logger.child({ 'model.version': version });

  try {
    const decision = decidePromotion(scores.active, scores.candidate, {
      rule: config.PROMOTE_RULE,
      tolerance: config.PROMOTE_TOLERANCE,
    });
    let result: RetrainResult = {
      ...base,
      decision: decision.promote ? 'promoted' : 'rejected',
      reason: decision.reason,
      candidateVersion: version,
      metrics: scores,
      epochs: trained.epochs,
    };
    result.seconds.training = trained.trainingSeconds;

    progress.report('saving');
    saveCandidate(parts, run, candidate, result);
    log.info({ decision: result.decision, reason: result.reason }, 'judged');

    if (decision.promote) {
      result = await promote(parts, candidate, result, progress);
    }
    return { ...result, seconds: seconds(trained.started, result) };
  } finally {
    candidate.dispose();
  }
}

/**
 * Embeds the corpus with the candidate, builds and saves its index
 * beside the serving one, then makes it the active version in SQLite,
 * unless the active version changed meanwhile (a rollback): then the
 * candidate stays registered but inactive.
 */
async function promote(
  parts: RetrainParts,
  candidate: SiameseEncoder,
  result: RetrainResult,
  progress: ProgressReporter,
): Promise<RetrainResult> {
  const { config, items, models, logger } = parts;
  const version = candidate.version;
  const log = logger.child({ 'model.version': version });

  progress.report('embedding');
  const embedStart = performance.now();
  const live = Math.max(1, items.count().live);
  const embedded = await embedMissingVectors(candidate, items, (done) =>
    progress.report('embedding', done / live),
  );
  const embedding = (performance.now() - embedStart) / 1000;

  progress.report('indexing');
  const indexStart = performance.now();
  const index = emptyIndex(config, version, candidate.dim, live, log);
  await fillIndex(index, items);
  await index.save(indexDirFor(config.dataDir, version));
  const indexing = (performance.now() - indexStart) / 1000;
  const timed = {
    ...result,
    embedded,
    seconds: { ...result.seconds, embedding, indexing },
  };

  progress.report('activating');
  const serving = models.active()?.version ?? null;
  if (serving !== result.activeVersion) {
    const reason =
      `the serving model changed from ${String(result.activeVersion)} to ` +
      `${String(serving)} during the run; ${version} stays inactive`;
    log.warn(reason);
    return { ...timed, decision: 'rejected', reason };
  }
  models.activate(version);
  log.info({ count: index.size }, 'promoted and activated');
  return timed;
}

/** Writes DATA_DIR/models/<version> atomically and registers it. */
function saveCandidate(
  parts: RetrainParts,
  run: RetrainRun,
  candidate: SiameseEncoder,
  result: RetrainResult,
): void {
  const { config, models } = parts;
  const dir = path.join(config.dataDir, 'models', candidate.version);
  const metrics = {
    decision: result.decision,
    reason: result.reason,
    job: run.jobId,
    watermark: result.watermark,
    pairs: result.pairs,
    holdout: result.metrics?.candidate.holdout,
    reference: result.metrics?.candidate.reference,
    baseline: {
      version: result.activeVersion,
      holdout: result.metrics?.active.holdout,
      reference: result.metrics?.active.reference,
    },
  };

  candidate.manifest = {
    ...candidate.manifest,
    version: candidate.version,
    createdAt: (run.now?.() ?? new Date()).toISOString(),
    training: {
      source: 'retrain',
      base: result.activeVersion,
      job: run.jobId,
      pairs: result.pairs.train,
      seed: RETRAIN_SEED,
      bestEpoch: bestEpochOf(result),
      epochs: result.epochs.map((e) => ({
        validation: { accuracy: e.calibrationAccuracy ?? undefined },
      })),
    },
  };
  const card =
    modelCard(candidate.manifest, metrics) +
    `\nFine-tuned from ${String(result.activeVersion)} on ` +
    `${result.pairs.train} labelled pairs from this service's store ` +
    '(API callers, imports and reviewers), up to pair id ' +
    `${result.watermark}.\n`;

  candidate.save(dir, { metrics, card });
  models.register({
    version: candidate.version,
    path: dir,
    threshold: candidate.threshold,
    metrics,
  });
}

/** Loads the active model, registering the configured one if none is. */
async function loadServingModel(parts: RetrainParts): Promise<SiameseEncoder> {
  const { config, models, logger } = parts;
  let loaded: SiameseEncoder | undefined;
  const load: EncoderLoader = async (dir) => {
    loaded = await SiameseEncoder.load(dir, {
      vectorsFile: config.VECTORS_CACHE,
      backend: config.TF_BACKEND,
      log: logger,
    });
    return loaded;
  };
  await openServingEncoder(config, models, logger, { load });
  return loaded as SiameseEncoder;
}

/** Holds out pairs for the decision, then calibration pairs. */
function splitPairs(pairs: readonly ResolvedPair[], share: number): PairSets {
  const byHoldout = splitByKey(pairs, share, HOLDOUT_SALT);
  const byCalibration = splitByKey(
    byHoldout.kept,
    CALIBRATION_SHARE,
    CALIBRATION_SALT,
  );
  const enough = byCalibration.held.length >= MIN_CALIBRATION_PAIRS;
  const train = enough ? byCalibration.kept : byHoldout.kept;
  const calibration = enough ? byCalibration.held : byHoldout.kept;

  const toTraining = (p: ResolvedPair): TrainingPair => ({
    a: p.a,
    b: p.b,
    label: p.label,
    binary: true,
  });
  return {
    train: train.map(toTraining),
    calibration: calibration.map(toTraining),
    holdout: byHoldout.held.map(({ a, b, label }) => ({ a, b, label })),
  };
}

/** Why a run cannot judge a candidate, or undefined when it can. */
function tooFewPairs(config: Config, counts: PairCounts): string | undefined {
  if (counts.distinct < config.RETRAIN_MIN_PAIRS) {
    return (
      `${counts.distinct} distinct labelled pairs; a retrain needs at ` +
      `least ${config.RETRAIN_MIN_PAIRS} (RETRAIN_MIN_PAIRS)`
    );
  }
  if (counts.holdout === 0 || counts.train === 0) {
    return (
      `the hold-out split left ${counts.train} pairs to train on and ` +
      `${counts.holdout} to judge on; add labels`
    );
  }
  return undefined;
}

/** A skipped result, to be filled in by later stages. */
function skeleton(
  config: Config,
  watermark: number,
  pairs: PairCounts,
): RetrainResult {
  return {
    decision: 'skipped',
    reason: '',
    watermark,
    activeVersion: null,
    candidateVersion: null,
    pairs,
    metrics: null,
    rule: { rule: config.PROMOTE_RULE, tolerance: config.PROMOTE_TOLERANCE },
    epochs: [],
    embedded: 0,
    seconds: { training: 0, embedding: 0, indexing: 0, total: 0 },
  };
}

/** The version label of a run: `rt-<UTC time>-<job id>-<attempt>`. */
export function candidateVersion(run: RetrainRun): string {
  const stamp = (run.now?.() ?? new Date())
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  const job = run.jobId.replace(/[^A-Za-z0-9]/g, '').slice(0, 8) || 'job';
  return `rt-${stamp}-${job}-${run.attempt}`;
}

function bestEpochOf(result: RetrainResult): number {
  let best = 0;
  let bestAccuracy = -Infinity;
  for (const e of result.epochs) {
    const accuracy = e.calibrationAccuracy ?? -Infinity;
    if (accuracy > bestAccuracy) [best, bestAccuracy] = [e.epoch, accuracy];
  }
  return best;
}

function seconds(
  started: number,
  result: RetrainResult,
): RetrainResult['seconds'] {
  return {
    ...result.seconds,
    total: (performance.now() - started) / 1000,
  };
}

function checkSignal(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new RetrainCancelled(signal.reason);
}
