import { describe, expect, it } from 'vitest';

import { VectorIndex } from '../../../src/index/vector-index.js';
import { thrown } from '../store/temp-db.js';
import { bruteForce, randomVectors } from './random-vectors.js';

const DIM = 16;

/** An index of `n` seeded vectors with ids 1..n, and the vectors by id. */
function filled(n: number, initialCapacity = 1024) {
  const index = new VectorIndex({
    dim: DIM,
    modelVersion: 'm1',
    initialCapacity,
  });
  const vectors = new Map(
    randomVectors(n, DIM, 7).map((v, i) => [i + 1, v] as const),
  );
  index.addMany([...vectors].map(([id, vector]) => ({ id, vector })));
  return { index, vectors };
}

describe('VectorIndex', () => {
  it('returns the exact nearest neighbours with Euclidean energies', () => {
    const { index, vectors } = filled(300);

    for (const query of randomVectors(20, DIM, 99)) {
      const got = index.search(query, 10);
      const want = bruteForce(query, vectors, 10);

      expect(got.map((h) => h.id)).toEqual(want.map((h) => h.id));
      got.forEach((hit, i) => {
        expect(hit.energy).toBeCloseTo(want[i]?.energy ?? NaN, 4);
      });
    }
  });

  it('finds a stored vector at energy 0', () => {
    const { index, vectors } = filled(50);
    const [hit] = index.search(vectors.get(17) as Float32Array, 1);
    expect(hit?.id).toBe(17);
    expect(hit?.energy).toBeLessThan(1e-4);
  });

  it('gives back the stored vector of a live id, nothing for others', () => {
    const { index, vectors } = filled(50);

    expect(index.vectorOf(17)).toEqual(vectors.get(17));
    index.remove(17);
    expect(index.vectorOf(17)).toBeUndefined();
    expect(index.vectorOf(51)).toBeUndefined();
  });

  it('grows past its initial capacity by doubling', () => {
    const { index, vectors } = filled(100, 8);

    expect(index.size).toBe(100);
    expect(index.capacity).toBe(128);
    const query = vectors.get(100) as Float32Array;
    expect(index.search(query, 1)[0]?.id).toBe(100);
  });

  it('clamps k to the live count, and handles an empty index', () => {
    const empty = new VectorIndex({ dim: DIM, modelVersion: 'm1' });
    const probe = randomVectors(1, DIM, 3)[0] as Float32Array;
    expect(empty.search(probe, 5)).toEqual([]);

    const { index } = filled(3, 4);
    expect(index.search(probe, 10_000)).toHaveLength(3);
  });

  it('hides deleted items and counts them', () => {
    const { index, vectors } = filled(200);
    const query = vectors.get(5) as Float32Array;

    expect(index.remove(5)).toBe(true);
    expect(index.remove(5)).toBe(false);
    expect(index.remove(4242)).toBe(false);

    const live = new Map(vectors);
    live.delete(5);
    const got = index.search(query, 10).map((h) => h.id);
    expect(got).not.toContain(5);
    expect(got).toEqual(bruteForce(query, live, 10).map((h) => h.id));
    expect(index.size).toBe(199);
    expect(index.deletedCount).toBe(1);
    expect(index.has(5)).toBe(false);
  });

  it('brings a deleted id back when it is added again', () => {
    const { index, vectors } = filled(20);
    index.remove(3);
    index.add(3, vectors.get(3) as Float32Array);

    expect(index.has(3)).toBe(true);
    expect(index.deletedCount).toBe(0);
    expect(index.search(vectors.get(3) as Float32Array, 1)[0]?.id).toBe(3);
  });

  it('replaces the vector of an id added twice', () => {
    const index = new VectorIndex({ dim: 2, modelVersion: 'm1' });
    index.add(1, new Float32Array([0, 0]));
    index.add(2, new Float32Array([5, 5]));
    index.add(1, new Float32Array([10, 10]));

    expect(index.size).toBe(2);
    const [hit] = index.search(new Float32Array([10, 10]), 1);
    expect(hit).toEqual({ id: 1, energy: 0 });
  });

  it('drops hits above maxEnergy and excluded ids', () => {
    const index = new VectorIndex({ dim: 2, modelVersion: 'm1' });
    for (let i = 1; i <= 5; i++) index.add(i, new Float32Array([i, 0]));
    const origin = new Float32Array([0, 0]);

    const near = index.search(origin, 5, { maxEnergy: 2.5 });
    const others = index.search(origin, 2, { exclude: [1] });

    expect(near.map((h) => h.id)).toEqual([1, 2]);
    expect(near[1]?.energy).toBeCloseTo(2, 6);
    expect(others.map((h) => h.id)).toEqual([2, 3]);
  });

  it('says when enough entries are deleted to rebuild', () => {
    const { index } = filled(10);
    expect(index.needsRebuild()).toBe(false);

    index.remove(1);
    expect(index.needsRebuild(0.1)).toBe(true);
    expect(index.needsRebuild()).toBe(false);
    index.remove(2);
    expect(index.needsRebuild()).toBe(true);
    expect(new VectorIndex({ dim: 2, modelVersion: 'm' }).needsRebuild()).toBe(
      false,
    );
  });

  it('rejects bad ids, vectors, k and options up front', () => {
    const index = new VectorIndex({ dim: 2, modelVersion: 'm1' });
    const ok = new Float32Array([1, 2]);

    const cases = [
      () => index.add(-1, ok),
      () => index.add(1.5, ok),
      () => index.add(2 ** 32, ok),
      () => index.add(1, new Float32Array([1, 2, 3])),
      () => index.add(1, new Float32Array([1, Number.NaN])),
      () =>
        index.addMany([
          { id: 1, vector: ok },
          { id: 2, vector: new Float32Array(1) },
        ]),
      () => index.search(ok, 0),
      () => index.search(ok, 1, { maxEnergy: -1 }),
      () => index.search(new Float32Array(3), 1),
      () => new VectorIndex({ dim: 0, modelVersion: 'm1' }),
      () => new VectorIndex({ dim: 2, modelVersion: '' }),
    ];
    for (const run of cases) {
      expect(thrown(run)).toMatchObject({ code: 'bad_input' });
    }
    expect(index.size).toBe(0);
  });

  it('looks each entry up before adding it, earlier ones of the call included', () => {
    const { index, vectors } = filled(200);
    const fresh = randomVectors(30, DIM, 41).map((vector, i) => ({
      id: 1000 + i,
      vector,
    }));

    const found = index.lookupAndAdd(fresh, 5);

    const seen = new Map(vectors);
    fresh.forEach((entry, i) => {
      const want = bruteForce(entry.vector, seen, 5);
      expect(found[i]?.map((h) => h.id)).toEqual(want.map((h) => h.id));
      seen.set(entry.id, entry.vector);
    });
    expect(index.size).toBe(230);
    expect(index.has(1029)).toBe(true);
  });

  it('leaves an entry out of its own lookup when it replaces itself', () => {
    const { index, vectors } = filled(50);
    const vector = vectors.get(9) as Float32Array;

    const [hits] = index.lookupAndAdd([{ id: 9, vector }], 3);

    expect(hits?.map((h) => h.id)).not.toContain(9);
    expect(hits).toHaveLength(3);
  });

  it('refuses a bad entry in a lookup before adding any', () => {
    const { index } = filled(10);
    const [good] = randomVectors(1, DIM, 5) as [Float32Array];

    const err = thrown(() =>
      index.lookupAndAdd(
        [
          { id: 100, vector: good },
          { id: 101, vector: new Float32Array(DIM).fill(NaN) },
        ],
        2,
      ),
    );

    expect(err).toMatchObject({ code: 'bad_input' });
    expect(index.has(100)).toBe(false);
  });

  it('lists live and deleted labels in order', () => {
    const { index } = filled(6);
    index.remove(4);
    index.remove(2);

    expect(index.labels()).toEqual({ live: [1, 3, 5, 6], deleted: [2, 4] });
  });
});
