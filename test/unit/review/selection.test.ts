import { describe, expect, it } from 'vitest';

import { mulberry32 } from '../../../src/data/seeded-random.js';
import type { SelectionPolicy } from '../../../src/review/review-settings.js';
import {
  disagreementOrder,
  selectCandidates,
  uncertaintyOrder,
  type PoolCandidate,
} from '../../../src/review/selection.js';

const THRESHOLD = 0.5;

/** A pool: `likely` pairs under the threshold, `unlikely` above it. */
function pool(likely: number, unlikely: number): PoolCandidate[] {
  const out: PoolCandidate[] = [];
  for (let i = 0; i < likely + unlikely; i += 1) {
    const energy =
      i < likely
        ? (0.45 * (i + 1)) / likely
        : 0.55 + (0.9 * (i - likely)) / unlikely;
    out.push({ id: i + 1, energy, lexical: 0.3, skipped: false });
  }
  return out;
}

function policy(
  shares: Partial<SelectionPolicy['shares']> = {},
  warmupLabels = 50,
  band = 0,
): SelectionPolicy {
  return {
    warmupLabels,
    shares: { uncertain: 0, disagree: 0, random: 0, ...shares },
    band,
  };
}

const few = { duplicate: 0, different: 0 };
const many = { duplicate: 500, different: 500 };

