/**
 * Retrain requests as rows of the SQLite job history. A request is
 * recorded before the queue hears of it, so it survives Redis being
 * down (it is handed over later, see TrainingQueue.sync) and a Redis
 * restart. Requests coalesce: while one retrain waits to run, asking
 * again returns that one, since it will train on every label there is
 * when it starts.
 */
import type { Database } from 'better-sqlite3';

import type { Config } from '../config/config.js';
import type { Job, JobStore } from '../store/job-store.js';
import type { PairStore } from '../store/pair-store.js';
import type { RetrainReason } from '../training/retrain-types.js';
import { RETRAIN_KIND } from './queue-names.js';

/** A request's job, and whether this call created it. */
export interface RetrainRequest {
  /** The waiting retrain job. */
  job: Job;
  /** False when an earlier request's job was returned. */
  created: boolean;
  /** Why it was asked for. */
  reason: RetrainReason;
}

/** Jobs read when looking for the last run's watermark. */
const HISTORY_DEPTH = 50;

/** Records and coalesces retrain requests; decides when labels call
 * for one. */
export class RetrainRequests {
  /** Works on the service's database and its job and pair stores. */
  constructor(
    private readonly db: Database,
    private readonly jobs: JobStore,
    private readonly pairs: PairStore,
    private readonly config: Pick<Config, 'RETRAIN_AFTER_LABELS'>,
  ) {}

  /**
   * Returns the waiting retrain job, creating one if none waits. Runs in
   * an immediate transaction, so two processes asking at once get the
   * same job.
   */
  request(reason: RetrainReason): RetrainRequest {
    const find = this.db.transaction((): RetrainRequest => {
      const waiting = this.waiting()[0];
      if (waiting) return { job: waiting, created: false, reason };
      return { job: this.jobs.create(RETRAIN_KIND), created: true, reason };
    });
    return find.immediate();
  }

  /** Retrain jobs waiting to run (or to be retried), oldest first. */
  waiting(): Job[] {
    return this.jobs.list({ kind: RETRAIN_KIND, state: 'queued' }).reverse();
  }

  /** Retrain jobs recorded as running, newest first. */
  orphaned(): Job[] {
    return this.jobs.list({ kind: RETRAIN_KIND, state: 'running' });
  }

  /**
   * Marks waiting job `id` running, unless another retrain runs or `id`
   * no longer waits; true when it did. One immediate transaction, so of
   * two processes claiming, one wins and no two retrains run at once.
   */
  claim(id: string): boolean {
    const claim = this.db.transaction((): boolean => {
      if (this.jobs.get(id)?.state !== 'queued' || this.running()) {
        return false;
      }
      this.jobs.update(id, { state: 'running', progress: 0, error: null });
      return true;
    });
    return claim.immediate();
  }

  /** True while a retrain job runs. */
  running(): boolean {
    return (
      this.jobs.list({ kind: RETRAIN_KIND, state: 'running', limit: 1 })
        .length > 0
    );
  }

  /**
   * The newest pair id the last finished retrain could see (succeeded
   * or failed: a failed run must not be retriggered at once by the same
   * labels); 0 before the first run.
   */
  lastWatermark(): number {
    const recent = this.jobs.list({ kind: RETRAIN_KIND, limit: HISTORY_DEPTH });
    for (const job of recent) {
      const watermark = (job.result as { watermark?: unknown } | null)
        ?.watermark;
      if (typeof watermark === 'number') return watermark;
    }
    return 0;
  }

  /** Labels added since the last finished retrain. */
  labelsSinceLastRun(): number {
    return this.pairs.countSince(this.lastWatermark());
  }

  /**
   * True when RETRAIN_AFTER_LABELS (> 0) labels arrived since the last
   * finished run and no retrain waits or runs. Labels that arrive
   * during a run are counted from that run's watermark once it ends,
   * so they bring about exactly one more run.
   */
  labelsDue(): boolean {
    const threshold = this.config.RETRAIN_AFTER_LABELS;
    if (threshold === 0) return false;
    if (this.waiting().length > 0 || this.running()) return false;
    return this.labelsSinceLastRun() >= threshold;
  }

  /** Requests a retrain when {@link labelsDue}; returns the request. */
  requestIfDue(): RetrainRequest | undefined {
    return this.labelsDue() ? this.request('labels') : undefined;
  }
}
