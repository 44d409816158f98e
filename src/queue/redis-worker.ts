/**
 * The BullMQ worker of `siamese-dedup worker`: runs retrain jobs one at
 * a time in a sandboxed child process, records their lifecycle in
 * SQLite, and stops gracefully.
 */
import { Worker, type Job as QueueJob } from 'bullmq';
import type { Redis } from 'ioredis';

import type { Config } from '../config/config.js';
import type { Logger } from '../logging/logger.js';
import type {
  RetrainJobData,
  RetrainResult,
} from '../training/retrain-types.js';
import { configToEnv } from './config-env.js';
import type { JobLifecycle } from './job-lifecycle.js';
import { processorExecArgv, RETRAIN_PROCESSOR } from './processor-files.js';
import { RETRAIN_QUEUE, SHUTDOWN_REASON } from './queue-names.js';
import { checkEvictionPolicy, connectRedis } from './redis-connections.js';
import type { RedisTrainingQueue } from './redis-queue.js';

/**
 * Times a retrain job may stall (its worker died or lost Redis for
 * longer than the lock) and still be run again: 3, not BullMQ's 1. With
 * the training in a sandboxed process a stall never comes from a busy
 * event loop, only from a lost worker: a deploy that restarts workers,
 * an evicted container, a Redis failover. A retrain is safe to rerun
 * from the start (each run writes a new model version, atomically), so
 * surviving two such events beats failing a long job over routine
 * operations; a third stall points at a job that kills its worker (out
 * of memory on a large corpus, say), and the job fails for good rather
 * than take worker after worker down.
 */
export const MAX_STALLED_COUNT = 3;

/** Options of {@link RetrainWorker}. */
export interface RetrainWorkerOptions {
  /** Settings; REDIS_URL must be set. */
  config: Config;
  /** Writes job states to SQLite. */
  lifecycle: JobLifecycle;
  /** Hands follow-up runs to the queue. */
  queue: RedisTrainingQueue;
  /** Logger. */
  logger: Logger;
  /** Run the processor in worker threads instead of child processes.
   * Default false: a crash or kill then takes only the child. */
  useWorkerThreads?: boolean;
}

/** Runs retrain jobs from Redis. */
export class RetrainWorker {
  private readonly worker: Worker<RetrainJobData, RetrainResult>;
  private readonly client: Redis;
  private current: string | undefined;
  private closing: Promise<boolean> | undefined;

  /** Starts taking jobs at once. */
  constructor(private readonly options: RetrainWorkerOptions) {
    const { config, logger } = options;
    const url = config.REDIS_URL;
    if (!url) throw new Error('RetrainWorker needs REDIS_URL');
    this.client = connectRedis(url, 'blocking', logger);
    const env = configToEnv(config);
    const lockMs = Math.round(config.WORKER_LOCK_SECONDS * 1000);

    this.worker = new Worker(RETRAIN_QUEUE, RETRAIN_PROCESSOR, {
      connection: this.client,
      prefix: config.QUEUE_PREFIX,
      concurrency: 1,
      useWorkerThreads: options.useWorkerThreads ?? false,
      workerForkOptions: { env, execArgv: processorExecArgv() },
      workerThreadsOptions: { env, execArgv: processorExecArgv() },
      maxStalledCount: MAX_STALLED_COUNT,
      lockDuration: lockMs,
      stalledInterval: lockMs,
    });
    this.listen();
  }

  /** Checks Redis' eviction policy, warning unless it is noeviction. */
  async checkRedis(): Promise<string | undefined> {
    return checkEvictionPolicy(this.client, this.options.logger);
  }

  /** Id of the job running now, if any. */
  get runningJob(): string | undefined {
    return this.current;
  }

  /**
   * Stops gracefully: takes no new job, asks the running one to stop at
   * its next safe point (it goes back to the queue without using an
   * attempt, or finishes if it is already promoting), and waits up to
   * WORKER_SHUTDOWN_SECONDS. Resolves true when everything closed in
   * time; false when it gave up waiting, in which case the job's lock
   * runs out and another worker takes it over as a stalled job.
   */
  close(): Promise<boolean> {
    this.closing ??= this.closeNow();
    return this.closing;
  }

  private async closeNow(): Promise<boolean> {
    const { config, logger, lifecycle } = this.options;
    if (this.current) this.worker.cancelAllJobs(SHUTDOWN_REASON);

    const closed = this.worker.close().then(() => true);
    const waited = await Promise.race([
      closed,
      delay(config.WORKER_SHUTDOWN_SECONDS * 1000).then(() => false),
    ]);
    if (!waited) {
      logger.warn(
        { 'job.id': this.current },
        'the job did not stop in time; leaving it to the stalled check',
      );
    }

    // A job that neither completed nor failed was handed back.
    if (this.current) lifecycle.released(this.current);
    if (waited) this.client.disconnect();
    return waited;
  }

  private listen(): void {
    const { lifecycle, logger } = this.options;
    const guard = (what: string, fn: () => void | Promise<void>) => {
      try {
        const done = fn();
        if (done) done.catch((err: unknown) => logger.error({ err }, what));
      } catch (err) {
        logger.error({ err }, what);
      }
    };

    this.worker.on('active', (job) => {
      this.current = job.id;
      guard('recording a start', () => lifecycle.started(idOf(job)));
    });
    this.worker.on('progress', (job, progress) => {
      guard('recording progress', () =>
        lifecycle.progressed(idOf(job), progress),
      );
    });
    this.worker.on('completed', (job, result) => {
      this.current = undefined;
      guard('recording a completion', () =>
        this.handOver(lifecycle.completed(idOf(job), result)),
      );
    });
    this.worker.on('failed', (job, err) => {
      if (!job) return;
      this.current = undefined;
      guard('recording a failure', () => this.recordFailure(job, err));
    });
    this.worker.on('stalled', (jobId) => {
      guard('recording a stall', () => this.recordStall(jobId));
    });
    this.worker.on('error', (err) => {
      logger.warn({ err: err.message }, 'worker error');
    });
  }

  private async recordFailure(
    job: QueueJob<RetrainJobData, RetrainResult>,
    err: Error,
  ): Promise<void> {
    const state = await job.getState();
    const retrying = state === 'delayed' || state === 'waiting';
    const next = this.options.lifecycle.failed(
      idOf(job),
      err.message,
      retrying,
    );
    await this.handOver(next);
  }

  /** A job whose worker died: back in the queue, or failed for good. */
  private async recordStall(jobId: string): Promise<void> {
    const job = await this.options.queue.getJob(jobId);
    const state = job ? await job.getState() : 'unknown';
    const message = 'the worker running it stopped (stalled job)';
    if (state === 'failed') {
      await this.handOver(this.options.lifecycle.failed(jobId, message, false));
    } else {
      this.options.lifecycle.released(jobId);
    }
  }

  /** Queues a follow-up run; on failure the serving processes' sync
   * will. */
  private async handOver(
    request: ReturnType<JobLifecycle['completed']>,
  ): Promise<void> {
    if (!request?.created) return;
    try {
      await this.options.queue.enqueue(request.job, {
        reason: request.reason,
        requestedAt: request.job.createdAt,
      });
    } catch (err) {
      this.options.logger.warn(
        { err, 'job.id': request.job.id },
        'follow-up retrain recorded; it will be queued later',
      );
    }
  }
}

function idOf(job: QueueJob): string {
  return job.id ?? 'unknown';
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
