/** Seeded random vectors and exact nearest neighbours, for index tests. */
import { energy } from '../../../src/encoder/types.js';

/** A repeatable uniform generator in [0, 1) (mulberry32). */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `n` vectors of length `dim`, values uniform in [-1, 1). */
export function randomVectors(
  n: number,
  dim: number,
  seed: number,
): Float32Array[] {
  const next = seededRandom(seed);
  return Array.from({ length: n }, () =>
    Float32Array.from({ length: dim }, () => next() * 2 - 1),
  );
}

/** The exact `k` nearest of `entries` to `query`, nearest first. */
export function bruteForce(
  query: Float32Array,
  entries: ReadonlyMap<number, Float32Array>,
  k: number,
): { id: number; energy: number }[] {
  return [...entries]
    .map(([id, vector]) => ({ id, energy: energy(query, vector) }))
    .sort((x, y) => x.energy - y.energy)
    .slice(0, k);
}
