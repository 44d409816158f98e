// Shared by the encoder tests: real Quora pairs, tiny encoders on the WASM
// backend, temporary model folders and vector comparisons.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import * as tf from '@tensorflow/tfjs';

import { readPairs } from '../../../src/data/read-pairs.js';
import { SiameseEncoder } from '../../../src/encoder/siamese-encoder.js';
import type { TrainingPair } from '../../../src/encoder/trainer.js';
import type { EncoderConfig } from '../../../src/encoder/types.js';
import { sharedDataDir } from '../data/fixtures.js';

// The CPU backend greets Node users with advice on stderr; tests need none.
tf.env().set('IS_TEST', true);

/** Architecture small enough for a test: 16 units, projection 16. */
export const TINY: Partial<EncoderConfig> = { units: 16, projection: 16 };

/** A fresh encoder on the WASM backend (with the replacement kernels). */
export function tinyEncoder(
  config: Partial<EncoderConfig> = {},
  seed = 1,
): Promise<SiameseEncoder> {
  return SiameseEncoder.create({ ...TINY, ...config }, seed, {
    backend: 'wasm',
  });
}

let quora: TrainingPair[] | undefined;

/** The Quora dev pairs of shared/data, as training pairs, in file order. */
export async function quoraPairs(): Promise<TrainingPair[]> {
  if (!quora) {
    const file = await readPairs(path.join(sharedDataDir, 'quora/dev.tsv'));
    if (file.kind !== 'binary') throw new Error('quora/dev.tsv not binary');
    quora = file.pairs.map((p) => ({
      a: p.a,
      b: p.b,
      label: p.label,
      binary: true,
    }));
  }
  return quora;
}

/** Distinct real questions of various lengths, from the Quora dev file. */
export async function quoraSentences(n: number): Promise<string[]> {
  const pairs = await quoraPairs();
  const seen = new Set<string>();
  for (const pair of pairs) {
    for (const text of [pair.a, pair.b]) {
      if (seen.size < n) seen.add(text);
    }
    if (seen.size >= n) break;
  }
  return [...seen];
}

/** Largest absolute difference between two equally long arrays. */
export function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) {
    throw new Error(`lengths differ: ${a.length} vs ${b.length}`);
  }
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs((a[i] as number) - (b[i] as number));
    // NaN must never pass a tolerance check.
    worst = Number.isNaN(d) ? Infinity : Math.max(worst, d);
  }
  return worst;
}

/** A fresh temporary folder; remove it with the returned function. */
export async function tempDir(
  prefix = 'siamese-encoder-',
): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}
