/**
 * The training loop: mini-batches of pairs under the contrastive loss, with
 * seeded shuffling, length-bucketed batches, early stopping on a validation
 * set and calibration of the duplicate threshold.
 */
import * as tf from '@tensorflow/tfjs';

import type { Logger } from '../logging/logger.js';
import { contrastiveLoss, contrastiveLossOf } from './contrastive-loss.js';
import { encode, toTensors } from './lstm-network.js';
import type { SiameseEncoder } from './siamese-encoder.js';
import { energy } from './types.js';
import { mulberry32, shuffleInPlace } from '../data/seeded-random.js';
import type { TokenRows } from './word-inputs.js';
import { scoreValidation, type ValidationScore } from './validation.js';

/** A training pair. `label` is 1 (same meaning), 0 (different) or between. */
export interface TrainingPair {
  a: string;
  b: string;
  label: number;
  /** True when the label is a 0/1 judgement rather than a graded score. */
  binary: boolean;
}

/** Progress after each batch. */
export interface TrainProgress {
  epoch: number;
  epochs: number;
  batch: number;
  batches: number;
  /** Mean loss over this epoch so far. */
  loss: number;
  /** Training pairs per second over this epoch so far. */
  pairsPerSecond: number;
}

/** What one epoch achieved. */
export interface EpochReport {
  epoch: number;
  trainLoss: number;
  validation: ValidationScore;
  pairsPerSecond: number;
  /** True when this epoch is the best so far (and was kept). */
  improved: boolean;
}

/** Settings of a training run; every field has a default. */
export interface TrainOptions {
  /** Passes over the training pairs. Default 10. */
  epochs?: number;
  /** Pairs per mini-batch. Default 128. */
  batchSize?: number;
  /** Adam learning rate. Default 0.001. */
  learningRate?: number;
  /** Seed of shuffling; same seed, data and start give the same model. */
  seed?: number;
  /** Epochs without validation gain before stopping. Default 2. */
  patience?: number;
  /** Dropout on word vectors and pooled features. Default 0. */
  dropout?: number;
  /** Called after every batch. */
  onProgress?: (progress: TrainProgress) => void;
  /** Called after every epoch, e.g. to write a checkpoint. */
  onEpoch?: (report: EpochReport) => void | Promise<void>;
  /** Stops training at the next batch boundary when aborted. */
  signal?: AbortSignal;
  log?: Logger;
}

/** Result of a run; the encoder holds the best weights afterwards. */
export interface TrainResult {
  epochs: EpochReport[];
  bestEpoch: number;
  best: ValidationScore;
  threshold: number;
  stoppedEarly: boolean;
}

interface Encoded {
  a: TokenRows[];
  b: TokenRows[];
  labels: Float32Array;
  binary: boolean[];
}

/**
 * Trains `encoder` in place on `train`, keeping the weights of the epoch
 * with the best validation score, then sets its threshold to the energy
 * that maximises accuracy on the binary validation pairs.
 */
export async function trainEncoder(
  encoder: SiameseEncoder,
  train: readonly TrainingPair[],
  validation: readonly TrainingPair[],
  options: TrainOptions = {},
): Promise<TrainResult> {
  const epochs = options.epochs ?? 10;
  const batchSize = options.batchSize ?? 128;
  const patience = options.patience ?? 2;
  const dropout = options.dropout ?? 0;
  const random = mulberry32(options.seed ?? 1);
  const optimizer = tf.train.adam(options.learningRate ?? 1e-3);
  const trainSet = encodePairs(encoder, train);
  const valSet = encodePairs(encoder, validation);

  let best = validate(encoder, valSet);
  let bestEpoch = 0;
  let bestWeights = snapshot(encoder);
  const reports: EpochReport[] = [];
  let stale = 0;

  try {
    for (let epoch = 1; epoch <= epochs; epoch++) {
      if (options.signal?.aborted) break;
      const batches = bucketedBatches(trainSet, batchSize, random);
      const started = performance.now();
      let lossSum = 0;
      let seen = 0;

      for (let i = 0; i < batches.length; i++) {
        if (options.signal?.aborted) break;
        const ids = batches[i] as number[];
        const seed = Math.floor(random() * 2 ** 31);
        lossSum +=
          step(encoder, optimizer, trainSet, ids, dropout, seed) * ids.length;
        seen += ids.length;
        options.onProgress?.({
          epoch,
          epochs,
          batch: i + 1,
          batches: batches.length,
          loss: lossSum / seen,
          pairsPerSecond: seen / ((performance.now() - started) / 1000),
        });
        // Let timers, I/O and lock renewals run between batches.
        await new Promise((resolve) => setImmediate(resolve));
      }

      const score = validate(encoder, valSet);
      const improved = score.score > best.score || bestEpoch === 0;
      const report: EpochReport = {
        epoch,
        trainLoss: lossSum / Math.max(seen, 1),
        validation: score,
        pairsPerSecond: seen / ((performance.now() - started) / 1000),
        improved,
      };
      reports.push(report);
      options.log?.info({ ...report }, 'epoch finished');

      if (improved) {
        best = score;
        bestEpoch = epoch;
        bestWeights = snapshot(encoder);
        encoder.threshold = score.threshold;
        stale = 0;
      } else {
        stale++;
      }
      await options.onEpoch?.(report);
      if (stale >= patience) break;
    }
  } finally {
    optimizer.dispose();
  }

  restore(encoder, bestWeights);
  encoder.threshold = best.threshold;
  return {
    epochs: reports,
    bestEpoch,
    best,
    threshold: best.threshold,
    stoppedEarly: reports.length < epochs,
  };
}

