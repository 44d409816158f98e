/**
 * Sizes, durations and the model the benchmark parts use, from the
 * command line. `--quick` swaps every default for a small one, to check
 * that a part runs end to end; flags given explicitly win over both.
 */
import path from 'node:path';

import { defaultModelDir } from '../config/paths.js';

/** Settings shared by the parts; each reads the fields it needs. */
export interface BenchOptions {
  /** True with `--quick`: small sizes, short runs, not for the record. */
  quick: boolean;
  /** Model folder the encoder-backed parts serve. Default models/default. */
  modelDir: string;
  /** Vectors in each index of the index part. Default 10k, 100k, 1M. */
  indexSizes: number[];
  /**
   * Largest index built from real sentence embeddings; larger ones hold
   * random unit vectors. Default 100,000 (10,000 with --quick).
   */
  realMax: number;
  /** Wall seconds one index build may take before it stops. Default 900. */
  buildSeconds: number;
  /** Query vectors per index, each compared with exact search.
   * Default 1,000 (200 with --quick). */
  queries: number;
  /** Corpus sizes of the http part. Default 10,000 and 100,000. */
  httpSizes: number[];
  /** Seconds of search load at each http size. Default 20. */
  searchSeconds: number;
  /** Items in the corpus of the load part. Default 100,000. */
  loadItems: number;
  /** Seconds of mixed traffic in the load part. Default 60. */
  loadSeconds: number;
  /** Seconds of each step of the load part's ramp. Default 5. */
  rampSeconds: number;
  /** Items in the corpus of the retrain part. Default 20,000. */
  retrainItems: number;
  /** New labels that start the retrain. Default 1,000. */
  retrainLabels: number;
  /** Wall seconds the retrain part waits for the new model. Default 600. */
  retrainSeconds: number;
}

const FULL: Omit<BenchOptions, 'quick' | 'modelDir'> = {
  indexSizes: [10_000, 100_000, 1_000_000],
  realMax: 100_000,
  buildSeconds: 900,
  queries: 1000,
  httpSizes: [10_000, 100_000],
  searchSeconds: 20,
  loadItems: 100_000,
  loadSeconds: 60,
  rampSeconds: 5,
  retrainItems: 20_000,
  retrainLabels: 1000,
  retrainSeconds: 600,
};

const QUICK: typeof FULL = {
  indexSizes: [2000, 10_000, 50_000],
  realMax: 10_000,
  buildSeconds: 120,
  queries: 200,
  httpSizes: [2000, 5000],
  searchSeconds: 5,
  loadItems: 5000,
  loadSeconds: 10,
  rampSeconds: 2,
  retrainItems: 2000,
  retrainLabels: 300,
  retrainSeconds: 300,
};

/** Flags as parseArgs gives them: strings, or true for `--quick`. */
export interface BenchFlags {
  quick?: boolean;
  model?: string;
  'index-sizes'?: string;
  'real-max'?: string;
  'build-seconds'?: string;
  queries?: string;
  'http-sizes'?: string;
  'search-seconds'?: string;
  'load-items'?: string;
  'load-seconds'?: string;
  'ramp-seconds'?: string;
  'retrain-items'?: string;
  'retrain-labels'?: string;
  'retrain-seconds'?: string;
}

/** The parseArgs option table of the flags above. */
export const BENCH_FLAG_TABLE = {
  quick: { type: 'boolean' },
  model: { type: 'string' },
  'index-sizes': { type: 'string' },
  'real-max': { type: 'string' },
  'build-seconds': { type: 'string' },
  queries: { type: 'string' },
  'http-sizes': { type: 'string' },
  'search-seconds': { type: 'string' },
  'load-items': { type: 'string' },
  'load-seconds': { type: 'string' },
  'ramp-seconds': { type: 'string' },
  'retrain-items': { type: 'string' },
  'retrain-labels': { type: 'string' },
  'retrain-seconds': { type: 'string' },
} as const;

/** A positive number from flag `name`; `fallback` when not given. */
function positive(
  name: string,
  value: string | undefined,
  fallback: number,
): number {
  if (value === undefined) return fallback;
  const n = Number(value.replace(/_/g, ''));
  if (!Number.isFinite(n) || n <= 0) {
    throw new Error(`--${name} must be a positive number, got "${value}"`);
  }
  return n;
}

/** A comma-separated list of whole positive numbers, e.g. `10000,1e5`. */
function sizes(
  name: string,
  value: string | undefined,
  fallback: number[],
): number[] {
  if (value === undefined) return fallback;
  return value.split(',').map((part) => {
    const n = Math.round(positive(name, part.trim(), 0));
    if (n < 10) throw new Error(`--${name}: sizes start at 10, got ${n}`);
    return n;
  });
}

/** Turns the flags into options; throws naming a bad flag. */
export function benchOptions(flags: BenchFlags): BenchOptions {
  const quick = flags.quick ?? false;
  const d = quick ? QUICK : FULL;
  type Counted = 'real-max' | 'queries' | 'load-items' | 'retrain-items';
  const whole = (name: Counted | 'retrain-labels', fallback: number) =>
    Math.round(positive(name, flags[name], fallback));

  return {
    quick,
    modelDir: path.resolve(flags.model ?? defaultModelDir),
    indexSizes: sizes('index-sizes', flags['index-sizes'], d.indexSizes),
    realMax: whole('real-max', d.realMax),
    buildSeconds: positive(
      'build-seconds',
      flags['build-seconds'],
      d.buildSeconds,
    ),
    queries: whole('queries', d.queries),
    httpSizes: sizes('http-sizes', flags['http-sizes'], d.httpSizes),
    searchSeconds: positive(
      'search-seconds',
      flags['search-seconds'],
      d.searchSeconds,
    ),
    loadItems: whole('load-items', d.loadItems),
    loadSeconds: positive('load-seconds', flags['load-seconds'], d.loadSeconds),
    rampSeconds: positive('ramp-seconds', flags['ramp-seconds'], d.rampSeconds),
    retrainItems: whole('retrain-items', d.retrainItems),
    retrainLabels: whole('retrain-labels', d.retrainLabels),
    retrainSeconds: positive(
      'retrain-seconds',
      flags['retrain-seconds'],
      d.retrainSeconds,
    ),
  };
}
