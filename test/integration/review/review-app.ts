/**
 * The real app for the review tests: a small untrained siamese encoder
 * saved to a temp folder, the dedup service on a fresh DATA_DIR, real
 * Quora questions ingested through it, the review queue on its own
 * SQLite connection, and the HTTP server on a free port.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { loadConfig, type Config } from '../../../src/config/config.js';
import { sharedDataDir } from '../../../src/config/paths.js';
import { readPairs } from '../../../src/data/read-pairs.js';
import { SiameseEncoder } from '../../../src/encoder/siamese-encoder.js';
import { createApp } from '../../../src/http/create-app.js';
import { listen, type RunningServer } from '../../../src/http/http-server.js';
import { silentLogger } from '../../../src/logging/logger.js';
import { openReviewQueue } from '../../../src/review/open-review.js';
import { reviewMounts } from '../../../src/review/review-mounts.js';
import type { ReviewQueue } from '../../../src/review/review-queue.js';
import { databasePath } from '../../../src/service/data-files.js';
import type { DedupService } from '../../../src/service/dedup-service.js';
import { startDedupService } from '../../../src/service/open-service.js';

/** Makes a temp folder named after `prefix`. */
export function tempDir(prefix: string): string {
  return mkdtempSync(path.join(os.tmpdir(), `siamese-review-${prefix}-`));
}

/** Removes a folder and everything in it. */
export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** Saves a small untrained encoder (16 units, 16-d output) to `dir`. */
export async function saveSmallModel(dir: string): Promise<string> {
  const encoder = await SiameseEncoder.create({ units: 16, projection: 16 }, 1);
  encoder.version = 'review-test';
  encoder.save(dir);
  encoder.dispose();
  return dir;
}

/** The first `n` distinct questions of quora/dev.tsv, in file order. */
export async function quoraQuestions(n: number): Promise<string[]> {
  const file = await readPairs(path.join(sharedDataDir, 'quora', 'dev.tsv'));
  const seen = new Set<string>();
  for (const pair of file.pairs) {
    for (const text of [pair.a, pair.b]) if (seen.size < n) seen.add(text);
    if (seen.size >= n) break;
  }
  return [...seen];
}

/** A running app and its parts. */
export interface ReviewApp {
  /** Base URL, e.g. http://127.0.0.1:41234. */
  url: string;
  /** The SQLite file of the service. */
  dbFile: string;
  /** The service. */
  service: DedupService;
  /** The review queue. */
  queue: ReviewQueue;
  /** The settings in use. */
  config: Config;
  /** Stops the server (if still up), the queue and the service. */
  stop(): Promise<void>;
  /** Stops only the HTTP server, to test an unreachable server. */
  stopServer(): Promise<void>;
}

/** Starts the app on `dataDir` with `questions` ingested. */
export async function startReviewApp(
  dataDir: string,
  modelDir: string,
  questions: readonly string[],
  env: Record<string, string> = {},
): Promise<ReviewApp> {
  const config = loadConfig({
    DATA_DIR: dataDir,
    MODEL_DIR: modelDir,
    SEED_CORPUS: '',
    INDEX_SAVE_SECONDS: '0',
    LOG_LEVEL: 'silent',
    ...env,
  });
  const logger = silentLogger();
  const service = await startDedupService(config, { logger });
  const review = openReviewQueue(service, config, { logger });
  review.queue.start();
  if (questions.length > 0) {
    await service.ingest(questions.map((text) => ({ text })));
  }

  const app = createApp({
    service,
    config,
    logger,
    routers: reviewMounts(review.queue, service),
  });
  let server: RunningServer | undefined = await listen(app, '127.0.0.1', 0);
  const stopServer = async () => {
    await server?.stop(1000);
    server = undefined;
  };

  return {
    url: server.url,
    dbFile: databasePath(config.dataDir),
    service,
    queue: review.queue,
    config,
    stopServer,
    async stop() {
      await stopServer();
      await review.close();
      await service.close();
    },
  };
}
