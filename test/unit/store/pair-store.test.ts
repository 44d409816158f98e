import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { ItemStore } from '../../../src/store/item-store.js';
import { pairKey } from '../../../src/store/pair-key.js';
import { PairStore, type NewPair } from '../../../src/store/pair-store.js';
import { openTempDb, thrown, type TempDb } from './temp-db.js';

describe('PairStore', () => {
  let temp: TempDb;
  let pairs: PairStore;
  let a: number;
  let b: number;

  beforeEach(() => {
    temp = openTempDb('pairs');
    const items = new ItemStore(temp.db);
    [a, b] = items.insertMany([
      { text: 'How do I reset my password?' },
      { text: 'I forgot my password, what now?' },
    ]) as [number, number];
    pairs = new PairStore(temp.db);
  });

  afterEach(() => temp.cleanup());

  /** 30 pairs: labels alternate, sources rotate, two reviewers. */
  function addMixed(): number[] {
    const sources = ['import', 'api', 'reviewer'] as const;
    return pairs.addMany(
      Array.from({ length: 30 }, (_, i): NewPair => ({
        a: { text: `question ${i}` },
        b: { text: `other ${i}` },
        label: (i % 2) as 0 | 1,
        source: sources[i % 3] ?? 'api',
        who: i % 3 === 2 ? (i % 2 === 0 ? 'ann' : 'bob') : null,
      })),
    );
  }

  it('stores item and text sides and reads them back', () => {
    const id = pairs.add({
      a: { itemId: a },
      b: { text: 'Password reset steps' },
      label: 1,
      source: 'reviewer',
      who: 'ann',
    });

    expect(pairs.get(id)).toMatchObject({
      id,
      a: { itemId: a },
      b: { text: 'Password reset steps' },
      label: 1,
      source: 'reviewer',
      who: 'ann',
      pairKey: pairKey({ itemId: a }, { text: 'Password reset steps' }),
    });
  });

  it('never gives the id of a deleted pair again', () => {
    const ids = addMixed();
    const last = ids.at(-1) as number;
    temp.db.prepare('DELETE FROM pairs WHERE id >= ?').run(last - 1);

    const [next] = pairs.addMany([
      { a: { text: 'new' }, b: { text: 'pair' }, label: 1, source: 'api' },
    ]);
    expect(next).toBe(last + 1);
    expect(pairs.get(next as number)?.a).toEqual({ text: 'new' });
    expect(pairs.get(last)).toBeUndefined();
  });

  it('keys a pair the same whichever way round, texts normalised', () => {
    expect(pairKey({ itemId: a }, { itemId: b })).toBe(
      pairKey({ itemId: b }, { itemId: a }),
    );
    expect(pairKey({ text: 'Hello  World ' }, { itemId: a })).toBe(
      pairKey({ itemId: a }, { text: 'hello world' }),
    );
    expect(pairKey({ text: 'x' }, { text: 'y' })).not.toBe(
      pairKey({ text: 'x' }, { text: 'z' }),
    );
  });

  it('finds contradicting labels on the same pair', () => {
    const first = pairs.add({
      a: { itemId: a },
      b: { itemId: b },
      label: 1,
      source: 'import',
    });
    const second = pairs.add({
      a: { itemId: b },
      b: { itemId: a },
      label: 0,
      source: 'reviewer',
      who: 'bob',
    });
    pairs.add({ a: { text: 'p' }, b: { text: 'q' }, label: 1, source: 'api' });

    expect(pairs.conflicts()).toEqual([
      {
        pairKey: pairKey({ itemId: a }, { itemId: b }),
        positives: 1,
        negatives: 1,
        pairIds: [first, second],
      },
    ]);
  });

  it('refuses a side naming a missing item, storing nothing', () => {
    const err = thrown(() =>
      pairs.addMany([
        { a: { text: 'x' }, b: { text: 'y' }, label: 0, source: 'api' },
        { a: { itemId: a }, b: { itemId: 999 }, label: 1, source: 'api' },
      ]),
    );

    expect(err).toMatchObject({ code: 'not_found', details: { itemId: 999 } });
    expect((err as Error).message).toContain('pairs[1].b');
    expect(pairs.count()).toBe(0);
  });

  it('refuses malformed pairs', () => {
    const bad = [
      { a: { itemId: a }, b: { itemId: a }, label: 1, source: 'api' },
      { a: { text: 'x' }, b: { text: '' }, label: 1, source: 'api' },
      { a: { text: 'x' }, b: { text: 'y' }, label: 2, source: 'api' },
      { a: { text: 'x' }, b: { text: 'y' }, label: 1, source: 'web' },
      {
        a: { text: 'x', itemId: a },
        b: { text: 'y' },
        label: 1,
        source: 'api',
      },
    ] as unknown as NewPair[];

    for (const pair of bad) {
      expect(thrown(() => pairs.add(pair))).toMatchObject({
        code: 'bad_input',
      });
    }
    expect(pairs.count()).toBe(0);
  });

  it('pages by offset and by cursor', () => {
    const ids = addMixed();

    const byOffset = pairs.list({ limit: 10, offset: 20 });
    expect(byOffset.pairs.map((p) => p.id)).toEqual(ids.slice(20));
    expect(byOffset.nextAfter).toBeNull();

    const seen: number[] = [];
    let after: number | undefined;
    for (;;) {
      const page = pairs.list({ limit: 7, after });
      seen.push(...page.pairs.map((p) => p.id));
      if (page.nextAfter === null) break;
      after = page.nextAfter;
    }
    expect(seen).toEqual(ids);
  });

  it('filters by label, source and who', () => {
    addMixed();

    const positives = pairs.list({ label: 1, limit: 100 }).pairs;
    const fromApi = pairs.list({ source: 'api', limit: 100 }).pairs;
    const ann = pairs.list({ who: 'ann', limit: 100 }).pairs;

    expect(positives).toHaveLength(15);
    expect(positives.every((p) => p.label === 1)).toBe(true);
    expect(fromApi).toHaveLength(10);
    expect(ann.every((p) => p.who === 'ann' && p.label === 0)).toBe(true);
    expect(ann).toHaveLength(5);
    expect(pairs.count({ source: 'reviewer', label: 1 })).toBe(5);
  });

  it('rejects offset with cursor, and bad limits', () => {
    expect(thrown(() => pairs.list({ offset: 1, after: 1 }))).toMatchObject({
      code: 'bad_input',
    });
    expect(thrown(() => pairs.list({ limit: 0 }))).toMatchObject({
      code: 'bad_input',
    });
  });

  it('counts pairs added since a given id', () => {
    const ids = addMixed();
    expect(pairs.count()).toBe(30);
    expect(pairs.lastId()).toBe(ids.at(-1));
    expect(pairs.countSince(ids[24] as number)).toBe(5);
    expect(pairs.countSince(pairs.lastId())).toBe(0);
    expect(pairs.countSince(0, { label: 0 })).toBe(15);
  });

  it('resolves texts for training', () => {
    pairs.add({ a: { itemId: a }, b: { itemId: b }, label: 1, source: 'api' });
    const cut = pairs.add({
      a: { itemId: b },
      b: { text: 'Unrelated' },
      label: 0,
      source: 'import',
    });
    pairs.add({
      a: { text: 'late' },
      b: { text: 'pair' },
      label: 1,
      source: 'api',
    });

    const training = pairs.trainingPairs(cut);

    expect(training).toEqual([
      expect.objectContaining({
        a: 'How do I reset my password?',
        b: 'I forgot my password, what now?',
        label: 1,
      }),
      expect.objectContaining({
        a: 'I forgot my password, what now?',
        b: 'Unrelated',
        label: 0,
      }),
    ]);
    expect(pairs.trainingPairs()).toHaveLength(3);
  });
});
