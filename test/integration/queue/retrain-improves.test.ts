/**
 * A retrain through BullMQ on the real Redis, over real labels (Quora
 * dev pairs), fine-tunes a deliberately weak model into a better one on
 * the held-out labels, promotes it, and the serving process switches.
 */
import path from 'node:path';

import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import type { JobView } from '../../../src/queue/job-view.js';
import type { RetrainResult } from '../../../src/training/retrain-types.js';
import {
  freshPrefix,
  getJson,
  loadCorpus,
  queueConfig,
  quoraPairs,
  quoraQuestions,
  removeDir,
  removePrefix,
  requireRedis,
  saveWeakModel,
  startStack,
  startWorker,
  tempDir,
  TEST_REDIS_URL,
  waitFor,
  type Stack,
  type TestWorker,
} from './queue-fixture.js';

describe('retrain over real labels', () => {
  let dir: string;
  let prefix: string;
  let stack: Stack;
  let worker: TestWorker;

  beforeAll(requireRedis);

  beforeEach(async () => {
    dir = tempDir('improves');
    prefix = freshPrefix();
    const model = await saveWeakModel(path.join(dir, 'weak'));
    const config = queueConfig(path.join(dir, 'data'), model, {
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: prefix,
      RETRAIN_EPOCHS: '5',
      RETRAIN_LEARNING_RATE: '0.005',
    });
    stack = await startStack(config);
    await loadCorpus(
      stack.service,
      await quoraQuestions(1000),
      await quoraPairs(2500),
    );
    worker = startWorker(config);
  });

  afterEach(async () => {
    await worker.close();
    await stack.close();
    await removePrefix(prefix);
    removeDir(dir);
  });

  it('promotes a candidate better on the held-out labels', async () => {
    const res = await fetch(`${stack.http.url}/v1/train`, { method: 'POST' });
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as JobView;

    const job = await waitFor('the retrain', async () => {
      const view = await getJson<JobView>(`${stack.http.url}/v1/jobs/${id}`);
      return ['completed', 'failed'].includes(view.state) ? view : undefined;
    });
    expect(job.error).toBeNull();
    expect(job.state).toBe('completed');

    const result = job.result as RetrainResult;
    const { active, candidate } = result.metrics ?? {};
    expect(result.pairs.holdout).toBeGreaterThan(100);
    expect(candidate?.holdout.accuracy).toBeGreaterThan(
      active?.holdout.accuracy ?? 1,
    );
    expect(candidate?.holdout.auc).toBeGreaterThan(
      (active?.holdout.auc ?? 1) + 0.01,
    );
    expect(result.decision).toBe('promoted');

    const version = result.candidateVersion;
    await waitFor(
      'the serving process to switch',
      () => stack.service.status().modelVersion === version,
      30_000,
    );
    const registered = stack.service.models.get(version ?? '');
    expect(registered?.active).toBe(true);
    expect(registered?.metrics).toMatchObject({ decision: 'promoted' });
  });
});
