/**
 * Without REDIS_URL: a retrain requested over HTTP runs in a worker
 * thread of the serving process, end to end, through the same processor
 * and job lifecycle as under BullMQ, and the process swaps to the
 * promoted model.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { JobView } from '../../../src/queue/job-view.js';
import {
  getJson,
  loadCorpus,
  queueConfig,
  quoraPairs,
  quoraQuestions,
  removeDir,
  saveWeakModel,
  startStack,
  tempDir,
  waitFor,
  WEAK_VERSION,
  type Stack,
} from './queue-fixture.js';

describe('training without Redis', () => {
  let dir: string;
  let stack: Stack;

  beforeEach(async () => {
    dir = tempDir('in-process');
    const model = await saveWeakModel(path.join(dir, 'weak'));
    stack = await startStack(queueConfig(path.join(dir, 'data'), model));
    const labels = await quoraPairs(400);
    await loadCorpus(stack.service, await quoraQuestions(600), labels);
  });

  afterEach(async () => {
    await stack.close();
    removeDir(dir);
  });

  it('runs a requested retrain in a thread and serves the result', async () => {
    expect(stack.training.queue?.mode).toBe('local');
    const res = await fetch(`${stack.http.url}/v1/train`, { method: 'POST' });
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as JobView;
    expect(res.headers.get('location')).toBe(`/v1/jobs/${id}`);

    const seen = new Set<string>();
    const done = await waitFor('the job to finish', async () => {
      const job = await getJson<JobView>(`${stack.http.url}/v1/jobs/${id}`);
      seen.add(job.state);
      return job.state === 'completed' || job.state === 'failed'
        ? job
        : undefined;
    });

    expect(done.error).toBeNull();
    expect(done.state).toBe('completed');
    expect(done.progress).toBe(100);
    expect(seen.has('active') || seen.has('waiting')).toBe(true);
    const result = done.result as {
      candidateVersion: string;
      decision: string;
      pairs: { holdout: number; train: number };
    };
    expect(result.pairs.holdout).toBeGreaterThan(0);
    expect(done.metrics).not.toBeNull();

    const version = result.candidateVersion;
    const modelDir = path.join(stack.config.dataDir, 'models', version);
    expect(existsSync(path.join(modelDir, 'model.json'))).toBe(true);
    const models = await getJson<{ models: { version: string }[] }>(
      `${stack.http.url}/v1/models`,
    );
    expect(models.models.map((m) => m.version)).toEqual(
      expect.arrayContaining([version, WEAK_VERSION]),
    );

    if (result.decision === 'promoted') {
      await waitFor(
        'the swap',
        () => stack.service.status().modelVersion === version,
      );
    }
  });
});
