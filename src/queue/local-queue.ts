/**
 * The queue without Redis: retrain jobs recorded in SQLite run one at a
 * time in a worker thread of the serving process, through the same
 * processor file and the same lifecycle as under BullMQ: progress,
 * retries with exponential backoff, release on shutdown. Jobs left
 * running by a process that died are run again at the next start.
 * Meant for one serving process per DATA_DIR; with more, use Redis.
 */
import { Worker } from 'node:worker_threads';

import type { Config } from '../config/config.js';
import type { Logger } from '../logging/logger.js';
import type { Job } from '../store/job-store.js';
import type {
  RetrainJobData,
  RetrainResult,
} from '../training/retrain-types.js';
import { configToEnv } from './config-env.js';
import type { JobLifecycle } from './job-lifecycle.js';
import { RETRAIN_PROCESSOR, threadStart } from './processor-files.js';
import { SHUTDOWN_REASON } from './queue-names.js';
import type { RetrainRequest, RetrainRequests } from './retrain-requests.js';
import type {
  ThreadMessage,
  ThreadRequest,
  ThreadStart,
} from './thread-protocol.js';
import type { CompletedListener, TrainingQueue } from './training-queue.js';

/** Options of {@link LocalTrainingQueue}. */
export interface LocalQueueOptions {
  /** Settings (attempts, backoff, shutdown wait). */
  config: Config;
  /** Writes job states to SQLite. */
  lifecycle: JobLifecycle;
  /** The SQLite record of requests. */
  requests: RetrainRequests;
  /** Logger. */
  logger: Logger;
}

interface Pending {
  id: string;
  data: RetrainJobData;
  attemptsMade: number;
  /** Epoch milliseconds before which it must not start. */
  notBefore: number;
}

/** How one run of a thread ended. */
type Outcome =
  | { kind: 'completed'; result: RetrainResult }
  | { kind: 'released' }
  | { kind: 'failed'; message: string };

/** A {@link TrainingQueue} that runs jobs in a worker thread. */
export class LocalTrainingQueue implements TrainingQueue {
  readonly mode = 'local';
  readonly available = true;

  private readonly pending = new Map<string, Pending>();
  private readonly listeners: CompletedListener[] = [];
  private running:
    { id: string; thread: Worker; done: Promise<void> } | undefined;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  /** Takes over jobs a dead process left running, then waiting ones. */
  constructor(private readonly options: LocalQueueOptions) {
    for (const job of options.requests.orphaned()) {
      options.lifecycle.released(job.id);
    }
  }

  enqueue(job: Job, data: RetrainJobData): Promise<void> {
    if (!this.closed && !this.pending.has(job.id) && !this.isRunning(job.id)) {
      this.pending.set(job.id, {
        id: job.id,
        data,
        attemptsMade: 0,
        notBefore: 0,
      });
      this.pump();
    }
    return Promise.resolve();
  }

  async sync(): Promise<void> {
    for (const job of this.options.requests.waiting()) {
      await this.enqueue(job, { reason: 'api', requestedAt: job.createdAt });
    }
  }

  onCompleted(listener: CompletedListener): void {
    this.listeners.push(listener);
  }

  /**
   * Stops: no new job starts; the running one is asked to stop at its
   * next safe point and goes back to waiting; after
   * WORKER_SHUTDOWN_SECONDS its thread is terminated.
   */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    const running = this.running;
    if (!running) return;

