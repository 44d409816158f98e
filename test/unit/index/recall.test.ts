import { describe, expect, it } from 'vitest';

import { DEFAULT_TUNING } from '../../../src/index/index-options.js';
import { VectorIndex } from '../../../src/index/vector-index.js';
import { bruteForce, randomVectors } from './random-vectors.js';

const DIM = 64;
const K = 10;

/** Share of the true 10 nearest found, over 200 random queries. */
function recallAt(ef: number): number {
  const data = new Map(
    randomVectors(5000, DIM, 2024).map((v, i) => [i + 1, v] as const),
  );
  const index = new VectorIndex({ dim: DIM, modelVersion: 'recall', ef });
  index.addMany([...data].map(([id, vector]) => ({ id, vector })));

  let found = 0;
  const queries = randomVectors(200, DIM, 77);
  for (const query of queries) {
    const truth = new Set(bruteForce(query, data, K).map((h) => h.id));
    found += index.search(query, K).filter((h) => truth.has(h.id)).length;
  }
  return found / (queries.length * K);
}

describe('VectorIndex recall on 5,000 random 64-d vectors', () => {
  it('finds >= 98 % of the true 10 nearest at ef 200', () => {
    expect(recallAt(200)).toBeGreaterThanOrEqual(0.98);
  });

  // Uniform random 64-d points are the hardest case for HNSW: at the
  // configured default ef of 100 recall@10 measures 0.96-0.98 across
  // seeds, so this guards against regressions only; the 98 % target
  // needs HNSW_EF of 150 or more.
  it('finds >= 95 % of the true 10 nearest at the default ef', () => {
    expect(recallAt(DEFAULT_TUNING.ef)).toBeGreaterThanOrEqual(0.95);
  });
});
