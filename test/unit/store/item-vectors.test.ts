import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { ItemStore } from '../../../src/store/item-store.js';
import { decodeVector, encodeVector } from '../../../src/store/vector-codec.js';
import { openTempDb, thrown, type TempDb } from './temp-db.js';

const vec = (...values: number[]) => new Float32Array(values);

describe('item vectors', () => {
  let temp: TempDb;
  let items: ItemStore;
  let ids: number[];

  beforeEach(() => {
    temp = openTempDb('vectors');
    items = new ItemStore(temp.db);
    ids = items.insertMany([{ text: 'a' }, { text: 'b' }, { text: 'c' }]);
  });

  afterEach(() => temp.cleanup());

  it('encodes Float32 little-endian', () => {
    const bytes = encodeVector(vec(1, -2.5));
    expect([...bytes]).toEqual([0, 0, 128, 63, 0, 0, 32, 192]);
    expect(decodeVector(bytes)).toEqual(vec(1, -2.5));
    expect(thrown(() => decodeVector(new Uint8Array(5)))).toMatchObject({
      code: 'storage_error',
    });
  });

  it('saves and loads vectors per model version', () => {
    const [a, b, c] = ids as [number, number, number];
    items.saveVectors('v1', [
      { itemId: a, vector: vec(1, 2, 3) },
      { itemId: b, vector: vec(4, 5, 6) },
    ]);
    items.saveVectors('v2', [{ itemId: c, vector: vec(7, 8) }]);

    const v1 = items.loadVectors('v1', [a, b, c]);
    expect([...v1.keys()]).toEqual([a, b]);
    expect(v1.get(b)).toEqual(vec(4, 5, 6));
    expect(items.countVectors('v1')).toBe(2);
    expect(items.countVectors('v2')).toBe(1);
  });

  it('replaces a vector saved again', () => {
    const a = ids[0] as number;
    items.saveVectors('v1', [{ itemId: a, vector: vec(1, 1) }]);
    items.saveVectors('v1', [{ itemId: a, vector: vec(2, 2) }]);
    expect(items.loadVectors('v1', [a]).get(a)).toEqual(vec(2, 2));
    expect(items.countVectors('v1')).toBe(1);
  });

  it('iterates live items with vectors in id order', () => {
    items.saveVectors(
      'v1',
      ids.map((itemId) => ({ itemId, vector: vec(itemId, 0) })),
    );
    items.softDelete(ids[1] as number);

    const chunks = [...items.iterateVectors('v1', { chunkSize: 1 })];

    expect(chunks.flat().map((v) => v.itemId)).toEqual([ids[0], ids[2]]);
    expect(chunks.flat()[1]?.vector).toEqual(vec(ids[2] as number, 0));
    expect(items.countVectors('v1')).toBe(2);
  });

  it('lists live items still lacking a vector', () => {
    items.saveVectors('v1', [{ itemId: ids[0] as number, vector: vec(1) }]);
    items.softDelete(ids[2] as number);

    const missing = [...items.iterateMissingVectors('v1')].flat();

    expect(missing.map((i) => i.id)).toEqual([ids[1]]);
  });

  it('saves a batch all or nothing', () => {
    const [a, b] = ids as [number, number];

    const wrongDim = thrown(() =>
      items.saveVectors('v1', [
        { itemId: a, vector: vec(1, 2) },
        { itemId: b, vector: vec(1, 2, 3) },
      ]),
    );
    const nan = thrown(() =>
      items.saveVectors('v1', [{ itemId: a, vector: vec(Number.NaN) }]),
    );
    const missing = thrown(() =>
      items.saveVectors('v1', [
        { itemId: a, vector: vec(1) },
        { itemId: 999, vector: vec(1) },
      ]),
    );

    expect(wrongDim).toMatchObject({ code: 'bad_input' });
    expect(nan).toMatchObject({ code: 'bad_input' });
    expect(missing).toMatchObject({
      code: 'not_found',
      details: { itemId: 999 },
    });
    expect(items.countVectors('v1')).toBe(0);
  });

  it('deletes the vectors of one model version', () => {
    const a = ids[0] as number;
    items.saveVectors('v1', [{ itemId: a, vector: vec(1) }]);
    items.saveVectors('v2', [{ itemId: a, vector: vec(2) }]);

    expect(items.deleteVectors('v1')).toBe(1);
    expect(items.countVectors('v1')).toBe(0);
    expect(items.countVectors('v2')).toBe(1);
  });
});
