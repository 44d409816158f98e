import { afterEach, describe, expect, it } from 'vitest';

import { AppError } from '../../../src/errors/app-error.js';
import { overlapDraw } from '../../../src/review/candidate-store.js';
import { PairStore } from '../../../src/store/pair-store.js';
import {
  addCandidates,
  MODEL,
  openQueue,
  type QueueFixture,
} from './queue-fixture.js';

let fixture: QueueFixture | undefined;

afterEach(async () => {
  await fixture?.cleanup();
  fixture = undefined;
});

/** What `fn` threw, as an AppError. */
function failure(fn: () => unknown): AppError {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected an AppError');
}

/** Labels pairs for `reviewer` until the queue is dry; returns their ids. */
async function labelAll(f: QueueFixture, reviewer: string): Promise<number[]> {
  const seen: number[] = [];
  for (;;) {
    const { pairs } = await f.queue.next(reviewer, 3);
    if (pairs.length === 0) return seen;
    for (const pair of pairs) {
      seen.push(pair.pairId);
      f.queue.decide(reviewer, pair.pairId, 'different');
    }
  }
}

describe('ReviewQueue', () => {
  it('reserves pairs nearest the threshold with their texts', async () => {
    fixture = openQueue();
    addCandidates(fixture, 11);

    const { pairs, remaining } = await fixture.queue.next('ada', 2);

    expect(pairs).toHaveLength(2);
    // The nearest pair on each side of the threshold (0.5, a duplicate).
    expect(pairs.map((p) => p.energy)).toEqual([0.5, 0.6]);
    expect(pairs[0]?.a.text).toMatch(/^question number/);
    expect(pairs[0]).toMatchObject({
      similarity: 0.5,
      guess: 'duplicate',
      reservedUntil: '2026-01-01T00:10:00.000Z',
    });
    expect(pairs[1]?.guess).toBe('different');
    expect(remaining).toBe(9);
  });

  it('gives held pairs back on the next call instead of new ones', async () => {
    fixture = openQueue();
    addCandidates(fixture, 5);

    const first = await fixture.queue.next('ada', 1);
    fixture.advance(60);
    const again = await fixture.queue.next('ada', 1);

    expect(again.pairs.map((p) => p.pairId)).toEqual(
      first.pairs.map((p) => p.pairId),
    );
    expect(again.pairs[0]?.reservedUntil).toBe('2026-01-01T00:11:00.000Z');
  });

  it('never shows a reviewer the same pair twice', async () => {
    fixture = openQueue();
    const ids = addCandidates(fixture, 25);

    const seen = await labelAll(fixture, 'ada');

    expect(new Set(seen).size).toBe(seen.length);
    expect([...seen].sort((x, y) => x - y)).toEqual(ids);
    expect((await fixture.queue.next('ada', 5)).pairs).toEqual([]);
  });

  it('keeps a pair from a second reviewer unless it is an overlap pair', async () => {
    fixture = openQueue();
    addCandidates(fixture, 8);

    await labelAll(fixture, 'ada');

    expect((await fixture.queue.next('bob', 5)).pairs).toEqual([]);
  });

  it('sends the REVIEW_OVERLAP share of pairs to two reviewers', async () => {
    fixture = openQueue({ overlap: 0.3 });
    addCandidates(fixture, 300);
    const keys = fixture.db
      .prepare<[], string>('SELECT pair_key FROM review_candidates')
      .pluck()
      .all();
    const expected = keys.filter((key) => overlapDraw(key) < 0.3).length;

    // Two reviewers take turns until neither is offered anything.
    for (;;) {
      const a = await fixture.queue.next('ada', 5);
      a.pairs.forEach((p) =>
        fixture?.queue.decide('ada', p.pairId, 'duplicate'),
      );
      const b = await fixture.queue.next('bob', 5);
      b.pairs.forEach((p) =>
        fixture?.queue.decide('bob', p.pairId, 'duplicate'),
      );
      if (a.pairs.length + b.pairs.length === 0) break;
    }

    const twice = fixture.db
      .prepare<[], number>(
        'SELECT count(*) FROM (SELECT candidate_id FROM review_decisions ' +
          'GROUP BY candidate_id HAVING count(DISTINCT reviewer) = 2)',
      )
      .pluck()
      .get();
    expect(twice).toBe(expected);
    expect(expected / 300).toBeGreaterThan(0.22);
    expect(expected / 300).toBeLessThan(0.38);
    expect(new PairStore(fixture.db).count()).toBe(300 + expected);
    expect(fixture.queue.stats().agreement).toMatchObject({
      items: expected,
      observed: 1,
      kappa: null,
    });
  });

  it('writes a reviewer label that retraining reads', async () => {
    fixture = openQueue();
    addCandidates(fixture, 3);
    const [pair] = (await fixture.queue.next('ada')).pairs;

    const result = fixture.queue.decide(
      'ada',
      pair?.pairId as number,
      'duplicate',
      '  same question  ',
    );

    const stored = new PairStore(fixture.db).get(result.labelId as number);
    expect(stored).toMatchObject({
      a: { itemId: pair?.a.id },
      b: { itemId: pair?.b.id },
      label: 1,
      source: 'reviewer',
      who: 'ada',
    });
    const note = fixture.db
      .prepare<[], string>('SELECT note FROM review_decisions')
      .pluck()
      .get();
    expect(note).toBe('same question');
  });

  it('refuses answers after the reservation ran out', async () => {
    fixture = openQueue();
    addCandidates(fixture, 2);
    const [pair] = (await fixture.queue.next('ada')).pairs;
    const id = pair?.pairId as number;

    fixture.advance(601);
    const late = failure(() => fixture?.queue.decide('ada', id, 'duplicate'));

    expect(late.code).toBe('reservation_expired');
    expect(late.message).toContain(`pair ${id}`);
    expect(new PairStore(fixture.db).count()).toBe(0);
  });

  it("refuses answers to another reviewer's pair", async () => {
    fixture = openQueue();
    addCandidates(fixture, 2);
    const [pair] = (await fixture.queue.next('ada')).pairs;
    const id = pair?.pairId as number;

    const foreign = failure(() => fixture?.queue.decide('bob', id, 'skip'));

    expect(foreign.code).toBe('not_reserved');
    expect(foreign.message).toContain('another reviewer');
  });

  it('gives an expired pair to the next reviewer who asks', async () => {
    fixture = openQueue();
    addCandidates(fixture, 1);
    const [held] = (await fixture.queue.next('ada')).pairs;
    expect((await fixture.queue.next('bob')).pairs).toEqual([]);

    fixture.advance(601);
    const [taken] = (await fixture.queue.next('bob')).pairs;

    expect(taken?.pairId).toBe(held?.pairId);
    const late = failure(() =>
      fixture?.queue.decide('ada', held?.pairId as number, 'different'),
    );
    expect(late.code).toBe('reservation_expired');
  });

  it('refuses a second label from the same reviewer', async () => {
    fixture = openQueue();
    addCandidates(fixture, 2);
    const [pair] = (await fixture.queue.next('ada')).pairs;
    const id = pair?.pairId as number;
    fixture.queue.decide('ada', id, 'duplicate');

    expect(
      failure(() => fixture?.queue.decide('ada', id, 'different')).code,
    ).toBe('conflict');
  });

  it('brings skipped pairs back once nothing else is left', async () => {
    fixture = openQueue();
    addCandidates(fixture, 3);
    const [first] = (await fixture.queue.next('ada')).pairs;
    fixture.queue.decide('ada', first?.pairId as number, 'skip');

    const order: number[] = [];
    for (let i = 0; i < 3; i += 1) {
      const [pair] = (await fixture.queue.next('ada')).pairs;
      order.push(pair?.pairId as number);
      fixture.queue.decide('ada', pair?.pairId as number, 'different');
    }

    expect(order[2]).toBe(first?.pairId);
    expect(new Set(order).size).toBe(3);
  });

  it('offers a pair one reviewer skipped to another at once', async () => {
    fixture = openQueue();
    addCandidates(fixture, 1);
    const [pair] = (await fixture.queue.next('ada')).pairs;
    fixture.queue.decide('ada', pair?.pairId as number, 'skip');

    const [other] = (await fixture.queue.next('bob')).pairs;

    expect(other?.pairId).toBe(pair?.pairId);
  });

  it('undoes twelve decisions, newest first, removing their labels', async () => {
    fixture = openQueue();
    addCandidates(fixture, 12);
    const order = await labelAll(fixture, 'ada');
    const pairs = new PairStore(fixture.db);
    expect(pairs.count()).toBe(12);

    const undone: number[] = [];
    const removed: number[] = [];
    for (let i = 0; i < 12; i += 1) {
      const result = fixture.queue.undo('ada');
      expect(result.decision).toBe('different');
      expect(result.removedLabelId).not.toBeNull();
      undone.push(result.pair?.pairId as number);
      removed.push(result.removedLabelId as number);
    }

    expect(undone).toEqual([...order].reverse());
    expect(pairs.count()).toBe(0);
    expect(failure(() => fixture?.queue.undo('ada')).code).toBe('not_found');
    // Each undone pair is held for the reviewer again, to answer anew.
    const again = await fixture.queue.next('ada', 20);
    expect(again.pairs.map((p) => p.pairId).sort()).toEqual([...order].sort());
    // A new label never takes the id of an undone one.
    const answer = fixture.queue.decide(
      'ada',
      again.pairs[0]?.pairId as number,
      'duplicate',
    );
    expect(answer.labelId).toBeGreaterThan(Math.max(...removed));
  });

  it("undoes only the reviewer's own decisions", async () => {
    fixture = openQueue();
    addCandidates(fixture, 2);
    const [pair] = (await fixture.queue.next('ada')).pairs;
    fixture.queue.decide('ada', pair?.pairId as number, 'duplicate');

    expect(failure(() => fixture?.queue.undo('bob')).code).toBe('not_found');
    expect(new PairStore(fixture.db).count()).toBe(1);
  });

  it('says the pool is empty instead of failing', async () => {
    fixture = openQueue();

    const next = await fixture.queue.next('ada', 5);

    expect(next).toEqual({ pairs: [], remaining: 0 });
    expect(fixture.queue.stats().queue).toEqual({
      candidates: 0,
      waiting: 0,
      reserved: 0,
    });
  });

  it('leaves out pairs whose items were deleted or already labelled', async () => {
    fixture = openQueue();
    addCandidates(fixture, 3);
    const [first, second] = fixture.db
      .prepare<[], { a: number; b: number }>(
        'SELECT a_item_id AS a, b_item_id AS b FROM review_candidates ' +
          'ORDER BY id',
      )
      .all();
    fixture.items.softDelete(first?.a as number);
    new PairStore(fixture.db).add({
      a: { itemId: second?.b as number },
      b: { itemId: second?.a as number },
      label: 1,
      source: 'api',
    });

    const { pairs } = await fixture.queue.next('ada', 5);

    expect(pairs).toHaveLength(1);
  });

  it('answers not_ready while no model serves', async () => {
    fixture = openQueue();
    fixture.setModel(undefined);

    await expect(fixture.queue.next('ada')).rejects.toMatchObject({
      code: 'not_ready',
    });
  });

  it('counts decisions per reviewer and the model on random picks', async () => {
    fixture = openQueue({
      policy: {
        warmupLabels: 0,
        shares: { uncertain: 0, disagree: 0, random: 1 },
        band: 0,
      },
    });
    addCandidates(fixture, 4);
    const { pairs } = await fixture.queue.next('ada', 4);
    for (const pair of pairs) {
      // Label every pair as the model would, except the first.
      const agree = pair.pairId !== pairs[0]?.pairId;
      const decision =
        pair.energy <= MODEL.threshold === agree ? 'duplicate' : 'different';
      fixture.queue.decide('ada', pair.pairId, decision);
    }

    const stats = fixture.queue.stats();

    expect(stats.reviewers).toEqual([
      expect.objectContaining({ reviewer: 'ada', skipped: 0 }),
    ]);
    expect(stats.estimate).toEqual({ pairs: 4, modelAccuracy: 0.75 });
    expect(stats.byReason.random).toBe(4);
    expect(stats.phase).toBe('steady');
  });
});
