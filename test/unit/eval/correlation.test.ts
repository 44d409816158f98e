import { describe, expect, it } from 'vitest';

import {
  averageRanks,
  correlations,
  pearson,
  spearman,
} from '../../../src/eval/metrics.js';

describe('averageRanks', () => {
  it('gives tied values the mean of their ranks', () => {
    expect(averageRanks([10, 20, 20, 5])).toEqual([2, 3.5, 3.5, 1]);
    expect(averageRanks([7, 7, 7])).toEqual([2, 2, 2]);
    expect(averageRanks([])).toEqual([]);
  });
});

describe('pearson and spearman', () => {
  it('match the examples in the scipy docs', () => {
    // scipy.stats.pearsonr and spearmanr documentation examples.
    expect(
      pearson([1, 2, 3, 4, 5, 6, 7], [10, 9, 2.5, 6, 4, 3, 2]),
    ).toBeCloseTo(-0.8285038835884277, 9);
    expect(spearman([1, 2, 3, 4, 5], [5, 6, 7, 8, 7])).toBeCloseTo(
      0.8207826816681233,
      9,
    );
  });

  it('match hand-computed values', () => {
    // x = [1, 2, 3], y = [1, 3, 2]: cov 0.5 * 2, var 2 and 2 -> 0.5.
    expect(pearson([1, 2, 3], [1, 3, 2])).toBeCloseTo(0.5, 12);
    // Any monotone map keeps Spearman at 1.
    expect(spearman([1, 2, 3, 4], [1, 8, 27, 64])).toBe(1);
    expect(pearson([1, 2, 3], [-2, -4, -6])).toBe(-1);
  });

  it('give NaN when one side is constant', () => {
    expect(pearson([1, 1, 1], [1, 2, 3])).toBeNaN();
    expect(spearman([1, 2, 3], [4, 4, 4])).toBeNaN();
  });

  it('reject mismatched, too short and non-finite input', () => {
    expect(() => pearson([1, 2], [1])).toThrow(/equal lengths, got 2 and 1/);
    expect(() => pearson([1], [1])).toThrow(/at least 2 values/);
    expect(() => spearman([1, Infinity], [1, 2])).toThrow(/got Infinity/);
  });
});

describe('correlations', () => {
  it('flips energies so a good model correlates positively', () => {
    const gold = [0, 2.5, 5];
    const fromEnergy = correlations({ energy: [3, 1.2, 0.1] }, gold);
    const fromSimilarity = correlations({ similarity: [-3, -1.2, -0.1] }, gold);

    expect(fromEnergy.spearman).toBe(1);
    expect(fromEnergy.pearson).toBeGreaterThan(0.9);
    expect(fromEnergy).toEqual(fromSimilarity);
  });
});
