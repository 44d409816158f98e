import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { JobStore } from '../../../src/store/job-store.js';
import { openTempDb, steppingClock, thrown, type TempDb } from './temp-db.js';

describe('JobStore', () => {
  let temp: TempDb;
  let jobs: JobStore;

  beforeEach(() => {
    temp = openTempDb('jobs');
    jobs = new JobStore(temp.db, { clock: steppingClock() });
  });

  afterEach(() => temp.cleanup());

  it('creates queued jobs with unique ids', () => {
    const job = jobs.create('retrain');

    expect(job).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/) as unknown,
      kind: 'retrain',
      state: 'queued',
      progress: 0,
      result: null,
      error: null,
      createdAt: '2026-01-01T00:00:00.000Z',
      startedAt: null,
      finishedAt: null,
    });
    expect(jobs.create('retrain').id).not.toBe(job.id);
    expect(thrown(() => jobs.create('retrain', job.id))).toMatchObject({
      code: 'conflict',
    });
  });

  it('records the life of a job', () => {
    const { id } = jobs.create('reindex');

    const running = jobs.update(id, { state: 'running', progress: 0.25 });
    const later = jobs.update(id, { progress: 0.75 });
    const done = jobs.update(id, {
      state: 'succeeded',
      progress: 1,
      result: { indexed: 42 },
    });

    expect(running.startedAt).toBe('2026-01-01T00:00:01.000Z');
    expect(later.startedAt).toBe(running.startedAt);
    expect(later.finishedAt).toBeNull();
    expect(done).toMatchObject({
      state: 'succeeded',
      progress: 1,
      result: { indexed: 42 },
      finishedAt: '2026-01-01T00:00:03.000Z',
    });
    expect(jobs.get(id)).toEqual(done);
  });

  it('records failures and clears finishedAt when a job is retried', () => {
    const { id } = jobs.create('retrain');
    jobs.update(id, { state: 'running' });

    const failed = jobs.update(id, { state: 'failed', error: 'out of memory' });
    const retried = jobs.update(id, { state: 'queued', error: null });

    expect(failed).toMatchObject({ error: 'out of memory' });
    expect(failed.finishedAt).not.toBeNull();
    expect(retried).toMatchObject({ error: null, finishedAt: null });
  });

  it('rejects unknown jobs, bad progress and bad states', () => {
    const { id } = jobs.create('retrain');

    expect(thrown(() => jobs.update('nope', { progress: 0.5 }))).toMatchObject({
      code: 'not_found',
    });
    expect(thrown(() => jobs.update(id, { progress: 1.5 }))).toMatchObject({
      code: 'bad_input',
    });
    const badState = { state: 'lost' } as unknown as { state: 'failed' };
    expect(thrown(() => jobs.update(id, badState))).toMatchObject({
      code: 'bad_input',
    });
    expect(jobs.get(id)?.state).toBe('queued');
  });

  it('lists newest first with filters', () => {
    const first = jobs.create('retrain');
    const second = jobs.create('reindex');
    const third = jobs.create('retrain');
    jobs.update(third.id, { state: 'running' });

    expect(jobs.list().map((j) => j.id)).toEqual([
      third.id,
      second.id,
      first.id,
    ]);
    expect(jobs.list({ kind: 'retrain' }).map((j) => j.id)).toEqual([
      third.id,
      first.id,
    ]);
    expect(jobs.list({ state: 'running' }).map((j) => j.id)).toEqual([
      third.id,
    ]);
    expect(jobs.list({ limit: 1 })).toHaveLength(1);
  });

  it('updates while another connection writes between its read and its write', () => {
    const other = new BetterSqlite3(temp.file, { timeout: 0 });
    const { id } = jobs.create('retrain');
    const otherWrites: string[] = [];
    // The update reads the job, then asks the clock for its timestamp,
    // then writes: the other connection writes at that moment.
    const meddling = new JobStore(temp.db, {
      clock: () => {
        try {
          other.prepare("UPDATE jobs SET kind = 'other' WHERE id = ?").run(id);
          otherWrites.push('written');
        } catch (err) {
          otherWrites.push((err as { code?: string }).code ?? String(err));
        }
        return new Date('2026-02-01T00:00:00.000Z');
      },
    });
    try {
      expect(meddling.update(id, { progress: 0.5 }).progress).toBe(0.5);
      // It held the write lock, so the other writer was the one refused.
      expect(otherWrites).toEqual(['SQLITE_BUSY']);
    } finally {
      other.close();
    }
  });
});
