/**
 * Shared set-up of the queue and retrain tests: the real Redis (a test
 * that needs it fails, never skips, when it is absent), a fresh queue
 * prefix per test removed afterwards, real Quora pairs and questions,
 * a deliberately weak tiny model, a started service in a fresh
 * DATA_DIR, and a real HTTP server with the training routes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { Redis } from 'ioredis';
import { pino } from 'pino';

import { loadConfig, type Config } from '../../../src/config/config.js';
import { projectRoot, sharedDataDir } from '../../../src/config/paths.js';
import { readPairs } from '../../../src/data/read-pairs.js';
import type { BinaryPair } from '../../../src/data/pair-types.js';
import { SiameseEncoder } from '../../../src/encoder/siamese-encoder.js';
import { createApp } from '../../../src/http/create-app.js';
import { listen, type RunningServer } from '../../../src/http/http-server.js';
import { trainingMount } from '../../../src/http/routes/training-routes.js';
import { silentLogger, type Logger } from '../../../src/logging/logger.js';
import { configToEnv } from '../../../src/queue/config-env.js';
import { JobLifecycle } from '../../../src/queue/job-lifecycle.js';
import { RedisTrainingQueue } from '../../../src/queue/redis-queue.js';
import { RetrainWorker } from '../../../src/queue/redis-worker.js';
import { RetrainRequests } from '../../../src/queue/retrain-requests.js';
import { databasePath } from '../../../src/service/data-files.js';
import type { DedupService } from '../../../src/service/dedup-service.js';
import { startDedupService } from '../../../src/service/open-service.js';
import { JobStore } from '../../../src/store/job-store.js';
import { openDatabase } from '../../../src/store/open-database.js';
import { PairStore } from '../../../src/store/pair-store.js';
import {
  startTraining,
  type TrainingControl,
} from '../../../src/training/training-control.js';

/** The Redis the tests use: REDIS_URL, else the local default. */
export const TEST_REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Version label of the weak starting model. */
export const WEAK_VERSION = 'weak-start';

/** Fails (never skips) unless Redis answers PING. */
export async function requireRedis(): Promise<void> {
  const client = new Redis(TEST_REDIS_URL, {
    lazyConnect: true,
    connectTimeout: 2000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.ping();
  } catch (err) {
    throw new Error(
      `these tests need Redis at ${TEST_REDIS_URL} (set REDIS_URL): ` +
        String(err),
    );
  } finally {
    client.disconnect();
  }
}

/** A queue prefix no other test uses. */
export function freshPrefix(): string {
  return `sdtest-${randomUUID().slice(0, 8)}`;
}

/** Deletes every Redis key under `prefix`. */
export async function removePrefix(prefix: string): Promise<void> {
  const client = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(
        cursor,
        'MATCH',
        `${prefix}:*`,
        'COUNT',
        500,
      );
      cursor = next;
      if (keys.length > 0) await client.del(...keys);
    } while (cursor !== '0');
  } finally {
    client.disconnect();
  }
}

/** A temp folder named after `name`. */
export function tempDir(name: string): string {
  return mkdtempSync(path.join(os.tmpdir(), `siamese-${name}-`));
}

/** Removes a temp folder. */
export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

let devPairs: BinaryPair[] | undefined;

/** Quora dev pairs `from` to `from + count` (real, human labels). */
export async function quoraPairs(
  count: number,
  from = 0,
): Promise<BinaryPair[]> {
  if (!devPairs) {
    const file = await readPairs(path.join(sharedDataDir, 'quora', 'dev.tsv'));
    devPairs = file.pairs as BinaryPair[];
  }
  return devPairs.slice(from, from + count);
}

/** Distinct questions of Quora dev pairs `from` onwards, `count` of them. */
export async function quoraQuestions(
  count: number,
  from = 5000,
): Promise<string[]> {
  const pairs = await quoraPairs(10_000 - from, from);
  const seen = new Set<string>();
  for (const pair of pairs) {
    for (const text of [pair.a, pair.b]) {
      if (seen.size < count) seen.add(text);
    }
  }
  return [...seen];
}

/**
 * Saves a weak starting model to `dir`: untrained, 16 units, 16-d
 * output. The mean word vector alone makes it better than chance.
 */
export async function saveWeakModel(dir: string): Promise<string> {
  const encoder = await SiameseEncoder.create({ units: 16, projection: 16 }, 1);
  encoder.version = WEAK_VERSION;
  encoder.save(dir);
  encoder.dispose();
  return dir;
}

