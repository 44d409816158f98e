/**
 * Job history: what the worker was asked to do and how it went. Lives in
 * SQLite so that it outlasts the queue's own storage. Ids are made here
 * (random UUIDs) and handed to the queue as its job ids.
 */
import { randomUUID } from 'node:crypto';

import type { Database } from 'better-sqlite3';

import { AppError, ErrorCode } from '../errors/app-error.js';
import { isoNow, systemClock, type Clock } from './clock.js';
import { checkedCount, DEFAULT_PAGE_LIMIT } from './paging.js';
import { withSqliteErrors } from './sqlite-error.js';

/** Where a job is in its life. */
export type JobState =
  'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

/** States after which a job does nothing more. */
export const FINISHED_JOB_STATES: readonly JobState[] = [
  'succeeded',
  'failed',
  'cancelled',
];

/** A job as recorded. */
export interface Job {
  /** Unique id, also the queue's job id. */
  id: string;
  /** What the job does, e.g. `retrain` or `reindex`. */
  kind: string;
  /** Where it is in its life. */
  state: JobState;
  /** Share done, 0 to 1. */
  progress: number;
  /** The job's JSON result once it has one, else null. */
  result: unknown;
  /** Why it failed, or null. */
  error: string | null;
  /** When it was created, ISO-8601 UTC. */
  createdAt: string;
  /** When it first ran, or null. */
  startedAt: string | null;
  /** When it reached a finished state, or null. */
  finishedAt: string | null;
}

/** Changes to a job; omitted fields stay as they are. */
export interface JobUpdate {
  /** New state; `running` sets startedAt once, a finished state sets
   * finishedAt, any other state clears it. */
  state?: JobState;
  /** Share done, 0 to 1. */
  progress?: number;
  /** JSON-serialisable result. */
  result?: unknown;
  /** Failure message; null clears it. */
  error?: string | null;
}

/** Filters of {@link JobStore.list}. */
export interface JobListRequest {
  /** Only this kind. */
  kind?: string;
  /** Only this state. */
  state?: JobState;
  /** Jobs returned, newest first, 1 to 100,000. Default 100. */
  limit?: number;
}

interface JobListParams {
  kind: string | null;
  state: string | null;
  limit: number;
}

interface JobRow {
  id: string;
  kind: string;
  state: JobState;
  progress: number;
  result: string | null;
  error: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
}

const COLUMNS =
  'id, kind, state, progress, result, error, created_at, started_at, ' +
  'finished_at';

// startedAt is set by the first move to running; finishedAt follows the
// state, so a job sent back to the queue is no longer finished.
const UPDATE_JOB = `
  UPDATE jobs SET
    state = @state,
    progress = @progress,
    result = coalesce(@result, result),
    error = CASE WHEN @setError THEN @error ELSE error END,
    started_at = CASE WHEN @state = 'running'
      THEN coalesce(started_at, @now) ELSE started_at END,
    finished_at = CASE WHEN @finished
      THEN coalesce(finished_at, @now) ELSE NULL END
  WHERE id = @id`;

/** Options of {@link JobStore}. */
export interface JobStoreOptions {
  /** Time source for timestamps. Default: the system clock. */
  clock?: Clock;
}

/** Reads and writes job history. */
export class JobStore {
  private readonly db: Database;
  private readonly clock: Clock;

  /** Works on `db`, which must be migrated (see openDatabase). */
  constructor(db: Database, options: JobStoreOptions = {}) {
    this.db = db;
    this.clock = options.clock ?? systemClock;
  }

  /**
   * Records a queued job of `kind` and returns it. `id` defaults to a
   * random UUID; a taken id throws `conflict`.
   */
  create(kind: string, id: string = randomUUID()): Job {
    const context = {
      action: `create job ${id}`,
      conflict: `job id "${id}" is already used`,
      details: { 'job.id': id },
    };
    withSqliteErrors(context, () =>
      this.db
        .prepare<[string, string, string]>(
          'INSERT INTO jobs (id, kind, created_at) VALUES (?, ?, ?)',
        )
        .run(id, kind, isoNow(this.clock)),
    );
    return this.require(id);
  }

  /**
   * Applies `update` and returns the job. Throws `not_found` for an
   * unknown id, `bad_input` for a progress outside 0..1.
   */
  update(id: string, update: JobUpdate): Job {
    const apply = this.db.transaction(() => {
      const job = this.require(id);
      const state = update.state ?? job.state;
      const progress = update.progress ?? job.progress;
      checkProgress(id, progress);

      this.db.prepare(UPDATE_JOB).run({
        id,
        state,
        progress,
        result:
          'result' in update ? JSON.stringify(update.result ?? null) : null,
        setError: 'error' in update ? 1 : 0,
        error: update.error ?? null,
        now: isoNow(this.clock),
        finished: FINISHED_JOB_STATES.includes(state) ? 1 : 0,
      });
    });

    const context = { action: `update job ${id}`, details: { 'job.id': id } };
    // It reads, then writes: taking the write lock first makes a writer
    // on another connection (a training thread) wait its turn instead of
    // invalidating the read (SQLITE_BUSY, which no timeout waits out).
    withSqliteErrors(context, () => apply.immediate());
    return this.require(id);
  }

  /** The job with `id`, or undefined. */
  get(id: string): Job | undefined {
    const row = this.db
      .prepare<[string], JobRow>(`SELECT ${COLUMNS} FROM jobs WHERE id = ?`)
      .get(id);
    return row && jobFromRow(row);
  }

  /** Jobs matching the filters, newest first. */
  list(request: JobListRequest = {}): Job[] {
    const limit = checkedCount('limit', request.limit, DEFAULT_PAGE_LIMIT);
    return this.db
      .prepare<[JobListParams], JobRow>(
        `SELECT ${COLUMNS} FROM jobs ` +
          'WHERE (@kind IS NULL OR kind = @kind) ' +
          'AND (@state IS NULL OR state = @state) ' +
          'ORDER BY created_at DESC, rowid DESC LIMIT @limit',
      )
      .all({
        kind: request.kind ?? null,
        state: request.state ?? null,
        limit,
      })
      .map(jobFromRow);
  }

  private require(id: string): Job {
    const job = this.get(id);
    if (job) return job;
    throw new AppError(ErrorCode.NotFound, `job "${id}" does not exist`, {
      'job.id': id,
    });
  }
}

function checkProgress(id: string, progress: number): void {
  if (!Number.isFinite(progress) || progress < 0 || progress > 1) {
    throw new AppError(
      ErrorCode.BadInput,
      `job progress must be from 0 to 1; got ${progress}`,
      { 'job.id': id },
    );
  }
}

function jobFromRow(row: JobRow): Job {
  return {
    id: row.id,
    kind: row.kind,
    state: row.state,
    progress: row.progress,
    result: row.result === null ? null : (JSON.parse(row.result) as unknown),
    error: row.error,
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
  };
}
