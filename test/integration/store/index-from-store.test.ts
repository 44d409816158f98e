import { rmSync } from 'node:fs';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { VectorIndex } from '../../../src/index/vector-index.js';
import { ItemStore } from '../../../src/store/item-store.js';
import {
  openDatabase,
  type Database,
} from '../../../src/store/open-database.js';
import { bruteForce, randomVectors } from '../../unit/index/random-vectors.js';
import { makeTempDir } from '../../unit/store/temp-db.js';

const DIM = 32;

describe('index rebuilt from the SQLite file', () => {
  let dir: string;
  let file: string;
  let db: Database;
  let items: ItemStore;
  let live: Map<number, Float32Array>;

  beforeEach(() => {
    dir = makeTempDir('index-store');
    file = path.join(dir, 'dedup.sqlite');
    db = openDatabase(file);
    items = new ItemStore(db);

    const ids = items.insertMany(
      Array.from({ length: 600 }, (_, i) => ({ text: `question ${i}` })),
    );
    const vectors = randomVectors(ids.length, DIM, 5);
    items.saveVectors(
      'v1',
      ids.map((itemId, i) => ({ itemId, vector: vectors[i] as Float32Array })),
    );
    // Another model's vectors must not leak into v1's index.
    items.saveVectors('v0', [
      { itemId: ids[1] as number, vector: new Float32Array(3) },
    ]);

    live = new Map(ids.map((id, i) => [id, vectors[i] as Float32Array]));
    for (const id of ids.filter((_, i) => i % 10 === 0)) {
      items.softDelete(id);
      live.delete(id);
    }
  });

  afterEach(() => {
    if (db.open) db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('holds exactly the live items and their true neighbours', async () => {
    const index = await VectorIndex.rebuildFrom(items, 'v1', {
      dim: DIM,
      chunkSize: 64,
    });

    expect(index.size).toBe(live.size);
    expect(index.deletedCount).toBe(0);
    for (const query of randomVectors(10, DIM, 6)) {
      const want = bruteForce(query, live, 5);
      const got = index.search(query, 5);
      expect(got.map((h) => h.id)).toEqual(want.map((h) => h.id));
      got.forEach((h, i) => {
        expect(Math.abs(h.energy - (want[i]?.energy ?? NaN))).toBeLessThan(
          1e-4,
        );
      });
    }
  });

  it('survives a restart: saved index and database agree', async () => {
    const built = await VectorIndex.rebuildFrom(items, 'v1', { dim: DIM });
    const indexDir = path.join(dir, 'index', 'v1');
    await built.save(indexDir);
    db.close();

    db = openDatabase(file);
    const reopened = new ItemStore(db);
    const loaded = await VectorIndex.load(indexDir, {
      modelVersion: 'v1',
      dim: DIM,
    });

    expect(loaded?.size).toBe(reopened.countVectors('v1'));
    const probe = live.values().next().value as Float32Array;
    expect(loaded?.search(probe, 3)).toEqual(built.search(probe, 3));
  });

  it('drops deleted entries when rebuilt', async () => {
    const index = await VectorIndex.rebuildFrom(items, 'v1', { dim: DIM });
    const doomed = [...live.keys()].slice(0, 150);
    for (const id of doomed) {
      items.softDelete(id);
      index.remove(id);
    }
    expect(index.needsRebuild()).toBe(true);

    const fresh = await VectorIndex.rebuildFrom(items, 'v1', { dim: DIM });

    expect(fresh.size).toBe(index.size);
    expect(fresh.deletedCount).toBe(0);
    expect(fresh.needsRebuild()).toBe(false);
  });

  it('builds an empty index for a model with no vectors', async () => {
    const index = await VectorIndex.rebuildFrom(items, 'v9', { dim: DIM });
    expect(index.size).toBe(0);
    expect(index.search(new Float32Array(DIM), 5)).toEqual([]);
  });

  it('refuses stored vectors of the wrong length', async () => {
    await expect(
      VectorIndex.rebuildFrom(items, 'v0', { dim: DIM }),
    ).rejects.toMatchObject({ code: 'bad_input' });
  });
});