/** Settings for a test over `dataDir`, with small fast retrains. */
export function queueConfig(
  dataDir: string,
  modelDir: string,
  env: Record<string, string> = {},
): Config {
  return loadConfig({
    DATA_DIR: dataDir,
    MODEL_DIR: modelDir,
    SEED_CORPUS: '',
    INDEX_SAVE_SECONDS: '0',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    RETRAIN_AFTER_LABELS: '0',
    RETRAIN_EPOCHS: '3',
    RETRAIN_LEARNING_RATE: '0.003',
    RETRAIN_MIN_PAIRS: '20',
    RETRAIN_BACKOFF_SECONDS: '0.5',
    TRAINING_POLL_SECONDS: '0.5',
    WORKER_LOCK_SECONDS: '3',
    WORKER_SHUTDOWN_SECONDS: '10',
    HNSW_EF_CONSTRUCTION: '64',
    ...env,
  });
}

/** A started service, its training controls and an HTTP server. */
export interface Stack {
  config: Config;
  service: DedupService;
  training: TrainingControl;
  http: RunningServer;
  /** Stops the server, training and the service. */
  close(): Promise<void>;
}

/** A test logger: silent unless TEST_LOG_LEVEL is set. */
export function testLogger(): Logger {
  const level = process.env.TEST_LOG_LEVEL;
  return level ? createTestLogger(level) : silentLogger();
}

function createTestLogger(level: string): Logger {
  return pino({ level, base: { test: 'queue' } });
}

/** Starts the service, training and an HTTP server over `config`. */
export async function startStack(config: Config): Promise<Stack> {
  const logger = testLogger();
  const service = await startDedupService(config, { logger, seed: false });
  const training = startTraining({ service, config, logger });
  const app = createApp({
    service,
    config,
    logger,
    routers: [trainingMount(training)],
  });
  const http = await listen(app, '127.0.0.1', 0);
  return {
    config,
    service,
    training,
    http,
    async close() {
      await http.stop(1000);
      await training.close();
      await service.close();
    },
  };
}

/** Adds `questions` as items and `pairs` as API labels. */
export async function loadCorpus(
  service: DedupService,
  questions: readonly string[],
  pairs: readonly BinaryPair[],
): Promise<void> {
  for (let i = 0; i < questions.length; i += 500) {
    const batch = questions.slice(i, i + 500).map((text) => ({ text }));
    await service.ingest(batch, { neighbours: false });
  }
  addLabels(service, pairs);
}

/** Stores `pairs` as labels given through the API. */
export function addLabels(
  service: DedupService,
  pairs: readonly BinaryPair[],
): void {
  service.addPairs(
    pairs.map((p) => ({ a: { text: p.a }, b: { text: p.b }, label: p.label })),
    { source: 'api', who: 'test' },
  );
}

/** Polls `check` every 100 ms until it returns a value, or fails. */
export async function waitFor<T>(
  what: string,
  check: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 120_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** JSON of `GET url`. */
export async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`GET ${url}: ${res.status}`);
  return (await res.json()) as T;
}

/** A BullMQ retrain worker in this process (its processor is not). */
export interface TestWorker {
  worker: RetrainWorker;
  /** Stops the worker gracefully and closes its connections. */
  close(): Promise<void>;
}

/** Starts a retrain worker over `config` (REDIS_URL set). */
export function startWorker(config: Config): TestWorker {
  const logger = testLogger();
  const db = openDatabase(databasePath(config.dataDir), { logger });
  const jobs = new JobStore(db);
  const pairs = new PairStore(db);
  const requests = new RetrainRequests(db, jobs, pairs, config);
  const lifecycle = new JobLifecycle(jobs, pairs, requests, logger);
  const queue = new RedisTrainingQueue({
    config,
    requests,
    logger,
    listen: false,
  });
  const worker = new RetrainWorker({ config, lifecycle, queue, logger });
  return {
    worker,
    async close() {
      await worker.close();
      await queue.close();
      db.close();
    },
  };
}

/** A `siamese-dedup worker` process and what it printed. */
export interface WorkerProcess {
  child: ChildProcess;
  /** Everything written to stdout and stderr so far. */
  output: () => string;
  /** Resolves with the exit code (or signal name) when it exits. */
  exited: Promise<number | string>;
}

/** Starts `siamese-dedup worker` from the sources, with `config`. */
export function spawnWorker(config: Config): WorkerProcess {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(projectRoot, 'src/cli/main.ts'), 'worker'],
    {
      cwd: projectRoot,
      env: { ...configToEnv(config), LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)),
  );
  return { child, output: () => output, exited };
}

/** Pids of the direct children of `pid` (Linux /proc). */
export function childPids(pid: number): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(
        stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1],
      );
      if (parent === pid) out.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return out;
}

/** True while process `pid` exists (zombies count as gone). */
export function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}
