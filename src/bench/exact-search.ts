/**
 * Exact nearest neighbours by brute force, the reference the index's
 * recall is measured against. Vectors are rows of one flat array.
 */

/** Row-major vectors: `count` rows of `dim` values. */
export interface VectorRows {
  values: Float32Array;
  dim: number;
  count: number;
}

/** The `k` rows nearest to `query` (squared Euclidean), nearest first. */
export function exactNearest(
  rows: VectorRows,
  query: Float32Array,
  k: number,
): number[] {
  const { values, dim, count } = rows;
  // Kept sorted, ascending distance; small k makes insertion cheap.
  const best: { row: number; d: number }[] = [];
  let worst = Infinity;

  for (let r = 0; r < count; r++) {
    const base = r * dim;
    let d = 0;
    for (let j = 0; j < dim; j++) {
      const x = (values[base + j] as number) - (query[j] as number);
      d += x * x;
    }
    if (best.length === k && d >= worst) continue;

    let at = best.length;
    while (at > 0 && (best[at - 1] as { d: number }).d > d) at--;
    best.splice(at, 0, { row: r, d });
    if (best.length > k) best.pop();
    if (best.length === k) worst = (best[k - 1] as { d: number }).d;
  }
  return best.map((b) => b.row);
}

/** Share of `exact` found in `found`: recall@k for one query. */
export function recallOf(found: readonly number[], exact: number[]): number {
  if (exact.length === 0) return 1;
  const wanted = new Set(exact);
  return found.filter((id) => wanted.has(id)).length / exact.length;
}
