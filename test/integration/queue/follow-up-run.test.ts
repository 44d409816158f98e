/**
 * Automatic retrains on the real Redis: RETRAIN_AFTER_LABELS new labels
 * start one, and labels that arrive while it runs bring about exactly
 * one more run afterwards, trained on them.
 */
import path from 'node:path';

import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import type { JobView } from '../../../src/queue/job-view.js';
import type { RetrainResult } from '../../../src/training/retrain-types.js';
import {
  addLabels,
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

/** New labels that call for a retrain in this test. */
const AFTER_LABELS = 50;

describe('retrains triggered by labels', () => {
  let dir: string;
  let prefix: string;
  let stack: Stack;
  let worker: TestWorker;

  beforeAll(requireRedis);

  beforeEach(async () => {
    dir = tempDir('follow-up');
    prefix = freshPrefix();
    const model = await saveWeakModel(path.join(dir, 'weak'));
    const config = queueConfig(path.join(dir, 'data'), model, {
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: prefix,
      RETRAIN_EPOCHS: '5',
      RETRAIN_AFTER_LABELS: String(AFTER_LABELS),
    });
    stack = await startStack(config);
    worker = startWorker(config);
  });

  afterEach(async () => {
    await worker.close();
    await stack.close();
    await removePrefix(prefix);
    removeDir(dir);
  });

  async function jobs(): Promise<JobView[]> {
    const list = await getJson<{ jobs: JobView[] }>(
      `${stack.http.url}/v1/jobs`,
    );
    return list.jobs.reverse();
  }

  it('runs once for the labels, once more for labels added meanwhile', async () => {
    await loadCorpus(
      stack.service,
      await quoraQuestions(500),
      await quoraPairs(2000),
    );

    const first = await waitFor('an automatic retrain to train', async () => {
      const [job] = await jobs();
      return job?.state === 'active' && job.progress > 10 ? job : undefined;
    });
    const during = await quoraPairs(AFTER_LABELS + 10, 3000);
    addLabels(stack.service, during);
    const newest = stack.service.pairs.lastId();

    const [, second] = await waitFor(
      'the follow-up run to finish',
      async () => {
        const list = await jobs();
        return list.length === 2 && list[1]?.state === 'completed'
          ? list
          : undefined;
      },
    );
    // Several polls later there is still no third run.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const all = await jobs();

    expect(all.map((job) => job.state)).toEqual(['completed', 'completed']);
    expect(all[0]?.id).toBe(first.id);
    const before = all[0]?.result as RetrainResult;
    const after = second?.result as RetrainResult;
    expect(before.watermark).toBeLessThan(newest);
    expect(after.watermark).toBe(newest);
    expect(after.pairs.labels).toBe(before.pairs.labels + during.length);
  });
});
