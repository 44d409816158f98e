// The model card names every data file once, with its terms and how many
// times it was read per epoch, and describes the architecture it holds.
import { describe, expect, it } from 'vitest';

import {
  modelCard,
  timesEach,
  timesLabel,
} from '../../../src/encoder/model-card.js';
import {
  MODEL_FORMAT,
  type ModelManifest,
} from '../../../src/encoder/model-files.js';
import { DEFAULT_CONFIG } from '../../../src/encoder/siamese-encoder.js';

const manifest: ModelManifest = {
  format: MODEL_FORMAT,
  version: 'card-test',
  createdAt: '2026-01-01T00:00:00.000Z',
  config: { ...DEFAULT_CONFIG, lexicalDim: 256 },
  threshold: 0.5,
  vectors: { source: 'glove-6b-100d', checksum: 'x' },
  weights: [],
  training: {
    files: [
      '.cache/splits/quora-dev-train.tsv',
      '../shared/data/stsb/train.tsv',
      '../shared/data/mrpc/train.tsv',
      '../shared/data/stsb/train.tsv',
    ],
    validationFiles: ['../shared/data/stsb/dev.tsv'],
    pairs: 100,
    seed: 1,
    bestEpoch: 1,
  },
};

describe('timesEach', () => {
  it('keeps the first order and counts repeats', () => {
    expect(timesEach(['a', 'b', 'a', 'c', 'a'])).toEqual([
      ['a', 3],
      ['b', 1],
      ['c', 1],
    ]);
    expect(timesEach([])).toEqual([]);
  });

  it('labels only repeated files', () => {
    expect(timesLabel(1)).toBe('');
    expect(timesLabel(2)).toBe(' (twice)');
    expect(timesLabel(3)).toBe(' (3 times)');
  });
});

describe('modelCard', () => {
  const card = modelCard(manifest);

  it('lists a file given twice once, with its terms', () => {
    const lines = card.split('\n');
    const stsb = lines.filter((l) => l.includes('`stsb/train.tsv`'));
    expect(stsb).toEqual([
      '- `stsb/train.tsv` (twice): STS Benchmark; scores CC BY-SA 4.0, ' +
        'sentences keep their licences',
    ]);
    expect(card).toContain('`mrpc/train.tsv`: Microsoft Research');
    expect(card).toContain('`stsb/dev.tsv`: STS Benchmark');
  });

  it('describes the lexical branch', () => {
    expect(card).toContain('plus a 256-d hashed bag of words');
    const plain = modelCard({
      ...manifest,
      config: { ...DEFAULT_CONFIG },
    });
    expect(plain).not.toContain('hashed bag of words');
  });
});
