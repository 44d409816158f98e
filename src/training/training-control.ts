/**
 * Training as a serving process sees it: asks for retrains (on request,
 * and on its own after RETRAIN_AFTER_LABELS new labels), reports jobs
 * and models, and keeps the served model on the active version. With
 * REDIS_URL the jobs go to BullMQ and `siamese-dedup worker` runs them;
 * without it (and with EMBEDDED_WORKER) they run in a worker thread of
 * this process.
 *
 * @example
 * const service = await startDedupService(config, { logger });
 * const training = startTraining({ service, config, logger });
 * const app = createApp({
 *   service, config, logger, routers: [trainingMount(training)],
 * });
 * // at shutdown, before service.close():
 * await training.close();
 */
import type { Config } from '../config/config.js';
import { AppError, ErrorCode } from '../errors/app-error.js';
import type { Logger } from '../logging/logger.js';
import { JobLifecycle } from '../queue/job-lifecycle.js';
import { jobView, type JobView } from '../queue/job-view.js';
import { LocalTrainingQueue } from '../queue/local-queue.js';
import { RETRAIN_KIND } from '../queue/queue-names.js';
import { RedisTrainingQueue } from '../queue/redis-queue.js';
import { RetrainRequests } from '../queue/retrain-requests.js';
import type { TrainingQueue } from '../queue/training-queue.js';
import { databasePath } from '../service/data-files.js';
import type { DedupService } from '../service/dedup-service.js';
import { JobStore, type JobListRequest } from '../store/job-store.js';
import type { ModelVersion } from '../store/model-store.js';
import { openDatabase, type Database } from '../store/open-database.js';
import { PairStore } from '../store/pair-store.js';
import { ModelFollower } from './model-follower.js';
import type { RetrainReason } from './retrain-types.js';

/** Seconds a client should wait before asking again while Redis is down. */
export const RETRY_AFTER_SECONDS = 30;

/** Options of {@link startTraining}. */
export interface TrainingOptions {
  /** The started service. */
  service: DedupService;
  /** Settings. */
  config: Config;
  /** Logger. */
  logger: Logger;
}

/** A registered model version, marked when this process serves it. */
export interface ModelView extends ModelVersion {
  /** True when this process serves it now. */
  serving: boolean;
}

/** Training controls of one serving process. */
export class TrainingControl {
  /** The queue; undefined when neither Redis nor an embedded worker. */
  readonly queue: TrainingQueue | undefined;
  /** Keeps the served model on the active version. */
  readonly follower: ModelFollower;

  private readonly db: Database;
  private readonly jobs: JobStore;
  private readonly requests: RetrainRequests;
  private readonly timer: NodeJS.Timeout;
  private ticking: Promise<void> | undefined;
  private closed = false;

  /** Use {@link startTraining}. */
  constructor(private readonly options: TrainingOptions) {
    const { service, config, logger } = options;
    // A connection of its own: the job history is this part's business.
    this.db = openDatabase(databasePath(config.dataDir), { logger });
    this.jobs = new JobStore(this.db);
    const pairs = new PairStore(this.db);
    this.requests = new RetrainRequests(this.db, this.jobs, pairs, config);
    const lifecycle = new JobLifecycle(this.jobs, pairs, this.requests, logger);

    this.queue = config.REDIS_URL
      ? new RedisTrainingQueue({ config, requests: this.requests, logger })
      : config.EMBEDDED_WORKER
        ? new LocalTrainingQueue({
            config,
            lifecycle,
            requests: this.requests,
            logger,
          })
        : undefined;
    this.follower = new ModelFollower({ service, config, logger });
    this.queue?.onCompleted(() => void this.followActive());

    const ms = config.TRAINING_POLL_SECONDS * 1000;
    this.timer = setInterval(() => void this.tick(), ms);
    this.timer.unref();
    void this.tick();
  }

  /**
   * Asks for a retrain and returns its job (an already waiting one when
   * there is one). Throws `queue_unavailable` (503) when Redis is down,
   * with the job id in the details: the request is recorded and queued
   * once Redis is back. Throws it too when nothing can run jobs.
   */
  async requestRetrain(reason: RetrainReason = 'api'): Promise<JobView> {
    const queue = this.requireQueue();
    const request = this.requests.request(reason);
    await queue.enqueue(request.job, {
      reason,
      requestedAt: request.job.createdAt,
    });
    return jobView(this.jobs.get(request.job.id) ?? request.job);
  }

  /** Job `id`; throws `not_found`. */
  job(id: string): JobView {
    const job = this.jobs.get(id);
    if (!job) {
      throw new AppError(ErrorCode.NotFound, `job "${id}" does not exist`, {
        'job.id': id,
      });
    }
    return jobView(job);
  }

  /** Jobs, newest first. */
  listJobs(request: JobListRequest = {}): JobView[] {
    return this.jobs
      .list({ kind: RETRAIN_KIND, ...request })
      .map((job) => jobView(job));
  }

  /** Every registered model version, newest first. */
  listModels(): ModelView[] {
    const serving = this.options.service.status().modelVersion;
    return this.options.service.models
      .list()
      .map((model) => ({ ...model, serving: model.version === serving }));
  }

  /** Rolls back or forward to `version`; see ModelFollower.activate. */
  activate(version: string): Promise<ModelVersion> {
    return this.follower.activate(version);
  }

  /**
   * One round of the periodic work: hand over recorded requests, ask for
   * a retrain when enough labels arrived, follow the active model. Runs
   * every TRAINING_POLL_SECONDS; exposed for tests.
   */
  tick(): Promise<void> {
    this.ticking ??= this.tickNow().finally(() => {
      this.ticking = undefined;
    });
    return this.ticking;
  }

  /** Stops the timer and the queue (releasing a running job), closes
   * SQLite. Call before closing the service. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    await this.ticking;
    await this.queue?.close();
    this.db.close();
  }

  private async tickNow(): Promise<void> {
    if (this.closed) return;
    const { logger } = this.options;
    const queue = this.queue;
    try {
      if (queue) {
        await queue.sync();
        const due = this.requests.requestIfDue();
        if (due) {
          logger.info({ 'job.id': due.job.id }, 'enough new labels; retrain');
          await queue.enqueue(due.job, {
            reason: 'labels',
            requestedAt: due.job.createdAt,
          });
        }
      }
    } catch (err) {
      logger.warn({ err }, 'could not queue recorded retrain requests');
    }
    await this.followActive();
  }

  private async followActive(): Promise<void> {
    if (this.closed || !this.options.service.ready) return;
    try {
      await this.follower.sync();
    } catch {
      // Logged by the follower; retried later.
    }
  }

  private requireQueue(): TrainingQueue {
    if (this.queue) return this.queue;
    throw new AppError(
      ErrorCode.QueueUnavailable,
      'no worker can run training: set REDIS_URL and run ' +
        '`siamese-dedup worker`, or set EMBEDDED_WORKER=true',
    );
  }
}

/** Starts training for a started service; see the module example. */
export function startTraining(options: TrainingOptions): TrainingControl {
  return new TrainingControl(options);
}
