import { describe, expect, it } from 'vitest';

import type {
  ArmOutcome,
  SeedOutcome,
} from '../../../src/review/review-simulation.js';
import {
  simulationSection,
  spreadOf,
  verdict,
  type SimulationSetup,
} from '../../../src/review/simulation-report.js';

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

describe('simulationSection', () => {
  const arm = (name: string, accuracy: number): ArmOutcome => ({
    arm: name,
    accuracy,
    auc: accuracy + 0.05,
    accuracies: [accuracy],
    duplicateShare: 0.5,
    pickerAccuracy: 0.6,
    reasons: { random: { picks: 500, duplicates: 250, right: 300 } },
  });
  const outcomes: SeedOutcome[] = [1, 2].map((seed) => ({
    seed,
    weakAccuracy: 0.68,
    arms: [arm('random', 0.69), arm('queue', 0.7)],
  }));
  const setup: SimulationSetup = {
    command: 'siamese-dedup simulate-review --seeds 1,2',
    files: { labelled: 'quora/dev.tsv', test: 'quora/test-a.tsv' },
    sizes: { validation: 1000, weak: 500, pool: 8500, budget: 500, round: 100 },
    training: {
      weak: { epochs: 10, patience: 2, learningRate: 0.001 },
      retrain: { epochs: 3, patience: 3, learningRate: 0.0003 },
    },
    repeats: 3,
    encoder: '64 LSTM units, max pooling',
    architectureFrom: 'models/default',
    policy: {
      warmupLabels: 50,
      shares: { uncertain: 0.8, disagree: 0.1, random: 0.1 },
      band: 0.05,
    },
    seconds: 12,
    machine: 'test CPU, 2 cores',
  };

  it('says where the architecture came from and how each model trains', () => {
    const text = simulationSection(outcomes, setup);

    expect(text).toContain(
      'architecture of `models/default` (64 LSTM units, max pooling) ' +
        'with fresh weights',
    );
    expect(text).toContain(
      'at most 10 epochs, stopping after 2 without gain, learning rate 0.001',
    );
    expect(text).toContain(
      '3 epoch(s), keeping the best on validation, learning rate 0.0003',
    );
  });

  it('gives the paired difference and one row per seed', () => {
    const text = simulationSection(outcomes, setup);

    expect(text).toContain('**queue vs random:** +1.0 points');
    expect(text).toContain('| 2 | 68.0 | 69.0 | 70.0 |');
  });
});
