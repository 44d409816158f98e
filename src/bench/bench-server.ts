/**
 * The real service for the HTTP benchmarks, in this process: the
 * DedupService over its own temporary DATA_DIR, the Express app of
 * createApp, listening on a free loopback port. Settings come from the
 * environment with the few overrides a benchmark needs (see
 * {@link BENCH_SETTINGS}).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { loadConfig, type Config } from '../config/config.js';
import { createApp } from '../http/create-app.js';
import { listen, type RunningServer } from '../http/http-server.js';
import { createLogger, type Logger } from '../logging/logger.js';
import { openReviewQueue } from '../review/open-review.js';
import type { DedupService } from '../service/dedup-service.js';
import { openDedupService } from '../service/open-service.js';
import {
  startTraining,
  type TrainingControl,
} from '../training/training-control.js';
import { stopwatch, type Seconds } from './timing.js';

/**
 * Settings every benchmark server gets over the environment's: no seed
 * corpus, the rate limit out of the way (one loopback client sends far
 * more than a person's 6,000 a minute), saves only at shutdown, quiet
 * logs, no Redis.
 */
export const BENCH_SETTINGS: Record<string, string> = {
  SEED_CORPUS: '',
  RATE_LIMIT_PER_MINUTE: '10000000',
  INDEX_SAVE_SECONDS: '0',
  LOG_LEVEL: 'warn',
};

/** The settings above as one sentence for a report. */
export function describeSettings(extra: Record<string, string> = {}): string {
  const all = { ...BENCH_SETTINGS, ...extra };
  const list = Object.entries(all)
    .map(([k, v]) => `${k}=${v === '' ? '""' : v}`)
    .join(', ');
  return `over the defaults: ${list}; no REDIS_URL`;
}

/** A started benchmark server. */
export interface BenchServer {
  /** Base URL on loopback. */
  url: string;
  service: DedupService;
  config: Config;
  logger: Logger;
  /** Training controls, when asked for. */
  training?: TrainingControl;
  /** Time from opening the service to ready. */
  startTime: Seconds;
  /** Stops listening, training and the service (saving the index). */
  close(): Promise<void>;
}

/** Options of {@link startBenchServer}. */
export interface BenchServerOptions {
  /** Model folder served when the store has no active version. */
  modelDir: string;
  /** DATA_DIR; made fresh under the system temp folder when unset. */
  dataDir: string;
  /** More settings over {@link BENCH_SETTINGS}. */
  env?: Record<string, string>;
  /** Also start training control (embedded worker thread). */
  training?: boolean;
}

/** A fresh temporary DATA_DIR. */
export function tempDataDir(name: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `bench-${name}-`));
}

/** Opens, starts and listens; see the module comment. */
export async function startBenchServer(
  options: BenchServerOptions,
): Promise<BenchServer> {
  const config = loadConfig({
    ...process.env,
    REDIS_URL: undefined,
    ...BENCH_SETTINGS,
    DATA_DIR: options.dataDir,
    MODEL_DIR: options.modelDir,
    ...options.env,
  });
  const logger = createLogger({ level: config.LOG_LEVEL });

  const elapsed = stopwatch();
  const service = openDedupService(config, { logger });
  await service.start({ seed: false });
  const startTime = elapsed();
  // The review queue's sweep shares the thread with requests, as in serve.
  const review = openReviewQueue(service, config, { logger });
  review.queue.start();
  const training = options.training
    ? startTraining({ service, config, logger })
    : undefined;

  const app = createApp({ service, config, logger });
  const running: RunningServer = await listen(app, '127.0.0.1', 0);
  return {
    url: running.url,
    service,
    config,
    logger,
    training,
    startTime,
    close: async () => {
      await running.stop(config.SHUTDOWN_GRACE_SECONDS * 1000);
      await training?.close();
      await review.close();
      await service.close();
    },
  };
}

/** POSTs `body` as JSON; throws with the answer unless 2xx. */
export async function postJson(url: string, body: unknown): Promise<unknown> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) {
    throw new Error(`POST ${url}: ${response.status} ${text.slice(0, 300)}`);
  }
  return JSON.parse(text) as unknown;
}

/** What an ingest through the API took. */
export interface IngestTiming {
  items: number;
  batch: number;
  /** Batch requests kept in flight at once. */
  inFlight: number;
  time: Seconds;
}

/**
 * Adds `texts` through POST /v1/items/batch, `batch` at a time
 * (MAX_BATCH_ITEMS), logging progress. `inFlight` senders (default 1)
 * each send their next batch as soon as their last one is answered, so
 * batches are stored in about, not exactly, the order of `texts`.
 */
export async function ingestOverHttp(
  server: BenchServer,
  texts: readonly string[],
  log: (line: string) => void,
  inFlight = 1,
): Promise<IngestTiming> {
  const batch = server.config.MAX_BATCH_ITEMS;
  const elapsed = stopwatch();
  let next = 0;
  let done = 0;
  let reported = 0;
  const send = async () => {
    for (let start = next; start < texts.length; start = next) {
      next += batch;
      const items = texts.slice(start, start + batch).map((text) => ({ text }));
      await postJson(`${server.url}/v1/items/batch`, { items });
      done += items.length;
      if (done - reported >= 20_000 || done === texts.length) {
        reported = done;
        log(`  ingested ${done} in ${elapsed().wall.toFixed(0)} s`);
      }
    }
  };
  await Promise.all(Array.from({ length: inFlight }, send));
  return { items: texts.length, batch, inFlight, time: elapsed() };
}
