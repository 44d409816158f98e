import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import {
  DEFAULT_TUNING,
  EF_GROWTH_FROM,
  grownEf,
} from '../../../src/index/index-options.js';
import { VectorIndex } from '../../../src/index/vector-index.js';
import { randomVectors } from './random-vectors.js';

describe('grownEf', () => {
  it('keeps the configured ef up to EF_GROWTH_FROM entries', () => {
    expect(grownEf(100, 0)).toBe(100);
    expect(grownEf(100, EF_GROWTH_FROM)).toBe(100);
    expect(grownEf(37, EF_GROWTH_FROM)).toBe(37);
  });

  it('widens it with the square root of the size past that', () => {
    expect(grownEf(100, 4 * EF_GROWTH_FROM)).toBe(200);
    expect(grownEf(100, 1_000_000)).toBe(317);
    expect(grownEf(50, 1_000_000)).toBe(159);
    expect(grownEf(100, EF_GROWTH_FROM + 1)).toBe(101);
  });

  it('never narrows as the graph grows', () => {
    let last = 0;
    for (let n = 0; n <= 3_000_000; n += 12_345) {
      const ef = grownEf(100, n);
      expect(ef).toBeGreaterThanOrEqual(last);
      last = ef;
    }
  });
});

describe('VectorIndex search ef', () => {
  const DIM = 2;
  const ENTRIES = EF_GROWTH_FROM + 10_000;
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  /** An index past EF_GROWTH_FROM entries; small graph settings for speed. */
  function large(growEf?: boolean) {
    const index = new VectorIndex({
      dim: DIM,
      modelVersion: 'ef',
      m: 4,
      efConstruction: 10,
      initialCapacity: ENTRIES,
      ...(growEf === undefined ? {} : { growEf }),
    });
    const vectors = randomVectors(ENTRIES, DIM, 5);
    index.addMany(vectors.map((vector, i) => ({ id: i + 1, vector })));
    return { index, query: vectors[0] as Float32Array };
  }

  it('is the configured ef while the graph is small', () => {
    const index = new VectorIndex({ dim: DIM, modelVersion: 'ef', ef: 30 });
    index.add(1, Float32Array.of(0.6, 0.8));
    expect(index.ef).toBe(30);
    expect(new VectorIndex({ dim: DIM, modelVersion: 'ef' }).ef).toBe(
      DEFAULT_TUNING.ef,
    );
  });

  it('widens past EF_GROWTH_FROM entries, deleted ones counted', async () => {
    const { index, query } = large();
    const wide = grownEf(DEFAULT_TUNING.ef, ENTRIES);
    expect(wide).toBeGreaterThan(DEFAULT_TUNING.ef);
    expect(index.ef).toBe(wide);

    index.remove(2);
    expect(index.search(query, 3)).toHaveLength(3);
    expect(index.ef).toBe(wide);

    // A saved graph is searched as widely once loaded.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'search-ef-'));
    dirs.push(dir);
    await index.save(dir);
    const loaded = await VectorIndex.load(dir, {
      modelVersion: 'ef',
      dim: DIM,
    });
    expect(loaded?.ef).toBe(wide);
    const fixed = await VectorIndex.load(
      dir,
      { modelVersion: 'ef', dim: DIM },
      { growEf: false },
    );
    expect(fixed?.ef).toBe(DEFAULT_TUNING.ef);
  });

  it('stays at the configured ef when growEf is off', () => {
    const { index } = large(false);
    expect(index.ef).toBe(DEFAULT_TUNING.ef);
  });
});
