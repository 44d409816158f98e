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

/** A row and its squared Euclidean distance from a query. */
export interface ExactHit {
  row: number;
  d: number;
}

/** The `k` rows nearest to `query` (squared Euclidean), nearest first. */
export function exactNearest(
  rows: VectorRows,
  query: Float32Array,
  k: number,
): ExactHit[] {
  const { values, dim, count } = rows;
  // Kept sorted, ascending distance; small k makes insertion cheap.
  const best: ExactHit[] = [];
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
    while (at > 0 && (best[at - 1] as ExactHit).d > d) at--;
    best.splice(at, 0, { row: r, d });
    if (best.length > k) best.pop();
    if (best.length === k) worst = (best[k - 1] as ExactHit).d;
  }
  return best;
}

/**
 * Squared distances within this of the k-th exact one count as ties:
 * float32 search and float64 brute force round the same distance a
 * little differently.
 */
const TIE = 1e-6;

/**
 * Recall@k for one query: the share of the `exact` k nearest that
 * `found` (distinct rows with their squared distances) matches. A row
 * counts when it is no farther than the k-th exact neighbour, so of
 * entries equally near the query any may stand for another, as in the
 * usual definition of ANN benchmarks.
 */
export function recallOf(
  found: readonly ExactHit[],
  exact: readonly ExactHit[],
): number {
  const last = exact.at(-1);
  if (last === undefined) return 1;
  const within = last.d + TIE * Math.max(1, last.d);
  const hits = found.filter((f) => f.d <= within).length;
  return Math.min(hits, exact.length) / exact.length;
}
