/**
 * Configuration: read from environment variables, validated once at
 * start-up, with every default in this file. A bad value stops the process
 * with a message that names the variable and what it expects.
 */
import path from 'node:path';
import { z } from 'zod';

import { AppError, ErrorCode } from '../errors/app-error.js';

const int = (def: number, min: number, max: number) =>
  z.coerce.number().int().min(min).max(max).default(def);
const num = (def: number, min: number, max: number) =>
  z.coerce.number().min(min).max(max).default(def);
/** Variables where an empty value means "none" rather than "unset". */
const EMPTY_MEANS_NONE = new Set(['SEED_CORPUS']);

const bool = (def: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'])
    .default(def ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** Every setting, its environment variable, default and bounds. */
const schema = z.object({
  /** HTTP port. Default 8080. */
  PORT: int(8080, 0, 65535),
  /**
   * Interface to listen on. Default: 127.0.0.1 while no API key exists,
   * 0.0.0.0 once one does. While no key exists `serve` listens on
   * 127.0.0.1 whatever this says, unless ALLOW_OPEN_ACCESS is set.
   */
  HOST: z.string().min(1).optional(),
  /**
   * With no API key, serve every caller anyway: listen on HOST even if
   * it is not loopback, and let callers without a key in from any
   * interface. Keys, once made, are required regardless. Default false.
   */
  ALLOW_OPEN_ACCESS: bool(false),
  /** Folder for the SQLite file, the index and model versions. */
  DATA_DIR: z.string().min(1).default('./data'),
  /** Redis for the job queue; without it training runs in-process. */
  REDIS_URL: z.string().url().optional(),
  /** BullMQ queue name prefix, to share one Redis between deployments. */
  QUEUE_PREFIX: z.string().min(1).default('siamese-dedup'),
  /** Model directory used when no model version is active yet. */
  MODEL_DIR: z.string().min(1).optional(),
  /** Pino level: fatal, error, warn, info, debug, trace or silent. */
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default('info'),
  /** Questions loaded on first start when the store is empty; "" for none. */
  SEED_CORPUS: z.string().optional(),
  /** HNSW graph degree. Default 16. */
  HNSW_M: int(16, 4, 128),
  /**
   * HNSW build-time beam width. Default 100: on 30,000 real sentence
   * vectors of the shipped model it builds twice as fast as 200 for a
   * recall@10 0.001 lower (see BENCHMARKS.md).
   */
  HNSW_EF_CONSTRUCTION: int(100, 10, 2000),
  /**
   * HNSW query-time beam width for an index of up to 100,000 entries,
   * widened with the square root of the size past that (grownEf in
   * src/index/index-options.ts). Default 100: recall@10 0.99 at 100,000
   * sentence vectors of the shipped model, at under a millisecond a
   * query (see BENCHMARKS.md).
   */
  HNSW_EF: int(100, 10, 2000),
  /** Rebuild the index when this share of its entries is deleted. */
  INDEX_REBUILD_DELETED_SHARE: num(0.2, 0.01, 0.9),
  /**
   * Seconds between saves of an index with unsaved changes; 0 saves only
   * at shutdown. Default 300. A crash loses nothing: on start the index
   * is reconciled with SQLite.
   */
  INDEX_SAVE_SECONDS: int(300, 0, 86_400),
  /**
   * Seconds between looks at SQLite for items other processes stored or
   * deleted (`siamese-dedup import`, other serving processes over the
   * same file), which are then embedded if need be and indexed; 0 never
   * looks. Default 5.
   */
  STORE_SYNC_SECONDS: num(5, 0, 86_400),
  /** Seconds `serve` waits for in-flight requests at shutdown. Default 10. */
  SHUTDOWN_GRACE_SECONDS: int(10, 1, 3600),
  /** Largest text accepted, in characters. Default 10,000. */
  MAX_TEXT_CHARS: int(10_000, 100, 1_000_000),
  /** Largest JSON body accepted, in bytes. Default 512 KiB. */
  MAX_BODY_BYTES: int(512 * 1024, 1024, 64 * 1024 * 1024),
  /** Items accepted by one batch request. Default 1,000. */
  MAX_BATCH_ITEMS: int(1000, 1, 100_000),
  /** Largest k for a search. Default 100. */
  MAX_K: int(100, 1, 10_000),
  /** Neighbours returned with each ingested item. Default 5. */
  INGEST_NEIGHBOURS: int(5, 0, 100),
  /** Requests per minute per API key (or per address without keys). */
  RATE_LIMIT_PER_MINUTE: int(6000, 1, 10_000_000),
  /** Origins allowed by CORS, comma-separated; empty means none. */
  CORS_ORIGINS: z.string().default(''),
  /** Start a retrain after this many new labels; 0 disables. */
  RETRAIN_AFTER_LABELS: int(200, 0, 10_000_000),
  /** Epochs of fine-tuning in one retrain job. Default 3. */
  RETRAIN_EPOCHS: int(3, 1, 100),
  /** Share of labelled pairs held out to judge a candidate model. */
  RETRAIN_HOLDOUT: num(0.2, 0.05, 0.5),
  /**
   * A candidate is promoted if, on every set PROMOTE_RULE names, its
   * accuracy is at least the active model's minus this tolerance (a
   * share, 0.01 = one point). Default 0: not worse.
   */
  PROMOTE_TOLERANCE: num(0, 0, 1),
  /**
   * Sets a candidate must not be worse on: `both` (the held-out labels
   * and the reference pairs), `holdout` or `reference`. Default both.
   */
  PROMOTE_RULE: z.enum(['both', 'holdout', 'reference']).default('both'),
  /**
   * Fixed pairs every candidate is also judged on; `none` for none.
   * Default examples/reference-pairs.tsv (Quora test pairs).
   */
  REFERENCE_PAIRS: z.string().min(1).optional(),
  /** Adam learning rate of the fine-tuning in a retrain. Default 0.0003. */
  RETRAIN_LEARNING_RATE: num(0.0003, 1e-6, 0.1),
  /** Fewest distinct labelled pairs a retrain needs; with fewer it is
   * skipped. Default 50. */
  RETRAIN_MIN_PAIRS: int(50, 4, 10_000_000),
  /** Runs a failing retrain gets in all, the first included. Default 3. */
  RETRAIN_ATTEMPTS: int(3, 1, 20),
  /** Seconds before the first retry of a failed retrain; each further
   * retry waits twice as long. Default 30. */
  RETRAIN_BACKOFF_SECONDS: num(30, 0.1, 86_400),
  /**
   * Seconds between a serving process's checks for a newly active
   * model, for new labels and for training requests the queue has not
   * received yet. Default 15.
   */
  TRAINING_POLL_SECONDS: num(15, 0.1, 3600),
  /**
   * Seconds a worker's lock on a running job lasts without renewal; a
   * worker that dies loses its job to another after about twice this.
   * Default 30.
   */
  WORKER_LOCK_SECONDS: num(30, 1, 3600),
  /** Seconds a stopping worker waits for its job to be released or
   * finished before it quits anyway. Default 8 (docker stop gives 10). */
  WORKER_SHUTDOWN_SECONDS: num(8, 1, 3600),
  /** Seconds a review pair stays reserved for one reviewer. */
  REVIEW_RESERVATION_SECONDS: int(600, 5, 86_400),
  /** Share of reviewed pairs also sent to a second reviewer. */
  REVIEW_OVERLAP: num(0, 0, 1),
  /**
   * The review queue collects both classes (likely duplicates and likely
   * different pairs) until each has this many labels. Default 50.
   */
  REVIEW_WARMUP_LABELS: int(50, 0, 1_000_000),
  /** Share of review picks drawn at random, in every phase. Default 0.1. */
  REVIEW_RANDOM_SHARE: num(0.1, 0, 1),
  /**
   * Share of review picks (after the warm-up) where the encoder and word
   * overlap disagree; the rest go to energies nearest the threshold.
   * Default 0.1; with the random share at most 1.
   */
  REVIEW_DISAGREE_SHARE: num(0.1, 0, 1),
  /**
   * Share of the open review pool, nearest the threshold, that each
   * uncertain or disagreement pick is drawn from at random; 0 always
   * takes the nearest pair. Default 0.05.
   */
  REVIEW_BAND: num(0.05, 0, 1),
  /** Nearest neighbours per item offered to reviewers. Default 5. */
  REVIEW_NEIGHBOURS: int(5, 1, 100),
  /** Shared path for offline word vectors cache. */
  VECTORS_CACHE: z.string().optional(),
  /** Use the auto-selected tfjs backend, or force one. */
  TF_BACKEND: z.enum(['auto', 'tensorflow', 'wasm', 'cpu']).default('auto'),
  /** Run a worker in this process when REDIS_URL is unset. */
  EMBEDDED_WORKER: bool(true),
});

/** The name of every setting, as an environment variable. */
export const SETTING_NAMES: readonly string[] = Object.keys(schema.shape);

/** Validated settings. */
export type Config = z.infer<typeof schema> & {
  /** DATA_DIR made absolute. */
  dataDir: string;
};

/**
 * Reads and validates settings from `env` (default `process.env`).
 * Throws an AppError with code `bad_config` naming every bad variable.
 */
export function loadConfig(
  env: Record<string, string | undefined> = process.env,
): Config {
  const present = Object.fromEntries(
    Object.entries(env).filter(
      ([k, v]) => v !== undefined && (v !== '' || EMPTY_MEANS_NONE.has(k)),
    ),
  );
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const name = issue.path.join('.');
      return `${name}=${JSON.stringify(env[name])}: ${issue.message}`;
    });
    throw new AppError(
      ErrorCode.BadConfig,
      `invalid configuration:\n  ${lines.join('\n  ')}\n` +
        'Fix these environment variables (see .env.example).',
    );
  }
  return { ...parsed.data, dataDir: path.resolve(parsed.data.DATA_DIR) };
}