describe('selectCandidates', () => {
  it('splits early picks between likely duplicates and likely different', () => {
    const candidates = pool(40, 960);
    const energyOf = new Map(candidates.map((c) => [c.id, c.energy]));

    const picks = selectCandidates(
      candidates,
      20,
      { threshold: THRESHOLD, labels: few },
      policy({ uncertain: 1 }),
      mulberry32(1),
    );

    const duplicates = picks.filter((p) => energyOf.get(p.id)! <= THRESHOLD);
    expect(picks).toHaveLength(20);
    expect(picks.every((p) => p.reason === 'warmup')).toBe(true);
    expect(duplicates).toHaveLength(10);
  });

  it('favours the class with fewer labels during the warm-up', () => {
    const candidates = pool(40, 960);
    const energyOf = new Map(candidates.map((c) => [c.id, c.energy]));

    const picks = selectCandidates(
      candidates,
      10,
      { threshold: THRESHOLD, labels: { duplicate: 3, different: 70 } },
      policy({ uncertain: 1 }),
      mulberry32(2),
    );

    expect(picks.every((p) => energyOf.get(p.id)! <= THRESHOLD)).toBe(true);
  });

  it('falls back to the other stratum when one is empty', () => {
    const picks = selectCandidates(
      pool(0, 30),
      5,
      { threshold: THRESHOLD, labels: few },
      policy({ uncertain: 1 }),
      mulberry32(3),
    );

    expect(picks).toHaveLength(5);
    expect(new Set(picks.map((p) => p.id)).size).toBe(5);
  });

  it('asks about energies nearest the threshold once labels abound', () => {
    const picks = selectCandidates(
      pool(100, 100),
      6,
      { threshold: THRESHOLD, labels: many },
      policy({ uncertain: 1 }),
      mulberry32(4),
    );

    // Ids 1-100 lie under the threshold, 101-200 over it.
    expect(picks.map((p) => p.id)).toEqual([100, 101, 99, 102, 98, 103]);
    expect(picks.every((p) => p.reason === 'uncertain')).toBe(true);
  });

  it('draws uncertain picks from the band nearest the threshold', () => {
    const candidates = pool(100, 100);
    const head = new Set(uncertaintyOrder(candidates, THRESHOLD).slice(0, 20));
    const chosen = new Set<number>();

    for (let seed = 1; seed <= 30; seed += 1) {
      const [pick] = selectCandidates(
        candidates,
        1,
        { threshold: THRESHOLD, labels: many },
        policy({ uncertain: 1 }, 50, 0.1),
        mulberry32(seed),
      );
      chosen.add(pick!.id);
    }

    // A band of 0.1 of 200 open pairs is the 20 nearest.
    expect([...chosen].every((id) => head.has(id))).toBe(true);
    expect(chosen.size).toBeGreaterThan(5);
  });

  it('keeps the band a share of the pairs still open', () => {
    const candidates = pool(100, 100);
    const order = uncertaintyOrder(candidates, THRESHOLD);

    const picks = selectCandidates(
      candidates,
      100,
      { threshold: THRESHOLD, labels: many },
      policy({ uncertain: 1 }, 50, 0.1),
      mulberry32(11),
    );

    // The k-th pick (from 0) comes from the first k + round(0.1 * open)
    // places of the order: k are taken, the band of what is open follows.
    picks.forEach((pick, k) => {
      const width = Math.max(1, Math.round(0.1 * (200 - k)));
      expect(order.indexOf(pick.id)).toBeLessThan(k + width);
    });
  });

  it('asks where the encoder and word overlap disagree', () => {
    const candidates: PoolCandidate[] = [
      // Close by energy and by words: both agree it is a duplicate.
      { id: 1, energy: 0.1, lexical: 0.9, skipped: false },
      // Far and no shared words: both agree it is not.
      { id: 2, energy: 1.4, lexical: 0.0, skipped: false },
      // Encoder says duplicate, no shared words: disagreement.
      { id: 3, energy: 0.05, lexical: 0.0, skipped: false },
      // Encoder says different, nearly the same words: disagreement.
      { id: 4, energy: 1.5, lexical: 0.95, skipped: false },
      { id: 5, energy: 0.7, lexical: 0.4, skipped: false },
    ];

    const picks = selectCandidates(
      candidates,
      2,
      { threshold: THRESHOLD, labels: many },
      policy({ disagree: 1 }),
      mulberry32(5),
    );

    expect(picks.map((p) => p.id).sort()).toEqual([3, 4]);
    expect(picks.every((p) => p.reason === 'disagree')).toBe(true);
  });

  it('takes an uncertain pair when no disagreement is left', () => {
    // Word overlap ranks the pairs as the encoder does.
    const candidates = pool(5, 5).map((c) => ({ ...c, lexical: 1 - c.energy }));

    const picks = selectCandidates(
      candidates,
      3,
      { threshold: THRESHOLD, labels: many },
      policy({ disagree: 1 }),
      mulberry32(12),
    );

    expect(picks.map((p) => p.id)).toEqual([5, 6, 4]);
    expect(picks.every((p) => p.reason === 'uncertain')).toBe(true);
  });

  it('mixes the strategies in about the configured shares', () => {
    const random = mulberry32(6);
    const counts = { uncertain: 0, disagree: 0, random: 0 };
    const shares = { uncertain: 0.6, disagree: 0.25, random: 0.15 };
    // Word overlap that disagrees with the encoder on every other pair,
    // so disagreement picks do not run out.
    const candidates = pool(50, 50).map((c) => ({
      ...c,
      lexical: c.id % 2 === 0 ? c.energy : 1 - c.energy,
    }));

    for (let round = 0; round < 400; round += 1) {
      const picks = selectCandidates(
        candidates,
        10,
        { threshold: THRESHOLD, labels: many },
        policy(shares, 50, 0.05),
        random,
      );
      for (const pick of picks) {
        counts[pick.reason as keyof typeof counts] += 1;
      }
    }

    const total = counts.uncertain + counts.disagree + counts.random;
    expect(total).toBe(4000);
    expect(counts.uncertain / total).toBeCloseTo(0.6, 1);
    expect(counts.disagree / total).toBeCloseTo(0.25, 1);
    expect(counts.random / total).toBeCloseTo(0.15, 1);
  });

  it('keeps a random share during the warm-up too', () => {
    const picks = selectCandidates(
      pool(10, 10),
      20,
      { threshold: THRESHOLD, labels: few },
      policy({ random: 1 }),
      mulberry32(7),
    );

    expect(picks.every((p) => p.reason === 'random')).toBe(true);
    expect(new Set(picks.map((p) => p.id)).size).toBe(20);
  });

  it('never picks one pair twice and stops when the pool is used up', () => {
    const picks = selectCandidates(
      pool(3, 4),
      20,
      { threshold: THRESHOLD, labels: many },
      policy({ uncertain: 0.5, disagree: 0.3, random: 0.2 }),
      mulberry32(8),
    );

    expect(picks).toHaveLength(7);
    expect(new Set(picks.map((p) => p.id)).size).toBe(7);
  });

  it('offers skipped pairs only after every other pair, oldest first', () => {
    const candidates = pool(2, 2);
    candidates.push(
      { id: 90, energy: 0.5, lexical: 0.5, skipped: true },
      { id: 80, energy: 0.5, lexical: 0.5, skipped: true },
    );

    const picks = selectCandidates(
      candidates,
      6,
      { threshold: THRESHOLD, labels: many },
      policy({ uncertain: 1 }),
      mulberry32(9),
    );

    expect(picks.slice(4)).toEqual([
      { id: 90, reason: 'skipped' },
      { id: 80, reason: 'skipped' },
    ]);
    expect(picks.slice(0, 4).every((p) => p.id < 80)).toBe(true);
  });

  it('returns nothing for an empty pool', () => {
    expect(
      selectCandidates(
        [],
        5,
        { threshold: THRESHOLD, labels: few },
        policy({ uncertain: 1 }),
        mulberry32(10),
      ),
    ).toEqual([]);
  });
});

