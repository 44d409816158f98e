/**
 * `siamese-dedup worker` as a real process on the real Redis: killed
 * with SIGKILL in the middle of training it leaves no model behind, its
 * sandboxed child dies with it, and the job is taken over as a stalled
 * job and completes; stopped with SIGTERM it hands the job back without
 * using up an attempt.
 */
import { readdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { Queue } from 'bullmq';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import type { JobView } from '../../../src/queue/job-view.js';
import { RETRAIN_QUEUE } from '../../../src/queue/queue-names.js';
import type { RetrainResult } from '../../../src/training/retrain-types.js';
import {
  alive,
  childPids,
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
  spawnWorker,
  startStack,
  tempDir,
  TEST_REDIS_URL,
  waitFor,
  WEAK_VERSION,
  type Stack,
  type WorkerProcess,
} from './queue-fixture.js';

describe('the worker process', () => {
  let dir: string;
  let prefix: string;
  let stack: Stack;
  const workers: WorkerProcess[] = [];

  beforeAll(requireRedis);

  beforeEach(async () => {
    dir = tempDir('worker');
    prefix = freshPrefix();
    const model = await saveWeakModel(path.join(dir, 'weak'));
    const config = queueConfig(path.join(dir, 'data'), model, {
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: prefix,
      RETRAIN_EPOCHS: '6',
    });
    stack = await startStack(config);
    await loadCorpus(
      stack.service,
      await quoraQuestions(500),
      await quoraPairs(2500),
    );
  });

  afterEach(async () => {
    for (const worker of workers.splice(0)) {
      if (worker.child.exitCode === null) worker.child.kill('SIGKILL');
      await worker.exited;
    }
    await stack.close();
    await removePrefix(prefix);
    removeDir(dir);
  });

  /** Requests a retrain and waits until it is well into training. */
  async function trainingJob(): Promise<string> {
    const res = await fetch(`${stack.http.url}/v1/train`, { method: 'POST' });
    const body = await res.text();
    expect(res.status, body).toBe(202);
    const { id } = JSON.parse(body) as JobView;
    await waitFor('training to be under way', async () => {
      const job = await getJson<JobView>(`${stack.http.url}/v1/jobs/${id}`);
      return job.state === 'active' && job.progress >= 15;
    });
    return id;
  }

  function modelFolders(): string[] {
    const root = path.join(stack.config.dataDir, 'models');
    return existsSync(root) ? readdirSync(root) : [];
  }

  it('survives SIGKILL mid-training: no half model, job retried', async () => {
    const first = spawnWorker(stack.config);
    workers.push(first);
    const id = await trainingJob();
    const children = childPids(first.child.pid ?? 0);
    expect(children.length).toBeGreaterThan(0);

    first.child.kill('SIGKILL');
    expect(await first.exited).toBe('SIGKILL');
    await waitFor('the sandboxed child to exit', () =>
      children.every((pid) => !alive(pid)),
    );
    expect(modelFolders()).toEqual([]);
    expect(stack.service.models.list().map((m) => m.version)).toEqual([
      WEAK_VERSION,
    ]);

    const second = spawnWorker(stack.config);
    workers.push(second);
    const done = await waitFor('the job to complete elsewhere', async () => {
      const job = await getJson<JobView>(`${stack.http.url}/v1/jobs/${id}`);
      return job.state === 'completed' ? job : undefined;
    });

    const result = done.result as RetrainResult;
    const version = result.candidateVersion ?? '';
    expect(modelFolders()).toEqual([version]);
    const folder = path.join(stack.config.dataDir, 'models', version);
    expect(readdirSync(folder).sort()).toEqual([
      'MODEL_CARD.md',
      'metrics.json',
      'model.json',
      'weights.bin',
    ]);
  });

  it('hands the job back on SIGTERM, sent twice, without using an attempt', async () => {
    const first = spawnWorker(stack.config);
    workers.push(first);
    const id = await trainingJob();

    const stopped = Date.now();
    first.child.kill('SIGTERM');
    // A second one (npm forwards a terminal's Ctrl-C) is only logged.
    await sleep(20);
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(Date.now() - stopped).toBeLessThan(10_000);
    expect(first.output()).toContain('released the job');
    expect(first.output()).toContain('already stopping');

    const job = await getJson<JobView>(`${stack.http.url}/v1/jobs/${id}`);
    expect(job.state).toBe('waiting');
    expect(modelFolders()).toEqual([]);
    const queue = new Queue(RETRAIN_QUEUE, {
      connection: { url: TEST_REDIS_URL },
      prefix,
    });
    try {
      const queued = await queue.getJob(id);
      expect(await queued?.getState()).toBe('waiting');
      expect(queued?.attemptsMade).toBe(0);
    } finally {
      await queue.close();
    }

    const second = spawnWorker(stack.config);
    workers.push(second);
    await waitFor('the job to complete', async () => {
      const view = await getJson<JobView>(`${stack.http.url}/v1/jobs/${id}`);
      return view.state === 'completed';
    });
  });
});
