/** Messages between the serving process and a retrain thread. */
import type { JobProgress } from 'bullmq';

import type {
  RetrainJobData,
  RetrainResult,
} from '../training/retrain-types.js';

/** What a thread is started with (its workerData). */
export interface ThreadStart {
  /** Absolute path of the processor file to import. */
  processorFile: string;
  /** The job to run. */
  job: {
    /** Job id. */
    id: string;
    /** Job data. */
    data: RetrainJobData;
    /** Attempts made before this one. */
    attemptsMade: number;
  };
}

/** Parent to thread: stop at the next safe point, for `reason`. */
export interface ThreadRequest {
  type: 'cancel';
  reason: string;
}

/** Thread to parent. */
export type ThreadMessage =
  | { type: 'progress'; value: JobProgress }
  | { type: 'released' }
  | { type: 'completed'; value: RetrainResult }
  | {
      type: 'failed';
      error: { name: string; message: string; stack?: string };
    };