/** Energies of pairs under `encoder`, in order. */
export function pairEnergies(
  encoder: SiameseEncoder,
  a: readonly TokenRows[],
  b: readonly TokenRows[],
): Float64Array {
  const vectors = encoder.embedRows([...a, ...b]);
  const out = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) {
    out[i] = energy(
      vectors[i] as Float32Array,
      vectors[a.length + i] as Float32Array,
    );
  }
  return out;
}

function validate(encoder: SiameseEncoder, set: Encoded): ValidationScore {
  const energies = pairEnergies(encoder, set.a, set.b);
  let loss = 0;
  for (let i = 0; i < energies.length; i++) {
    loss += contrastiveLossOf(
      energies[i] as number,
      set.labels[i] as number,
      encoder.margin,
    );
  }
  return scoreValidation(
    energies,
    set.labels,
    set.binary,
    loss / Math.max(1, energies.length),
    encoder.margin,
  );
}

function step(
  encoder: SiameseEncoder,
  optimizer: tf.Optimizer,
  set: Encoded,
  ids: number[],
  dropout: number,
  seed: number,
): number {
  const n = ids.length;
  const sentences = [
    ...ids.map((i) => set.a[i] as TokenRows),
    ...ids.map((i) => set.b[i] as TokenRows),
  ];
  const batch = encoder.inputs.batch(sentences, encoder.config.bidirectional);
  const labels = Float32Array.from(ids, (i) => set.labels[i] as number);
  const variables = [...encoder.weights.values()];

  const cost = optimizer.minimize(
    () => {
      const out = encode(
        encoder.weights,
        encoder.config,
        toTensors(batch, encoder.inputs.dim),
        { rate: dropout, seed },
      );
      const dim = out.shape[1];
      return contrastiveLoss(
        tf.slice(out, [0, 0], [n, dim]),
        tf.slice(out, [n, 0], [n, dim]),
        tf.tensor1d(labels),
        encoder.margin,
      );
    },
    true,
    variables,
  );
  const value = (cost as tf.Scalar).dataSync()[0] as number;
  cost?.dispose();
  return value;
}

/**
 * Shuffles pairs, then sorts windows of 50 batches by length and cuts them
 * into batches, so each batch has little padding while the order of
 * batches stays random.
 */
function bucketedBatches(
  set: Encoded,
  batchSize: number,
  random: () => number,
): number[][] {
  const ids = shuffleInPlace(
    Array.from(set.labels, (_, i) => i),
    random,
  );
  const window = batchSize * 50;
  const batches: number[][] = [];
  const length = (i: number) =>
    Math.max((set.a[i] as TokenRows).length, (set.b[i] as TokenRows).length);

  for (let start = 0; start < ids.length; start += window) {
    const part = ids
      .slice(start, start + window)
      .sort((x, y) => length(x) - length(y));
    for (let i = 0; i < part.length; i += batchSize) {
      batches.push(part.slice(i, i + batchSize));
    }
  }
  return shuffleInPlace(batches, random);
}

function encodePairs(
  encoder: SiameseEncoder,
  pairs: readonly TrainingPair[],
): Encoded {
  return {
    a: encoder.rows(pairs.map((p) => p.a)),
    b: encoder.rows(pairs.map((p) => p.b)),
    labels: Float32Array.from(pairs, (p) => p.label),
    binary: pairs.map((p) => p.binary),
  };
}

function snapshot(encoder: SiameseEncoder): Map<string, Float32Array> {
  const values = new Map<string, Float32Array>();
  for (const [name, variable] of encoder.weights) {
    values.set(name, variable.dataSync() as Float32Array);
  }
  return values;
}

function restore(
  encoder: SiameseEncoder,
  values: Map<string, Float32Array>,
): void {
  for (const [name, variable] of encoder.weights) {
    const saved = values.get(name);
    if (saved) {
      tf.tidy(() => variable.assign(tf.tensor(saved, variable.shape)));
    }
  }
}
