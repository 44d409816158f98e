import { describe, expect, it } from 'vitest';

import {
  meanAveragePrecision,
  meanReciprocalRank,
  rankingMetrics,
  type Labels,
} from '../../../src/eval/metrics.js';

// Three queries; scores are similarities, listed in ranked order.
//   q1: relevant, not, relevant -> AP (1/1 + 2/3) / 2, RR 1
//   q2: not, relevant, not      -> AP 1/2,            RR 1/2
//   q3: nothing relevant        -> AP 0,              RR 0
const groups = ['q1', 'q1', 'q1', 'q2', 'q2', 'q2', 'q3', 'q3'];
const similarity = [0.9, 0.5, 0.1, 0.8, 0.6, 0.2, 0.7, 0.3];
const labels: Labels = [1, 0, 1, 0, 1, 0, 0, 0];

describe('rankingMetrics', () => {
  it('computes MAP and MRR by hand, counting empty queries as 0', () => {
    const report = rankingMetrics(groups, { similarity }, labels);

    expect(report.map).toBeCloseTo(((1 + 2 / 3) / 2 + 1 / 2 + 0) / 3, 12);
    expect(report.mrr).toBeCloseTo((1 + 1 / 2 + 0) / 3, 12);
    expect(report.queries).toBe(3);
    expect(report.queriesWithoutRelevant).toBe(1);
  });

  it('orders by energy when given energies', () => {
    const energy = similarity.map((s) => 1 - s);
    expect(meanAveragePrecision(groups, { energy }, labels)).toBeCloseTo(
      rankingMetrics(groups, { similarity }, labels).map,
      12,
    );
  });

  it('does not depend on the order of the queries or candidates', () => {
    const order = [7, 2, 4, 0, 6, 1, 5, 3];
    const shuffled = rankingMetrics(
      order.map((i) => groups[i] as string),
      { similarity: order.map((i) => similarity[i] as number) },
      order.map((i) => labels[i] as 0 | 1),
    );
    expect(shuffled).toEqual(rankingMetrics(groups, { similarity }, labels));
  });

  it('breaks ties by input order', () => {
    const tied = { similarity: [1, 1, 1] };
    const g = ['q', 'q', 'q'];
    // Relevant candidate last among equals: rank 3.
    expect(meanReciprocalRank(g, tied, [0, 0, 1])).toBeCloseTo(1 / 3, 12);
    expect(meanReciprocalRank(g, tied, [1, 0, 0])).toBe(1);
  });

  it('only counts candidates within the cutoff', () => {
    // q1 keeps (1, 0): AP 1. q2 keeps (0, 1): AP 1/2. q3: 0.
    const report = rankingMetrics(groups, { similarity }, labels, {
      cutoff: 2,
    });
    expect(report.map).toBeCloseTo((1 + 1 / 2 + 0) / 3, 12);
    // With cutoff 1, q2's relevant candidate falls out.
    const top1 = rankingMetrics(groups, { similarity }, labels, { cutoff: 1 });
    expect(top1.queriesWithoutRelevant).toBe(2);
  });

  it('rejects bad input', () => {
    expect(() => rankingMetrics(['q'], { similarity }, labels)).toThrow(
      /1 query ids but 8 labels/,
    );
    expect(() =>
      rankingMetrics(groups, { similarity }, labels, { cutoff: 0 }),
    ).toThrow(/cutoff must be a whole number/);
    expect(() =>
      rankingMetrics(groups, { similarity }, labels, { cutoff: 2.5 }),
    ).toThrow(/cutoff/);
  });
});
