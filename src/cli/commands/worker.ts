/**
 * `siamese-dedup worker`: runs retrain jobs from Redis (REDIS_URL), one
 * at a time, each in a sandboxed child process. Several workers may run
 * against one Redis and one DATA_DIR; the queue lets one retrain run at
 * a time. SIGTERM or SIGINT stops it gracefully: the running job goes
 * back to the queue (or finishes, if it is already promoting) within
 * WORKER_SHUTDOWN_SECONDS. `--check` only checks that Redis answers,
 * for container health checks: exit 0 when it does, 1 when not.
 */
import type { Command } from 'commander';

import { loadConfig, type Config } from '../../config/config.js';
import { AppError, ErrorCode } from '../../errors/app-error.js';
import { createLogger, type Logger } from '../../logging/logger.js';
import { JobLifecycle } from '../../queue/job-lifecycle.js';
import { checkRedis, redisAddress } from '../../queue/redis-connections.js';
import { RedisTrainingQueue } from '../../queue/redis-queue.js';
import { RetrainWorker } from '../../queue/redis-worker.js';
import { RetrainRequests } from '../../queue/retrain-requests.js';
import { databasePath, prepareDataDir } from '../../service/data-files.js';
import { JobStore } from '../../store/job-store.js';
import { openDatabase } from '../../store/open-database.js';
import { PairStore } from '../../store/pair-store.js';
import { stopSignal } from '../stop-signal.js';

interface WorkerFlags {
  check?: boolean;
}

/** Registers `worker`. */
export function workerCommand(program: Command): void {
  program
    .command('worker')
    .description('run retrain jobs from Redis (settings from the environment)')
    .option('--check', 'only check that Redis answers (exit 0 or 1)')
    .action(async (flags: WorkerFlags) => {
      const config = loadConfig();
      const url = requireRedis(config);
      if (flags.check) {
        await checkOnce(url);
        return;
      }
      await runWorker(config, createLogger({ level: config.LOG_LEVEL }));
    });
}

/**
 * Prints one line of JSON on stdout; when Redis does not answer, also
 * says so on stderr and sets exit code 1.
 */
async function checkOnce(url: string): Promise<void> {
  const health = await checkRedis(url);
  const redis = redisAddress(url);
  process.stdout.write(`${JSON.stringify({ redis, ...health })}\n`);
  if (!health.ok) {
    process.stderr.write(
      `siamese-dedup: Redis at ${redis} (REDIS_URL) did not answer: ` +
        `${health.error ?? 'no reason given'}\n`,
    );
    process.exitCode = 1;
  }
}

/** Runs until SIGTERM or SIGINT, then stops gracefully. */
async function runWorker(config: Config, logger: Logger): Promise<void> {
  prepareDataDir(config.dataDir);
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
  logger.info(
    {
      redis: redisAddress(config.REDIS_URL ?? ''),
      prefix: config.QUEUE_PREFIX,
    },
    'worker started',
  );
  await worker.checkRedis();

  const signal = await stopSignal(logger);
  logger.info({ signal, 'job.id': worker.runningJob }, 'worker stopping');
  const clean = await worker.close();
  await queue.close();
  db.close();
  logger.info({ clean }, 'worker stopped');

  // A job that did not stop in time still holds its child process.
  if (!clean) process.exit(1);
}

function requireRedis(config: Config): string {
  if (config.REDIS_URL) return config.REDIS_URL;
  throw new AppError(
    ErrorCode.BadConfig,
    'the worker needs REDIS_URL. Without Redis, `siamese-dedup serve` ' +
      'runs training itself (EMBEDDED_WORKER=true).',
  );
}
