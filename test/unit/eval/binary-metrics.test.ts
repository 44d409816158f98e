import { describe, expect, it } from 'vitest';

import {
  accuracyAt,
  averagePrecision,
  bestThreshold,
  confusionAt,
  f1At,
  precisionAt,
  recallAt,
  rocAuc,
  type Labels,
} from '../../../src/eval/metrics.js';
import { mulberry32 } from '../../../src/data/seeded-random.js';

// The example of sklearn's average_precision_score and roc_auc_score docs.
const labels: Labels = [0, 0, 1, 1];
const similarity = [0.1, 0.4, 0.35, 0.8];
// The same ranking as an energy (lower = more alike).
const energy = similarity.map((s) => 1 - s);

describe('average precision and ROC AUC', () => {
  it('match the values in the sklearn docs', () => {
    expect(averagePrecision({ similarity }, labels)).toBeCloseTo(5 / 6, 9);
    expect(rocAuc({ similarity }, labels)).toBeCloseTo(0.75, 9);
  });

  it('give the same values for the same ranking given as energies', () => {
    expect(averagePrecision({ energy }, labels)).toBeCloseTo(5 / 6, 9);
    expect(rocAuc({ energy }, labels)).toBeCloseTo(0.75, 9);
  });

  it('treat tied scores as one threshold (sklearn: 0.875, 0.8333)', () => {
    const tied = { similarity: [0.5, 0.5, 0.2, 0.9] };
    const tiedLabels: Labels = [0, 1, 0, 1];
    // Pairs (pos, neg): (0.5, 0.5) counts half, the other three win.
    expect(rocAuc(tied, tiedLabels)).toBeCloseTo(3.5 / 4, 9);
    // Thresholds 0.9 (P 1, R 1/2) and 0.5 (P 2/3, R 1).
    expect(averagePrecision(tied, tiedLabels)).toBeCloseTo(
      0.5 * 1 + 0.5 * (2 / 3),
      9,
    );
  });

  it('reach 1 for a perfect ranking and 0 AUC for a reversed one', () => {
    const perfect = { similarity: [0.1, 0.2, 0.8, 0.9] };
    expect(rocAuc(perfect, labels)).toBe(1);
    expect(averagePrecision(perfect, labels)).toBe(1);
    expect(rocAuc({ energy: [0.1, 0.2, 0.8, 0.9] }, labels)).toBe(0);
  });

  it('refuse labels of a single class', () => {
    expect(() => averagePrecision({ similarity: [1, 2] }, [0, 0])).toThrow(
      /at least one label 1/,
    );
    expect(() => rocAuc({ similarity: [1, 2] }, [1, 1])).toThrow(
      /both labels 0 and 1/,
    );
  });
});

describe('threshold metrics', () => {
  it('count a similarity equal to the threshold as a duplicate', () => {
    // Predicted duplicates at 0.35: 0.4 (wrong), 0.35 and 0.8 (right).
    expect(confusionAt({ similarity }, labels, 0.35)).toEqual({
      truePositives: 2,
      falsePositives: 1,
      trueNegatives: 1,
      falseNegatives: 0,
    });
    expect(accuracyAt({ similarity }, labels, 0.35)).toBeCloseTo(0.75, 9);
    expect(precisionAt({ similarity }, labels, 0.35)).toBeCloseTo(2 / 3, 9);
    expect(recallAt({ similarity }, labels, 0.35)).toBe(1);
    expect(f1At({ similarity }, labels, 0.35)).toBeCloseTo(0.8, 9);
  });

  it('count an energy equal to the threshold as a duplicate', () => {
    const e = [0.9, 0.6, 0.65, 0.2];
    expect(confusionAt({ energy: e }, labels, 0.65)).toEqual({
      truePositives: 2,
      falsePositives: 1,
      trueNegatives: 1,
      falseNegatives: 0,
    });
    expect(accuracyAt({ energy: e }, labels, 0.64)).toBeCloseTo(0.5, 9);
  });

  it('give 0 precision and F1 when nothing is called a duplicate', () => {
    expect(precisionAt({ similarity }, labels, 2)).toBe(0);
    expect(recallAt({ similarity }, labels, 2)).toBe(0);
    expect(f1At({ similarity }, labels, 2)).toBe(0);
    expect(accuracyAt({ similarity }, labels, 2)).toBe(0.5);
  });
});

