/**
 * Latency summaries from individual timings, in milliseconds, with
 * nearest-rank percentiles (no interpolation, so p99 of 100 timings is
 * the 99th slowest but one).
 */

/** Percentiles and extremes of a set of timings, in milliseconds. */
export interface LatencySummary {
  /** Timings summarised. */
  count: number;
  p50: number;
  p99: number;
  mean: number;
  max: number;
}

/** The `q`-quantile (0 to 1) of ascending `sorted`, by nearest rank. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil(q * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] ?? NaN;
}

/** Summarises `ms`; NaN fields when it is empty. */
export function summarise(ms: readonly number[]): LatencySummary {
  const sorted = [...ms].sort((a, b) => a - b);
  const sum = sorted.reduce((a, b) => a + b, 0);
  return {
    count: sorted.length,
    p50: quantile(sorted, 0.5),
    p99: quantile(sorted, 0.99),
    mean: sorted.length ? sum / sorted.length : NaN,
    max: sorted.at(-1) ?? NaN,
  };
}
