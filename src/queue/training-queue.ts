/**
 * What the serving process needs from a job queue, met by BullMQ on
 * Redis (redis-queue.ts) or, without Redis, by an in-process queue
 * that runs jobs in a worker thread (local-queue.ts).
 */
import type { Job } from '../store/job-store.js';
import type {
  RetrainJobData,
  RetrainResult,
} from '../training/retrain-types.js';

/** Called when a retrain job completes, in whatever process ran it. */
export type CompletedListener = (
  jobId: string,
  result: RetrainResult | undefined,
) => void;

/** A queue of retrain jobs recorded in SQLite. */
export interface TrainingQueue {
  /** `redis` for BullMQ, `local` for the in-process queue. */
  readonly mode: 'redis' | 'local';
  /** True when a job handed over now would be accepted. */
  readonly available: boolean;
  /**
   * Hands `job`, already recorded in SQLite, to the queue. Handing the
   * same job twice is harmless. Throws `queue_unavailable` when the
   * queue cannot be reached; the job stays recorded as waiting and
   * {@link sync} hands it over later.
   */
  enqueue(job: Job, data: RetrainJobData): Promise<void>;
  /** Hands over every waiting job the queue does not hold yet. */
  sync(): Promise<void>;
  /** Registers a listener for completed jobs. */
  onCompleted(listener: CompletedListener): void;
  /** Stops taking and running jobs and closes connections. */
  close(): Promise<void>;
}
