/**
 * The one place that moves a retrain job through its states in SQLite,
 * whichever queue runs it: queued, running, then succeeded or failed;
 * back to queued for a retry or when a stopping worker releases it.
 */
import type { Logger } from '../logging/logger.js';
import type { Job, JobStore } from '../store/job-store.js';
import type { PairStore } from '../store/pair-store.js';
import type {
  RetrainProgress,
  RetrainResult,
} from '../training/retrain-types.js';
import { RETRAIN_KIND } from './queue-names.js';
import type { RetrainRequest, RetrainRequests } from './retrain-requests.js';

/**
 * Writes job state changes. After a job ends it asks for a follow-up
 * run when labels call for one, and returns that request for the
 * caller to hand to its queue.
 */
export class JobLifecycle {
  /** Writes to `jobs`; `requests` decides on follow-up runs. */
  constructor(
    private readonly jobs: JobStore,
    private readonly pairs: PairStore,
    private readonly requests: RetrainRequests,
    private readonly logger: Logger,
  ) {}

  /** A worker took the job. */
  started(id: string): void {
    this.ensure(id);
    this.jobs.update(id, { state: 'running', progress: 0, error: null });
    this.logger.info({ 'job.id': id }, 'retrain started');
  }

  /** The job reported progress; ignored unless it is running. */
  progressed(id: string, progress: unknown): void {
    const percent = percentOf(progress);
    if (percent === undefined || this.jobs.get(id)?.state !== 'running') {
      return;
    }
    this.jobs.update(id, { progress: percent / 100 });
  }

  /** The job finished; records its result, returns any follow-up. */
  completed(id: string, result: RetrainResult): RetrainRequest | undefined {
    this.ensure(id);
    this.jobs.update(id, {
      state: 'succeeded',
      progress: 1,
      result,
      error: null,
    });
    this.logger.info(
      {
        'job.id': id,
        'model.version': result.candidateVersion,
        decision: result.decision,
        reason: result.reason,
      },
      'retrain finished',
    );
    return this.followUp(id);
  }

  /**
   * An attempt failed. With retries left the job waits again; else it
   * failed for good, and the labels it could see count as used.
   * Returns any follow-up request.
   */
  failed(
    id: string,
    message: string,
    retrying: boolean,
  ): RetrainRequest | undefined {
    this.ensure(id);
    const log = this.logger.child({ 'job.id': id });
    if (retrying) {
      this.jobs.update(id, { state: 'queued', error: message });
      log.warn({ error: message }, 'retrain attempt failed; will retry');
      return undefined;
    }
    this.jobs.update(id, {
      state: 'failed',
      error: message,
      result: { watermark: this.pairs.lastId() },
    });
    log.error({ error: message }, 'retrain failed');
    return this.followUp(id);
  }

  /** A stopping worker gave the job back to the queue. */
  released(id: string): void {
    const job = this.jobs.get(id);
    if (!job || job.state !== 'running') return;
    this.jobs.update(id, { state: 'queued' });
    this.logger.info({ 'job.id': id }, 'retrain released to the queue');
  }

  /** The job as recorded, or undefined. */
  get(id: string): Job | undefined {
    return this.jobs.get(id);
  }

  /** Records a job the queue knows but SQLite does not (history lost). */
  private ensure(id: string): void {
    if (!this.jobs.get(id)) this.jobs.create(RETRAIN_KIND, id);
  }

  private followUp(id: string): RetrainRequest | undefined {
    const next = this.requests.requestIfDue();
    if (next?.created) {
      this.logger.info(
        { 'job.id': next.job.id, after: id },
        'labels arrived during the run; queued one more retrain',
      );
    }
    return next;
  }
}

/** The percentage in a progress report (a number or {percent}). */
export function percentOf(progress: unknown): number | undefined {
  const value =
    typeof progress === 'number'
      ? progress
      : (progress as Partial<RetrainProgress> | null)?.percent;
  if (typeof value !== 'number' || !Number.isFinite(value)) return undefined;
  return Math.min(100, Math.max(0, value));
}
