import { describe, expect, it } from 'vitest';

import {
  frequencyWeight,
  WordInputs,
} from '../../../src/encoder/word-inputs.js';
import { WordVectors } from '../../../src/vectors/word-vectors.js';

// A frequency-ordered vocabulary of four 2-d vectors: "the" is the
// commonest word, "zebra" the rarest.
const WORDS = ['the', 'cat', 'sat', 'zebra'];
const MATRIX = new Float32Array([1, 0, 0, 1, 1, 1, 0, -1]);
const vectors = new WordVectors(
  { source: 'test', dim: 2, count: WORDS.length, wordsBytes: 0, checksum: 'x' },
  WORDS,
  MATRIX,
);

function inputs(meanWeights?: 'uniform' | 'frequency'): WordInputs {
  return new WordInputs(vectors, {
    maxLength: 16,
    oovBuckets: 4,
    lexicalDim: 0,
    meanWeights,
  });
}

describe('frequencyWeight', () => {
  it('grows with rank and gives unknown words full weight', () => {
    const size = 400_000;
    const weights = [0, 10, 1000, 100_000].map((r) => frequencyWeight(r, size));
    for (let i = 1; i < weights.length; i++) {
      expect(weights[i]).toBeGreaterThan(weights[i - 1] as number);
    }
    expect(weights[0]).toBeLessThan(0.02);
    expect(weights[3]).toBeGreaterThan(0.95);
    expect(frequencyWeight(size + 3, size)).toBe(1);
  });
});

describe('WordInputs mean', () => {
  const rows = (w: WordInputs) => w.rows('the zebra');

  it('is the plain average by default', () => {
    const w = inputs();
    const batch = w.batch([rows(w)], false);
    expect(Array.from(batch.mean)).toEqual([0.5, -0.5]);
  });

  it('leans towards the rarer word with frequency weights', () => {
    const w = inputs('frequency');
    const batch = w.batch([rows(w)], false);
    const theShare = frequencyWeight(0, WORDS.length);
    const zebraShare = frequencyWeight(3, WORDS.length);
    const total = theShare + zebraShare;
    // the = (1, 0), zebra = (0, -1): the mean is their weighted average.
    expect(batch.mean[0]).toBeCloseTo(theShare / total, 6);
    expect(batch.mean[1]).toBeCloseTo(-zebraShare / total, 6);
    expect(-(batch.mean[1] as number)).toBeGreaterThan(batch.mean[0] as number);
  });

  it('keeps the word vectors themselves unweighted', () => {
    const w = inputs('frequency');
    const batch = w.batch([rows(w)], false);
    expect(Array.from(batch.forward)).toEqual([1, 0, 0, -1]);
  });
});
