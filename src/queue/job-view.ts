/** A job as the HTTP API shows it. */
import type { Job, JobState } from '../store/job-store.js';
import type { RetrainResult } from '../training/retrain-types.js';

/** The states the API reports. */
export type JobViewState = 'waiting' | 'active' | 'completed' | 'failed';

/** One job, in the API's snake_case. */
export interface JobView {
  /** Job id. */
  id: string;
  /** What the job does, e.g. `retrain`. */
  kind: string;
  /** waiting (queued or due for a retry), active, completed or failed. */
  state: JobViewState;
  /** Share done, 0 to 100. */
  progress: number;
  /**
   * Seconds left, estimated from the time taken so far and the progress;
   * null while waiting or too early to tell, 0 once finished.
   */
  eta_seconds: number | null;
  /** Both models' scores for a finished retrain, else null. */
  metrics: RetrainResult['metrics'] | null;
  /** The promotion decision, when there is one. */
  decision: RetrainResult['decision'] | null;
  /** The full result of a finished job, else null. */
  result: unknown;
  /** Why the last attempt failed, or null. */
  error: string | null;
  /** When it was asked for, ISO-8601 UTC. */
  created_at: string;
  /** When it first ran, or null. */
  started_at: string | null;
  /** When it finished, or null. */
  finished_at: string | null;
}

const STATE_VIEW: Record<JobState, JobViewState> = {
  queued: 'waiting',
  running: 'active',
  succeeded: 'completed',
  failed: 'failed',
  cancelled: 'failed',
};

/** Progress below which an estimate would be noise: 2 %. */
const MIN_PROGRESS_FOR_ETA = 0.02;

/** `job` as the API shows it; `now` in epoch milliseconds. */
export function jobView(job: Job, now: number = Date.now()): JobView {
  const state = STATE_VIEW[job.state];
  const finished = state === 'completed' || state === 'failed';
  const result = finished ? job.result : null;
  const retrain = (result ?? {}) as Partial<RetrainResult>;

  return {
    id: job.id,
    kind: job.kind,
    state,
    progress: Math.round(job.progress * 1000) / 10,
    eta_seconds: finished ? 0 : etaSeconds(job, state, now),
    metrics: retrain.metrics ?? null,
    decision: retrain.decision ?? null,
    result,
    error: job.error,
    created_at: job.createdAt,
    started_at: job.startedAt,
    finished_at: job.finishedAt,
  };
}

function etaSeconds(job: Job, state: JobViewState, now: number): number | null {
  if (state !== 'active' || job.startedAt === null) return null;
  const done = job.progress;
  if (done < MIN_PROGRESS_FOR_ETA) return null;
  const elapsed = Math.max(0, now - Date.parse(job.startedAt)) / 1000;
  return Math.round((elapsed * (1 - done)) / done);
}