describe('bestThreshold', () => {
  it('picks the midpoint below the best split', () => {
    // Descending: 0.8 (1), 0.4 (0), 0.35 (1), 0.1 (0). Cutting under
    // 0.8 and under 0.35 both reach 3/4; the stricter cut wins.
    expect(bestThreshold({ similarity }, labels)).toEqual({
      threshold: (0.8 + 0.4) / 2,
      accuracy: 0.75,
    });
  });

  it('returns an energy threshold for energies', () => {
    const best = bestThreshold({ energy: [0.9, 0.6, 0.65, 0.2] }, labels);
    expect(best.threshold).toBeCloseTo(0.4, 12);
    expect(best.accuracy).toBe(0.75);
    expect(
      accuracyAt({ energy: [0.9, 0.6, 0.65, 0.2] }, labels, best.threshold),
    ).toBe(0.75);
  });

  it('never splits tied scores', () => {
    // A cut inside the tie at 0.5 would reach 100 %; it is not allowed.
    // Calling nothing a duplicate (above 0.5) and cutting under the tie
    // (0.3) both reach 2/3; the stricter wins.
    const best = bestThreshold({ similarity: [0.5, 0.5, 0.1] }, [1, 0, 0]);
    expect(best.threshold).toBeCloseTo(0.7, 12);
    expect(best.accuracy).toBe(2 / 3);
  });

  it('handles all-negative and all-equal inputs', () => {
    // Best is to call nothing a duplicate: half a gap above the top.
    expect(bestThreshold({ similarity: [1, 2, 3] }, [0, 0, 0])).toEqual({
      threshold: 3.5,
      accuracy: 1,
    });
    // Energies: nothing at or under half a gap below the lowest energy.
    expect(bestThreshold({ energy: [1, 2, 3] }, [0, 0, 0])).toEqual({
      threshold: 0.5,
      accuracy: 1,
    });
    // One distinct score: half a unit either side.
    expect(bestThreshold({ similarity: [2, 2] }, [1, 1])).toEqual({
      threshold: 1.5,
      accuracy: 1,
    });
  });

  it('keeps a cut between neighbouring floats on the right side', () => {
    const high = 1;
    const low = 1 - Number.EPSILON / 2; // the float just below 1
    const best = bestThreshold({ similarity: [high, low] }, [1, 0]);
    expect(best.accuracy).toBe(1);
    expect(
      accuracyAt({ similarity: [high, low] }, [1, 0], best.threshold),
    ).toBe(1);
  });

  it('agrees with a brute-force search on random tied scores', () => {
    const random = mulberry32(11);
    for (let trial = 0; trial < 50; trial += 1) {
      const n = 5 + Math.floor(random() * 40);
      const scores = Array.from({ length: n }, () => Math.round(random() * 8));
      const truth = scores.map((s) =>
        random() < 0.2 + s / 10 ? 1 : 0,
      ) as Labels;

      const best = bestThreshold({ energy: scores }, truth);
      let bruteForce = 0;
      for (const t of [-1, ...scores, 9]) {
        bruteForce = Math.max(
          bruteForce,
          accuracyAt({ energy: scores }, truth, t),
        );
      }
      expect(best.accuracy).toBeCloseTo(bruteForce, 12);
      expect(accuracyAt({ energy: scores }, truth, best.threshold)).toBe(
        best.accuracy,
      );
      expect(scores).not.toContain(best.threshold);
    }
  });
});

describe('input checks', () => {
  it('reject mismatched, empty and non-finite input', () => {
    expect(() => rocAuc({ similarity: [1, 2] }, [0])).toThrow(
      /2 scores but 1 labels/,
    );
    expect(() => bestThreshold({ similarity: [] }, [])).toThrow(/no scores/);
    expect(() => rocAuc({ energy: [1, Number.NaN] }, [0, 1])).toThrow(
      /score 1 is NaN/,
    );
    expect(() =>
      rocAuc({ similarity: [1, 2] }, [0, 2] as unknown as Labels),
    ).toThrow(/label 1 is 2; expected 0 or 1/);
  });

  it('carry the bad_input code', () => {
    expect(() => rocAuc({ similarity: [] }, [])).toThrow(
      expect.objectContaining({ code: 'bad_input' }),
    );
  });
});
