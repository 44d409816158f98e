import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { AppError } from '../../../src/errors/app-error.js';
import { ItemStore } from '../../../src/store/item-store.js';
import { openTempDb, steppingClock, thrown, type TempDb } from './temp-db.js';

describe('ItemStore', () => {
  let temp: TempDb;
  let items: ItemStore;

  beforeEach(() => {
    temp = openTempDb('items');
    items = new ItemStore(temp.db, { clock: steppingClock() });
  });

  afterEach(() => temp.cleanup());

  it('stores an item and reads it back', () => {
    const id = items.insert({
      text: 'How do I reset my password?',
      externalId: 'q-1',
      metadata: { lang: 'en', tags: ['account'] },
    });

    expect(items.get(id)).toEqual({
      id,
      externalId: 'q-1',
      text: 'How do I reset my password?',
      metadata: { lang: 'en', tags: ['account'] },
      createdAt: '2026-01-01T00:00:00.000Z',
      deletedAt: null,
    });
    expect(items.getByExternalId('q-1')?.id).toBe(id);
    expect(items.get(id + 1)).toBeUndefined();
  });

  it('allows many items without an external id', () => {
    const ids = items.insertMany([{ text: 'a' }, { text: 'b' }, { text: 'c' }]);
    expect(ids).toEqual([1, 2, 3]);
    expect(items.count()).toEqual({ live: 3, deleted: 0 });
  });

  it('refuses a taken external id, naming it, and changes nothing', () => {
    const first = items.insert({ text: 'first', externalId: 'q-7' });

    const err = thrown(() =>
      items.insert({ text: 'again', externalId: 'q-7' }),
    );

    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({
      code: 'conflict',
      details: { externalId: 'q-7', existingId: first },
    });
    expect((err as Error).message).toContain('"q-7"');
    expect(items.count()).toEqual({ live: 1, deleted: 0 });
    expect(items.get(first)?.text).toBe('first');
  });

  it('stores a batch all or nothing', () => {
    items.insert({ text: 'existing', externalId: 'taken' });

    const clash = thrown(() =>
      items.insertMany([
        { text: 'one', externalId: 'new-1' },
        { text: 'two', externalId: 'taken' },
        { text: 'three' },
      ]),
    );
    const empty = thrown(() =>
      items.insertMany([{ text: 'ok' }, { text: '' }]),
    );
    const repeated = thrown(() =>
      items.insertMany([
        { text: 'x', externalId: 'dup' },
        { text: 'y', externalId: 'dup' },
      ]),
    );

    expect(clash).toMatchObject({ code: 'conflict' });
    expect(empty).toMatchObject({ code: 'bad_input' });
    expect((empty as Error).message).toContain('items[1]');
    expect(repeated).toMatchObject({ code: 'conflict' });
    expect(items.count()).toEqual({ live: 1, deleted: 0 });
    expect(items.getByExternalId('new-1')).toBeUndefined();
  });

  it('rejects metadata that is not an object', () => {
    const err = thrown(() =>
      items.insert({
        text: 'x',
        metadata: [1, 2] as unknown as Record<string, unknown>,
      }),
    );
    expect(err).toMatchObject({ code: 'bad_input' });
  });

  it('soft-deletes items', () => {
    const [a, b] = items.insertMany([{ text: 'a' }, { text: 'b' }]) as [
      number,
      number,
    ];

    expect(items.softDelete(a)).toBe(true);
    expect(items.softDelete(a)).toBe(false);
    expect(thrown(() => items.softDelete(999))).toMatchObject({
      code: 'not_found',
    });

    expect(items.get(a)?.deletedAt).toMatch(/^2026-01-01T00:00:0\d\.000Z$/);
    expect(items.get(b)?.deletedAt).toBeNull();
    expect(items.count()).toEqual({ live: 1, deleted: 1 });
    expect([...items.iterateLive()].flat().map((i) => i.id)).toEqual([b]);
  });

  it('iterates live items in id order, in chunks', () => {
    const ids = items.insertMany(
      Array.from({ length: 25 }, (_, i) => ({ text: `item ${i}` })),
    );
    items.softDelete(ids[3] as number);

    const chunks = [...items.iterateLive({ chunkSize: 10 })];

    expect(chunks.map((c) => c.length)).toEqual([10, 10, 4]);
    const seen = chunks.flat().map((i) => i.id);
    expect(seen).toEqual(ids.filter((id) => id !== ids[3]));
  });

  it('allows writes between chunks', () => {
    items.insertMany([{ text: 'a' }, { text: 'b' }, { text: 'c' }]);
    const seen: number[] = [];

    for (const chunk of items.iterateLive({ chunkSize: 1 })) {
      seen.push(...chunk.map((i) => i.id));
      if (seen.length === 1) items.insert({ text: 'added while iterating' });
    }

    expect(seen).toEqual([1, 2, 3, 4]);
  });

  it('looks up several items at once', () => {
    items.insertMany([{ text: 'a' }, { text: 'b' }, { text: 'c' }]);
    const found = items.getMany([3, 1, 42]);
    expect([...found.keys()].sort()).toEqual([1, 3]);
    expect(found.get(3)?.text).toBe('c');
  });

  it('rejects a bad chunk size', () => {
    const err = thrown(() => [...items.iterateLive({ chunkSize: 0 })]);
    expect(err).toMatchObject({ code: 'bad_input' });
  });
});
