/**
 * The BullMQ side of a serving process (and of a worker, for follow-up
 * runs): hands recorded retrain jobs to Redis and hears, through queue
 * events, when one completes anywhere.
 */
import { once } from 'node:events';

import {
  Queue,
  QueueEvents,
  type Job as QueueJob,
  type JobsOptions,
} from 'bullmq';
import type { Redis } from 'ioredis';

import type { Config } from '../config/config.js';
import type { Logger } from '../logging/logger.js';
import type { Job } from '../store/job-store.js';
import type {
  RetrainJobData,
  RetrainResult,
} from '../training/retrain-types.js';
import { RETRAIN_JOB, RETRAIN_QUEUE } from './queue-names.js';
import {
  checkEvictionPolicy,
  connectRedis,
  CONNECT_TIMEOUT_MS,
  queueUnavailable,
} from './redis-connections.js';
import type { RetrainRequests } from './retrain-requests.js';
import type { CompletedListener, TrainingQueue } from './training-queue.js';

/** Milliseconds an add may take before the queue counts as down. */
export const ENQUEUE_TIMEOUT_MS = 5000;

/** Finished jobs kept in Redis: a week, at most 1,000 (SQLite keeps all). */
const KEEP_FINISHED = { age: 7 * 24 * 3600, count: 1000 };

/** Options of {@link RedisTrainingQueue}. */
export interface RedisQueueOptions {
  /** Settings; REDIS_URL must be set. */
  config: Config;
  /** The SQLite record of requests, for {@link RedisTrainingQueue.sync}. */
  requests: RetrainRequests;
  /** Logger. */
  logger: Logger;
  /** Listen for completed jobs (QueueEvents). Default true. */
  listen?: boolean;
}

/** BullMQ job options of a retrain: retries with exponential backoff. */
export function retrainJobOptions(config: Config, id: string): JobsOptions {
  return {
    jobId: id,
    attempts: config.RETRAIN_ATTEMPTS,
    backoff: {
      type: 'exponential',
      delay: Math.round(config.RETRAIN_BACKOFF_SECONDS * 1000),
    },
    removeOnComplete: KEEP_FINISHED,
    removeOnFail: KEEP_FINISHED,
  };
}

/** A {@link TrainingQueue} on BullMQ. */
export class RedisTrainingQueue implements TrainingQueue {
  readonly mode = 'redis';

  private readonly url: string;
  private readonly client: Redis;
  private readonly queue: Queue<RetrainJobData, RetrainResult>;
  private readonly events: QueueEvents | undefined;
  private readonly eventsClient: Redis | undefined;
  private readonly listeners: CompletedListener[] = [];
  private syncing: Promise<void> | undefined;

  /** Connects (in the background; Redis may be down) and listens. */
  constructor(private readonly options: RedisQueueOptions) {
    const { config, logger } = options;
    this.url = requireUrl(config);
    this.client = connectRedis(this.url, 'producer', logger);
    this.queue = new Queue(RETRAIN_QUEUE, {
      connection: this.client,
      prefix: config.QUEUE_PREFIX,
    });
    this.queue.on('error', () => undefined); // logged by the connection

    this.client.on('ready', () => this.onReady());
    if (options.listen ?? true) {
      this.eventsClient = connectRedis(this.url, 'blocking', logger);
      this.events = new QueueEvents(RETRAIN_QUEUE, {
        connection: this.eventsClient,
        prefix: config.QUEUE_PREFIX,
      });
      this.events.on('error', () => undefined);
      this.events.on('completed', ({ jobId, returnvalue }) => {
        for (const listener of this.listeners) {
          listener(jobId, returnvalue as unknown as RetrainResult);
        }
      });
    }
  }

  get available(): boolean {
    return this.client.status === 'ready';
  }

  async enqueue(job: Job, data: RetrainJobData): Promise<void> {
    const details = { 'job.id': job.id };
    if (!(await this.connected())) throw queueUnavailable(this.url, details);
    try {
      await withTimeout(
        this.queue.add(
          RETRAIN_JOB,
          data,
          retrainJobOptions(this.options.config, job.id),
        ),
        ENQUEUE_TIMEOUT_MS,
      );
    } catch (err) {
      throw queueUnavailable(this.url, details, err);
    }
  }

  /**
   * Adds every job SQLite records as waiting that Redis lacks: requests
   * made while Redis was down, or lost with a Redis restart. Adding is
   * keyed by job id, so a job Redis holds is never doubled. One sync
   * runs at a time; a call during one joins it.
   */
  sync(): Promise<void> {
    this.syncing ??= this.syncNow().finally(() => {
      this.syncing = undefined;
    });
    return this.syncing;
  }

  /** The queue's own record of job `id`, or undefined. */
  async getJob(
    id: string,
  ): Promise<QueueJob<RetrainJobData, RetrainResult> | undefined> {
    return (await this.queue.getJob(id)) ?? undefined;
  }

  onCompleted(listener: CompletedListener): void {
    this.listeners.push(listener);
  }

  async close(): Promise<void> {
    await this.syncing?.catch(() => undefined);
    await this.events?.close();
    await this.queue.close();
    this.client.disconnect();
    this.eventsClient?.disconnect();
  }

  /**
   * True when Redis is connected. While the first connection is still
   * being made it waits for it (up to CONNECT_TIMEOUT_MS); once Redis is
   * known to be down it answers at once.
   */
  private async connected(): Promise<boolean> {
    const status = this.client.status;
    if (status === 'ready') return true;
    if (!['wait', 'connecting', 'connect'].includes(status)) return false;
    try {
      await withTimeout(once(this.client, 'ready'), CONNECT_TIMEOUT_MS);
      return true;
    } catch {
      return false;
    }
  }

  private async syncNow(): Promise<void> {
    if (!this.available) return;
    for (const job of this.options.requests.waiting()) {
      if (await this.queue.getJob(job.id)) continue;
      await this.enqueue(job, { reason: 'api', requestedAt: job.createdAt });
      this.options.logger.info(
        { 'job.id': job.id },
        'handed a recorded retrain request to the queue',
      );
    }
  }

  /**
   * On every (re)connection: one retrain at a time across all workers
   * (global concurrency 1), a check of the eviction policy, and the
   * requests recorded while Redis was away.
   */
  private onReady(): void {
    const { logger } = this.options;
    const setUp = async () => {
      await this.queue.setGlobalConcurrency(1);
      await checkEvictionPolicy(this.client, logger);
      await this.sync();
    };
    setUp().catch((err: unknown) =>
      logger.warn({ err }, 'could not set up the retrain queue'),
    );
  }
}

function requireUrl(config: Config): string {
  if (!config.REDIS_URL) {
    throw new Error('RedisTrainingQueue needs REDIS_URL');
  }
  return config.REDIS_URL;
}

/** `promise`, or a rejection after `ms` milliseconds. */
export async function withTimeout<T>(promise: Promise<T>, ms: number) {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer within ${ms} ms`)),
      ms,
    );
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
