// Reads every public data set in ../shared/data once, so a change to the
// readers that breaks a real file fails here, and checks the row counts
// against shared/data/README.md.
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import type { PairKind } from '../../../src/data/pair-types.js';
import { readPairs } from '../../../src/data/read-pairs.js';
import { sharedDataDir as dataDir } from './fixtures.js';

interface Expected {
  file: string;
  kind: PairKind;
  rows: number;
  /** Label-1 count for binary and ranking files. */
  positives?: number;
  /** Score range for graded files. */
  range?: [number, number];
  /** Query count for ranking files. */
  groups?: number;
}

const FILES: Expected[] = [
  { file: 'quora/dev.tsv', kind: 'binary', rows: 10_000, positives: 5_000 },
  { file: 'quora/test-a.tsv', kind: 'binary', rows: 5_026 },
  { file: 'paws/dev.tsv', kind: 'binary', rows: 8_000 },
  { file: 'paws/test-a.tsv', kind: 'binary', rows: 4_000 },
  { file: 'mrpc/train.tsv', kind: 'binary', rows: 4_076 },
  { file: 'mrpc/test.tsv', kind: 'binary', rows: 1_725 },
  { file: 'stsb/train.tsv', kind: 'graded', rows: 5_749, range: [0, 5] },
  { file: 'stsb/dev.tsv', kind: 'graded', rows: 1_500, range: [0, 5] },
  { file: 'stsb/test.tsv', kind: 'graded', rows: 1_379, range: [0, 5] },
  { file: 'sick/train.tsv', kind: 'graded', rows: 4_500, range: [1, 5] },
  { file: 'sick/trial.tsv', kind: 'graded', rows: 500, range: [1, 5] },
  {
    file: 'semeval2016-3b/train.tsv',
    kind: 'ranking',
    rows: 2_669,
    positives: 1_083,
    groups: 267,
  },
  {
    file: 'semeval2016-3b/dev.tsv',
    kind: 'ranking',
    rows: 500,
    positives: 214,
    groups: 50,
  },
];

describe('readPairs on the shared data sets', () => {
  it.each(FILES)('reads $file', async (expected) => {
    const data = await readPairs(path.join(dataDir, expected.file));

    expect(data.kind).toBe(expected.kind);
    expect(data.pairs).toHaveLength(expected.rows);
    for (const pair of data.pairs) {
      expect(pair.a.length).toBeGreaterThan(0);
      expect(pair.b.length).toBeGreaterThan(0);
    }

    if (data.kind === 'binary' || data.kind === 'ranking') {
      const positives = data.pairs.filter((pair) => pair.label === 1).length;
      if (expected.positives !== undefined) {
        expect(positives).toBe(expected.positives);
      }
      expect(positives).toBeGreaterThan(0);
      expect(positives).toBeLessThan(data.pairs.length);
    }
    if (data.kind === 'graded' && expected.range !== undefined) {
      expect(data.scoreRange.min).toBeGreaterThanOrEqual(expected.range[0]);
      expect(data.scoreRange.max).toBeLessThanOrEqual(expected.range[1]);
    }
    if (data.kind === 'ranking') {
      expect(data.groups).toBe(expected.groups);
    }
  });

  it('keeps ids, scores and entailment classes as written', async () => {
    const stsb = await readPairs(path.join(dataDir, 'stsb/dev.tsv'));
    const sick = await readPairs(path.join(dataDir, 'sick/trial.tsv'));
    const quora = await readPairs(path.join(dataDir, 'quora/dev.tsv'));

    expect(stsb.pairs[0]).toMatchObject({
      id: 'dev-0',
      a: 'A man with a hard hat is dancing.',
      score: 5,
      line: 2,
    });
    expect(sick.pairs[0]).toMatchObject({
      id: '4',
      score: 3.6,
      entailment: 'CONTRADICTION',
    });
    expect(quora.pairs[0]).toMatchObject({
      id: '327970',
      a: 'How do I get funding for my web based startup idea ?',
      label: 1,
    });
  });

  it('reads SemEval queries with their search ranks', async () => {
    const data = await readPairs(path.join(dataDir, 'semeval2016-3b/dev.tsv'));

    expect(data.kind).toBe('ranking');
    expect(data.pairs[0]).toMatchObject({
      group: 'Q268',
      id: 'Q268_R4',
      rank: 4,
      label: 1,
    });
    expect(data.pairs[0]?.a).toMatch(/^Good Bank\. Which is a good bank/);
  });

  it.each([
    ['stsb/train.tsv', 2920],
    ['mrpc/train.tsv', 1766],
  ])(
    'keeps the stray U+0012 of %s:%i for training, refuses it for import',
    async (file, line) => {
      const full = path.join(dataDir, file);
      const data = await readPairs(full);
      const pair = data.pairs.find((p) => p.line === line);
      expect(`${pair?.a}\t${pair?.b}`).toContain('Treasury\u0012s');

      await expect(readPairs(full, { refuseControls: true })).rejects.toThrow(
        `${full}:${line}: text in column `,
      );
    },
  );
});