    const request: ThreadRequest = { type: 'cancel', reason: SHUTDOWN_REASON };
    running.thread.postMessage(request);
    const grace = this.options.config.WORKER_SHUTDOWN_SECONDS * 1000;
    const stopped = await Promise.race([
      running.done.then(() => true),
      delay(grace).then(() => false),
    ]);
    if (!stopped) {
      await running.thread.terminate();
      this.options.lifecycle.released(running.id);
    }
  }

  private isRunning(id: string): boolean {
    return this.running?.id === id;
  }

  /** Starts the next due job unless one runs; else waits for one. */
  private pump(): void {
    if (this.closed || this.running) return;
    clearTimeout(this.timer);

    const now = Date.now();
    const all = [...this.pending.values()];
    const due = all.find((p) => p.notBefore <= now);
    if (!due) {
      const next = Math.min(...all.map((p) => p.notBefore));
      if (Number.isFinite(next)) {
        this.timer = setTimeout(() => this.pump(), next - now).unref();
      }
      return;
    }

    if (!this.options.requests.claim(due.id)) {
      // Another process runs a retrain, or this one is no longer waiting.
      this.pending.delete(due.id);
      return;
    }
    this.pending.delete(due.id);
    this.options.logger.info({ 'job.id': due.id }, 'retrain started');
    this.start(due);
  }

  private start(job: Pending): void {
    const { logger } = this.options;
    const { entry, eval: isScript } = threadStart();
    const workerData: ThreadStart = {
      processorFile: RETRAIN_PROCESSOR,
      job: { id: job.id, data: job.data, attemptsMade: job.attemptsMade },
    };
    const thread = new Worker(entry, {
      eval: isScript,
      workerData,
      env: configToEnv(this.options.config),
    });

    const done = this.watch(job, thread)
      .then((outcome) => this.finish(job, outcome))
      .catch((err: unknown) =>
        logger.error({ err, 'job.id': job.id }, 'could not finish the job'),
      );
    this.running = { id: job.id, thread, done };
  }

  /** Follows one thread to its end. */
  private watch(job: Pending, thread: Worker): Promise<Outcome> {
    const { lifecycle } = this.options;
    return new Promise<Outcome>((resolve) => {
      let released = false;
      thread.on('message', (message: ThreadMessage) => {
        switch (message.type) {
          case 'progress':
            // Progress is advisory: a busy database must not end the
            // process (this handler runs outside any promise chain).
            try {
              lifecycle.progressed(job.id, message.value);
            } catch (err) {
              this.options.logger.warn(
                { err, 'job.id': job.id },
                'could not record job progress',
              );
            }
            break;
          case 'released':
            released = true;
            break;
          case 'completed':
            resolve({ kind: 'completed', result: message.value });
            break;
          case 'failed':
            resolve(
              released
                ? { kind: 'released' }
                : { kind: 'failed', message: message.error.message },
            );
            break;
        }
      });
      thread.on('error', (err) =>
        resolve({ kind: 'failed', message: err.message }),
      );
      thread.on('exit', (code) =>
        resolve({
          kind: 'failed',
          message: `the training thread exited with code ${code}`,
        }),
      );
    });
  }

  /** Records how a run ended; retries, follows up, and goes on. */
  private async finish(job: Pending, outcome: Outcome): Promise<void> {
    const { config, lifecycle, logger } = this.options;
    const thread = this.running?.thread;
    this.running = undefined;
    await thread?.terminate();

    let next: RetrainRequest | undefined;
    if (outcome.kind === 'completed') {
      next = lifecycle.completed(job.id, outcome.result);
      for (const listener of this.listeners) listener(job.id, outcome.result);
    } else if (outcome.kind === 'released') {
      lifecycle.released(job.id);
    } else {
      const attemptsMade = job.attemptsMade + 1;
      const retrying = attemptsMade < config.RETRAIN_ATTEMPTS && !this.closed;
      next = lifecycle.failed(job.id, outcome.message, retrying);
      if (retrying) {
        const wait =
          config.RETRAIN_BACKOFF_SECONDS * 1000 * 2 ** job.attemptsMade;
        this.pending.set(job.id, {
          ...job,
          attemptsMade,
          notBefore: Date.now() + wait,
        });
      }
    }

    if (next?.created) {
      const data = { reason: next.reason, requestedAt: next.job.createdAt };
      await this.enqueue(next.job, data);
    }
    logger.debug({ 'job.id': job.id, outcome: outcome.kind }, 'run ended');
    this.pump();
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
