/**
 * Throughput measurements of the siamese encoder as the product runs it:
 * training through `trainEncoder` (bucketed batches, Adam, the contrastive
 * loss) and embedding through the same batching as `embedRows`, at a
 * chosen batch size.
 */
import * as tf from '@tensorflow/tfjs';

import { encode, toTensors } from '../encoder/lstm-network.js';
import type { SiameseEncoder } from '../encoder/siamese-encoder.js';
import { trainEncoder, type TrainingPair } from '../encoder/trainer.js';
import type { TokenRows } from '../encoder/word-inputs.js';
import { perSecond, secondsPerRun, stopwatch, type Seconds } from './timing.js';

/** Training speed over the timed batches. */
export interface TrainSpeed {
  /** Pairs per second of wall time and of CPU time. */
  pairsPerSecond: Seconds;
  /** Batches timed (the first batch of a run is a warm-up, not timed). */
  batches: number;
}

/**
 * Trains `encoder` on `pairs` for about `seconds` and returns pairs per
 * second over every batch after the first. `validation` is scored before
 * and after, outside the timed window, as in a real run.
 */
export async function trainingSpeed(
  encoder: SiameseEncoder,
  pairs: readonly TrainingPair[],
  validation: readonly TrainingPair[],
  batchSize: number,
  seconds: number,
  minBatches = 2,
): Promise<TrainSpeed> {
  const stop = new AbortController();
  let elapsed: (() => Seconds) | undefined;
  let time: Seconds = { wall: 0, cpu: 0 };
  let timed = 0;
  let timedPairs = 0;

  await trainEncoder(encoder, pairs, validation, {
    epochs: 1,
    batchSize,
    seed: 1,
    signal: stop.signal,
    onProgress: (p) => {
      if (!elapsed) {
        elapsed = stopwatch();
        return;
      }
      time = elapsed();
      timed = p.batch - 1;
      // Every batch is full but perhaps the epoch's last.
      timedPairs =
        p.batch === p.batches ? pairs.length - batchSize : timed * batchSize;
      if (timed >= minBatches && time.wall >= seconds) stop.abort();
    },
  });
  if (timed === 0) throw new Error(`too few pairs for batches of ${batchSize}`);
  return { pairsPerSecond: perSecond(timedPairs, time), batches: timed };
}

/** Embedding speed and the padding the batches carried. */
export interface EmbedSpeed {
  /** Sentences per second of wall time and of CPU time. */
  sentencesPerSecond: Seconds;
  /** Steps the LSTM ran per sentence, padding included. */
  stepsPerSentence: number;
}

/**
 * Embeds `sentences` repeatedly for about `seconds` in batches of
 * `batchSize`, sorted by length as `embedRows` does, after `warmUp`
 * untimed passes.
 */
export function embeddingSpeed(
  encoder: SiameseEncoder,
  sentences: readonly TokenRows[],
  batchSize: number,
  seconds: number,
  warmUp = 1,
): EmbedSpeed {
  const sorted = [...sentences].sort((a, b) => a.length - b.length);
  const batches: TokenRows[][] = [];
  for (let i = 0; i < sorted.length; i += batchSize) {
    batches.push(sorted.slice(i, i + batchSize));
  }
  const steps = batches.reduce(
    (sum, batch) => sum + batch.length * (batch[batch.length - 1]?.length ?? 0),
    0,
  );

  const pass = () => {
    for (const rows of batches) {
      const batch = encoder.inputs.batch(rows, encoder.config.bidirectional);
      const out = tf.tidy(() =>
        encode(
          encoder.weights,
          encoder.config,
          toTensors(batch, encoder.inputs.dim),
        ),
      );
      out.dataSync();
      out.dispose();
    }
  };
  const perPass = secondsPerRun(pass, { seconds, minRuns: 1, warmUp });
  return {
    sentencesPerSecond: perSecond(sentences.length, perPass),
    stepsPerSentence: steps / sentences.length,
  };
}

/**
 * Sentences per second through `embedRows` on raw text, tokenising
 * included: what a caller of `embed` gets.
 */
export function endToEndSpeed(
  encoder: SiameseEncoder,
  texts: readonly string[],
  seconds: number,
): Seconds {
  const perPass = secondsPerRun(() => encoder.embedRows(encoder.rows(texts)), {
    seconds,
    minRuns: 1,
    warmUp: 1,
  });
  return perSecond(texts.length, perPass);
}
