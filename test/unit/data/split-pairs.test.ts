import path from 'node:path';

import { describe, expect, it } from 'vitest';

import type { BinaryPair } from '../../../src/data/pair-types.js';
import { readPairs } from '../../../src/data/read-pairs.js';
import { mulberry32 } from '../../../src/data/seeded-random.js';
import { splitPairFile, splitPairs } from '../../../src/data/split-pairs.js';
import { writePairFile } from '../../../src/data/write-pairs.js';
import { tempFiles } from './temp-files.js';
import { sharedDataDir } from './fixtures.js';

function pairs(count: number): BinaryPair[] {
  return Array.from({ length: count }, (_, i) => ({
    id: String(i),
    a: `a${i}`,
    b: `b${i}`,
    label: (i % 2) as 0 | 1,
    line: i + 2,
  }));
}

describe('mulberry32', () => {
  it('gives the reference sequence for seed 0', () => {
    // Output of the original one-line mulberry32 (Tommy Ettinger's
    // generator as commonly published in JavaScript) for seed 0.
    const random = mulberry32(0);
    const first = [random(), random(), random()].map((x) => x * 2 ** 32);
    expect(first).toEqual([1144304738, 1416247, 958946056]);
  });

  it('stays in [0, 1) and differs between seeds', () => {
    const a = mulberry32(1);
    const b = mulberry32(2);
    const xs = Array.from({ length: 1000 }, () => a());
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(a()).not.toBe(b());
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(mean).toBeCloseTo(0.5, 1);
  });
});

describe('splitPairs', () => {
  it('holds out the share asked for, in input order, reproducibly', () => {
    const all = pairs(100);
    const split = splitPairs(all, 0.2, 42);

    expect(split.validation).toHaveLength(20);
    expect(split.train).toHaveLength(80);
    const ids = (list: BinaryPair[]): number[] => list.map((p) => Number(p.id));
    expect(ids(split.train)).toEqual(
      [...ids(split.train)].sort((x, y) => x - y),
    );
    expect(
      [...ids(split.train), ...ids(split.validation)].sort((x, y) => x - y),
    ).toEqual(ids(all));
    expect(splitPairs(all, 0.2, 42)).toEqual(split);
    expect(splitPairs(all, 0.2, 43).validation).not.toEqual(split.validation);
  });

  it('keeps every SemEval query on one side', async () => {
    const data = await readPairs(
      path.join(sharedDataDir, 'semeval2016-3b/train.tsv'),
    );
    const split = splitPairs(data.pairs, 0.1, 7);

    const trainQueries = new Set(split.train.map((p) => p.group));
    const heldQueries = new Set(split.validation.map((p) => p.group));
    expect([...heldQueries].filter((q) => trainQueries.has(q))).toEqual([]);
    // 10 % of 267 queries, rounded.
    expect(heldQueries.size).toBe(27);
    expect(trainQueries.size).toBe(240);
    expect(split.train.length + split.validation.length).toBe(2669);
  });

  it('splits a whole file into two files of its kind', async () => {
    const data = await readPairs(path.join(sharedDataDir, 'stsb/dev.tsv'));
    const split = splitPairFile(data, 0.25, 3);

    expect(split.train.kind).toBe('graded');
    expect(split.validation.pairs).toHaveLength(375);
    expect(split.train.pairs).toHaveLength(1125);
    if (split.validation.kind !== 'graded') return;
    const scores = split.validation.pairs.map((pair) => pair.score);
    expect(split.validation.scoreRange).toEqual({
      min: Math.min(...scores),
      max: Math.max(...scores),
    });

    // The parts write and read back unchanged.
    const temp = await tempFiles();
    try {
      const file = path.join(temp.dir, 'validation.tsv');
      await writePairFile(file, split.validation);
      const back = await readPairs(file);
      expect(back.pairs.map((pair) => pair.id)).toEqual(
        split.validation.pairs.map((pair) => pair.id),
      );
    } finally {
      await temp.cleanup();
    }
  });

  it('leaves at least one unit on each side', () => {
    expect(splitPairs(pairs(3), 0.01, 1).validation).toHaveLength(1);
    expect(splitPairs(pairs(3), 0.99, 1).train).toHaveLength(1);
  });

  it('rejects a share outside (0, 1) and a single unit', () => {
    expect(() => splitPairs(pairs(10), 0, 1)).toThrow(/between 0 and 1/);
    expect(() => splitPairs(pairs(10), 1, 1)).toThrow(/between 0 and 1/);
    expect(() => splitPairs(pairs(10), Number.NaN, 1)).toThrow(/between 0/);
    expect(() => splitPairs(pairs(1), 0.5, 1)).toThrow(/need at least 2/);
  });
});
