import { describe, expect, it } from 'vitest';

import { spreadOf, verdict } from '../../../src/review/simulation-report.js';

describe('verdict', () => {
  it('calls a gain beyond two standard errors on most seeds better', () => {
    // Mean 0.01, sd about 0.0071, standard error about 0.0032.
    expect(verdict([0.02, 0.01, 0.015, -0.002, 0.01, 0.012, 0.005])).toBe(
      'better',
    );
  });

  it('wants most seeds to gain, not just a large mean', () => {
    // Three large gains, four tiny losses: the mean (0.026) is just over
    // two standard errors (0.024), yet most seeds lost.
    const gains = [0.06, 0.06, 0.06, -0.0001, -0.0001, -0.0001, -0.0001];
    const { mean, sd } = spreadOf(gains);
    expect(mean).toBeGreaterThan((2 * sd) / Math.sqrt(gains.length));

    expect(verdict(gains)).toBe('no clear difference');
  });

  it('calls a gain within two standard errors no clear difference', () => {
    expect(verdict([0.02, -0.01, 0.015, -0.012, 0.01])).toBe(
      'no clear difference',
    );
  });

  it('calls a consistent loss worse', () => {
    expect(verdict([-0.02, -0.01, -0.015, 0.001, -0.012])).toBe('worse');
  });

  it('does not judge a single seed', () => {
    expect(verdict([0.05])).toBe('one seed');
  });
});

describe('spreadOf', () => {
  it('gives the mean, sample standard deviation and range', () => {
    const spread = spreadOf([1, 2, 3, 4]);

    expect(spread.mean).toBeCloseTo(2.5, 10);
    expect(spread.sd).toBeCloseTo(Math.sqrt(5 / 3), 10);
    expect(spread).toMatchObject({ min: 1, max: 4 });
  });
});
