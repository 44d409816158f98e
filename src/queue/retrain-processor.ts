/**
 * The retrain processor. BullMQ workers run this file in a child process
 * of their own (a sandboxed processor), so the CPU-bound training never
 * starves the worker's event loop and its job lock is always renewed;
 * without Redis the serving process runs the same file in a worker
 * thread (see local-queue.ts). Settings come from the environment the
 * parent hands over (see config-env.ts).
 */
import { isMainThread } from 'node:worker_threads';

import { WaitingError, type SandboxedJob } from 'bullmq';
import { pino } from 'pino';

import { loadConfig, type Config } from '../config/config.js';
import type { Logger } from '../logging/logger.js';
import { databasePath } from '../service/data-files.js';
import { ItemStore } from '../store/item-store.js';
import { ModelStore } from '../store/model-store.js';
import { openDatabase } from '../store/open-database.js';
import { PairStore } from '../store/pair-store.js';
import { RetrainCancelled, runRetrain } from '../training/retrain.js';
import type {
  RetrainJobData,
  RetrainResult,
} from '../training/retrain-types.js';
import { SHUTDOWN_REASON } from './queue-names.js';

/** The parts of a job the processor uses; a SandboxedJob has them. */
export type RetrainJobHandle = Pick<
  SandboxedJob<RetrainJobData, RetrainResult>,
  'id' | 'data' | 'attemptsMade' | 'updateProgress' | 'moveToWait'
> & {
  /** Times the job was started, this one included, when known. */
  attemptsStarted?: number;
};

if (isMainThread && typeof process.send === 'function') {
  // The worker that forked this process is gone (killed or crashed):
  // stop now instead of training on as an orphan. Nothing is lost, as
  // a model is only ever written whole, and the job runs again.
  process.once('disconnect', () => process.exit(1));
}

/**
 * Runs one retrain job. When the worker stops (abort reason
 * `shutdown`) before the candidate is saved, the job goes back to the
 * queue, without using up an attempt, and `WaitingError` tells BullMQ
 * so. Other errors fail the attempt; BullMQ retries with backoff.
 */
export default async function retrainProcessor(
  job: RetrainJobHandle,
  token?: string,
  signal?: AbortSignal,
): Promise<RetrainResult> {
  const config = loadConfig(process.env);
  const jobId = job.id ?? 'unknown';
  const logger = processorLogger(config).child({ 'job.id': jobId });
  const db = openDatabase(databasePath(config.dataDir), { logger });

  try {
    const parts = {
      config,
      items: new ItemStore(db),
      pairs: new PairStore(db),
      models: new ModelStore(db),
      logger,
    };
    return await runRetrain(parts, {
      jobId,
      attempt: job.attemptsStarted ?? job.attemptsMade + 1,
      signal,
      onProgress: (progress) => {
        job.updateProgress(progress).catch((err: unknown) => {
          logger.warn({ err }, 'could not report progress');
        });
      },
    });
  } catch (err) {
    if (err instanceof RetrainCancelled && err.reason === SHUTDOWN_REASON) {
      logger.info('released the job for another worker');
      await job.moveToWait(token);
      throw new WaitingError();
    }
    logger.error({ err }, 'retrain failed');
    throw err;
  } finally {
    db.close();
  }
}

/** JSON lines on stderr, which the parent passes on. */
function processorLogger(config: Config): Logger {
  return pino(
    { level: config.LOG_LEVEL, base: { service: 'siamese-dedup-worker' } },
    pino.destination({ fd: 2, sync: true }),
  );
}