describe('uncertaintyOrder', () => {
  it('counts pairs, not energy, from the threshold', () => {
    // Three pairs crowd just over the threshold, one lies under it. By
    // energy difference the crowded side would fill the head.
    const order = uncertaintyOrder(
      [
        { id: 1, energy: 0.3, lexical: 0, skipped: false },
        { id: 2, energy: 0.52, lexical: 0, skipped: false },
        { id: 3, energy: 0.53, lexical: 0, skipped: false },
        { id: 4, energy: 0.54, lexical: 0, skipped: false },
        { id: 5, energy: 0.1, lexical: 0, skipped: false },
      ],
      0.5,
    );

    expect(order).toEqual([1, 2, 3, 5, 4]);
  });
});

describe('disagreementOrder', () => {
  it('keeps pairs judged on opposite sides, nearest the threshold first', () => {
    const order = disagreementOrder(
      [
        // Both signals agree: close and sharing most words.
        { id: 1, energy: 0.1, lexical: 0.9, skipped: false },
        // Encoder close, no shared words.
        { id: 2, energy: 0.05, lexical: 0.0, skipped: false },
        // Encoder far, the most shared words, energy near the threshold.
        { id: 3, energy: 0.55, lexical: 0.95, skipped: false },
        // Both agree: far and no shared words.
        { id: 4, energy: 1.4, lexical: 0.05, skipped: false },
      ],
      0.5,
    );

    // Two pairs are duplicates by energy, so the two with the most
    // shared words (1 and 3) are duplicates by word overlap.
    expect(order).toEqual([3, 2]);
  });

  it('is empty when the signals agree on every pair', () => {
    const order = disagreementOrder(
      [
        { id: 1, energy: 0.1, lexical: 0.9, skipped: false },
        { id: 2, energy: 0.3, lexical: 0.5, skipped: false },
        { id: 3, energy: 0.6, lexical: 0.4, skipped: false },
        { id: 4, energy: 0.9, lexical: 0.1, skipped: false },
      ],
      0.5,
    );

    expect(order).toEqual([]);
  });

  it('finds no duplicates by word overlap when the encoder finds none', () => {
    const order = disagreementOrder(
      [
        { id: 1, energy: 0.8, lexical: 1, skipped: false },
        { id: 2, energy: 0.9, lexical: 0, skipped: false },
      ],
      0.5,
    );

    expect(order).toEqual([]);
  });
});
