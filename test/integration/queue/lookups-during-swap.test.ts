/**
 * Lookups never fail while a retrain runs and the serving process
 * switches models: /v1/search is hammered on a real HTTP server from
 * before the request until after the switch, while new items arrive.
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

/** Concurrent search loops. */
const CLIENTS = 6;

interface Hammer {
  stop(): Promise<{ requests: number; failures: string[] }>;
}

/** Searches `texts` from CLIENTS loops until stopped. */
function hammer(url: string, texts: readonly string[]): Hammer {
  let running = true;
  let requests = 0;
  const failures: string[] = [];

  const loop = async (offset: number) => {
    for (let i = offset; running; i += CLIENTS) {
      const text = texts[i % texts.length] ?? 'how are you';
      try {
        const res = await fetch(`${url}/v1/search`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ text, k: 5 }),
        });
        const body = (await res.json()) as { results?: unknown[] };
        if (res.status !== 200 || !Array.isArray(body.results)) {
          failures.push(`${res.status} ${JSON.stringify(body)}`);
        }
      } catch (err) {
        failures.push(String(err));
      }
      requests += 1;
    }
  };

  const loops = Array.from({ length: CLIENTS }, (_, i) => loop(i));
  return {
    async stop() {
      running = false;
      await Promise.all(loops);
      return { requests, failures };
    },
  };
}

describe('lookups during a retrain and the switch', () => {
  let dir: string;
  let prefix: string;
  let stack: Stack;
  let worker: TestWorker;

  beforeAll(requireRedis);

  beforeEach(async () => {
    dir = tempDir('lookups');
    prefix = freshPrefix();
    const model = await saveWeakModel(path.join(dir, 'weak'));
    const config = queueConfig(path.join(dir, 'data'), model, {
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: prefix,
      RETRAIN_EPOCHS: '4',
      RATE_LIMIT_PER_MINUTE: '10000000',
    });
    stack = await startStack(config);
    await loadCorpus(
      stack.service,
      await quoraQuestions(3000),
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

  it('answers every search, before, during and after the swap', async () => {
    const url = stack.http.url;
    const before = stack.service.status().modelVersion;
    const queries = await quoraQuestions(200, 8000);
    const load = hammer(url, queries);

    const res = await fetch(`${url}/v1/train`, { method: 'POST' });
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as JobView;

    // New items while the job runs: the switch must bring them along.
    const late = (await quoraQuestions(20, 9500)).map((text) => ({ text }));
    await waitFor('training', async () => {
      const job = await getJson<JobView>(`${url}/v1/jobs/${id}`);
      return job.state === 'active' && job.progress > 10;
    });
    const added = await fetch(`${url}/v1/items/batch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ items: late }),
    });
    expect(added.status).toBeLessThan(300);

    const job = await waitFor('the retrain', async () => {
      const view = await getJson<JobView>(`${url}/v1/jobs/${id}`);
      return ['completed', 'failed'].includes(view.state) ? view : undefined;
    });
    const result = job.result as RetrainResult;
    expect(result.decision).toBe('promoted');
    const version = result.candidateVersion ?? '';
    await waitFor(
      'the switch',
      () => stack.service.status().modelVersion === version,
      30_000,
    );
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const { requests, failures } = await load.stop();

    expect(failures).toEqual([]);
    expect(requests).toBeGreaterThan(200);
    expect(version).not.toBe(before);

    const { items } = stack.service;
    expect(items.countVectors(version)).toBe(items.count().live);
    const first = late[0]?.text ?? '';
    const hits = await stack.service.search(first, 1);
    expect(hits[0]?.text).toBe(first);
    expect(hits[0]?.energy).toBeCloseTo(0, 4);
  });
});
