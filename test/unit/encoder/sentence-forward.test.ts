// The one-sentence path in plain TypeScript must give what the tfjs
// batch path gives, for every architecture option, for the shipped
// model, and after the weights change under it.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';

import {
  SINGLE_PATH_MAX,
  SiameseEncoder,
} from '../../../src/encoder/siamese-encoder.js';
import { trainEncoder } from '../../../src/encoder/trainer.js';
import type { EncoderConfig } from '../../../src/encoder/types.js';
import { maxDiff, quoraPairs, quoraSentences, tinyEncoder } from './helpers.js';

/** Float32 rounding across ~20 steps and two summation orders. */
const TOLERANCE = 2e-5;

let sentences: string[];

beforeAll(async () => {
  // Real questions, plus text with no known word and an empty one.
  sentences = [...(await quoraSentences(60)), 'zxqv blorft qqq ?', '', 'Why?'];
});

/** Each sentence alone (the single path) and all in one batch. */
async function bothPaths(
  encoder: SiameseEncoder,
): Promise<{ alone: Float32Array[]; batched: Float32Array[] }> {
  expect(sentences.length).toBeGreaterThan(SINGLE_PATH_MAX);
  const batched = await encoder.embed(sentences);
  const alone: Float32Array[] = [];
  for (const text of sentences) {
    const [vector] = await encoder.embed([text]);
    if (!vector) throw new Error('no vector');
    alone.push(vector);
  }
  return { alone, batched };
}

function worst(a: Float32Array[], b: Float32Array[]): number {
  return Math.max(...a.map((v, i) => maxDiff(v, b[i] as Float32Array)));
}

describe('the one-sentence path', () => {
  const configs: [string, Partial<EncoderConfig>][] = [
    ['mean pooling, projection', { pooling: 'mean' }],
    [
      'max pooling, frequency word mean',
      {
        pooling: 'max',
        meanWeights: 'frequency',
      },
    ],
    ['last pooling, no word mean', { pooling: 'last', wordSkip: false }],
    ['bidirectional', { bidirectional: true, pooling: 'max' }],
    ['no projection, not normalised', { projection: 0, normalize: false }],
    ['bag of words', { lexicalDim: 32, pooling: 'max' }],
  ];

  it.each(configs)('matches the batch path: %s', async (_name, config) => {
    const encoder = await tinyEncoder(config, 7);
    try {
      const { alone, batched } = await bothPaths(encoder);
      expect(alone[0]?.length).toBe(encoder.dim);
      expect(worst(alone, batched)).toBeLessThan(TOLERANCE);
    } finally {
      encoder.dispose();
    }
  });

  it('matches the batch path on the shipped model', async () => {
    const encoder = await SiameseEncoder.load(undefined, { backend: 'wasm' });
    try {
      const { alone, batched } = await bothPaths(encoder);
      expect(worst(alone, batched)).toBeLessThan(TOLERANCE);
    } finally {
      encoder.dispose();
    }
  });

  it('follows the weights when training changes them', async () => {
    const encoder = await tinyEncoder({ pooling: 'max' }, 3);
    try {
      const [before] = await encoder.embed([sentences[0] as string]);
      const pairs = (await quoraPairs()).slice(0, 64);
      await trainEncoder(encoder, pairs, pairs.slice(0, 16), {
        epochs: 1,
        batchSize: 32,
      });
      const [after] = await encoder.embed([sentences[0] as string]);
      const [batched] = await encoder.embed(sentences);
      const moved = maxDiff(before as Float32Array, after as Float32Array);
      expect(moved).toBeGreaterThan(1e-4);
      expect(
        maxDiff(after as Float32Array, batched as Float32Array),
      ).toBeLessThan(TOLERANCE);
    } finally {
      encoder.dispose();
    }
  });

  it('leaves no tensors behind', async () => {
    const encoder = await tinyEncoder({}, 5);
    try {
      await encoder.embed(['warm up the path ?']);
      const held = tf.memory().numTensors;
      for (const text of sentences) await encoder.embed([text]);
      expect(tf.memory().numTensors).toBe(held);
    } finally {
      encoder.dispose();
    }
  });
});
