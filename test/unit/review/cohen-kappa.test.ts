import { describe, expect, it } from 'vitest';

import { cohenKappa, type RatedPair } from '../../../src/review/cohen-kappa.js';

/** `n` copies of one pair of ratings. */
function times(n: number, pair: RatedPair): RatedPair[] {
  return Array.from({ length: n }, () => pair);
}

describe('cohenKappa', () => {
  it('matches a hand computation: 20/5/10/15 of 50 gives 0.4', () => {
    // p_o = 35/50 = 0.7; first says yes 25/50, second 30/50;
    // p_e = 0.5 * 0.6 + 0.5 * 0.4 = 0.5; kappa = 0.2 / 0.5 = 0.4.
    const ratings = [
      ...times(20, [1, 1]),
      ...times(5, [1, 0]),
      ...times(10, [0, 1]),
      ...times(15, [0, 0]),
    ];

    const result = cohenKappa(ratings);

    expect(result.items).toBe(50);
    expect(result.observed).toBeCloseTo(0.7, 12);
    expect(result.expected).toBeCloseTo(0.5, 12);
    expect(result.kappa).toBeCloseTo(0.4, 12);
  });

  it('matches a hand computation: 45/15/25/15 of 100 gives 0.1304', () => {
    // p_o = 0.6; p_e = 0.6 * 0.7 + 0.4 * 0.3 = 0.54;
    // kappa = 0.06 / 0.46 = 0.130434...
    const ratings = [
      ...times(45, [1, 1]),
      ...times(15, [1, 0]),
      ...times(25, [0, 1]),
      ...times(15, [0, 0]),
    ];

    expect(cohenKappa(ratings).kappa).toBeCloseTo(0.06 / 0.46, 12);
  });

  it('is 1 for perfect agreement and -1 for perfect opposition', () => {
    expect(
      cohenKappa([
        [1, 1],
        [0, 0],
        [1, 1],
        [0, 0],
      ]).kappa,
    ).toBeCloseTo(1);
    expect(
      cohenKappa([
        [1, 0],
        [0, 1],
      ]).kappa,
    ).toBeCloseTo(-1);
  });

  it('is about 0 when agreement is what chance predicts', () => {
    // Each rater says yes half the time, independently: p_o = p_e = 0.5.
    const ratings = [
      ...times(10, [1, 1]),
      ...times(10, [1, 0]),
      ...times(10, [0, 1]),
      ...times(10, [0, 0]),
    ];

    expect(cohenKappa(ratings).kappa).toBeCloseTo(0, 12);
  });

  it('is undefined (null) when both raters gave one label to all', () => {
    const result = cohenKappa(times(5, [1, 1]));

    expect(result.observed).toBe(1);
    expect(result.expected).toBe(1);
    expect(result.kappa).toBeNull();
  });

  it('reports nothing for no items', () => {
    expect(cohenKappa([])).toEqual({
      items: 0,
      observed: null,
      expected: null,
      kappa: null,
    });
  });
});
