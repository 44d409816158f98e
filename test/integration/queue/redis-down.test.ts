/**
 * Redis configured but unreachable (a proxy in front of the real Redis
 * is shut): POST /v1/train answers 503 `queue_unavailable` with
 * Retry-After, search, score and ingest keep working, and the recorded
 * request is queued and run once Redis is back.
 */
import net from 'node:net';
import path from 'node:path';

import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import type { JobView } from '../../../src/queue/job-view.js';
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

/** A TCP proxy to the real Redis that can be switched off and on. */
class RedisProxy {
  private server: net.Server | undefined;
  private readonly sockets = new Set<net.Socket>();
  port = 0;

  async up(): Promise<void> {
    if (this.server) return;
    const target = new URL(TEST_REDIS_URL);
    const server = net.createServer((client) => {
      const upstream = net.connect(
        Number(target.port || 6379),
        target.hostname,
      );
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
    });
    this.server = server;
    await new Promise<void>((resolve) =>
      server.listen(this.port, '127.0.0.1', resolve),
    );
    this.port = (server.address() as net.AddressInfo).port;
  }

  async down(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const socket of this.sockets) socket.destroy();
    if (server) await new Promise((resolve) => server.close(resolve));
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }
}

describe('with Redis down', () => {
  let dir: string;
  let prefix: string;
  let proxy: RedisProxy;
  let stack: Stack;
  let worker: TestWorker;

  beforeAll(requireRedis);

  beforeEach(async () => {
    dir = tempDir('redis-down');
    prefix = freshPrefix();
    proxy = new RedisProxy();
    await proxy.up();
    const model = await saveWeakModel(path.join(dir, 'weak'));
    const config = queueConfig(path.join(dir, 'data'), model, {
      REDIS_URL: proxy.url,
      QUEUE_PREFIX: prefix,
    });
    stack = await startStack(config);
    await loadCorpus(
      stack.service,
      await quoraQuestions(300),
      await quoraPairs(300),
    );
    worker = startWorker(config);
  });

  afterEach(async () => {
    await proxy.up();
    await worker.close();
    await stack.close();
    await proxy.down();
    await removePrefix(prefix);
    removeDir(dir);
  });

  it('answers 503, keeps serving, and queues the request later', async () => {
    const url = stack.http.url;
    await proxy.down();
    await waitFor('the outage to be noticed', () => {
      return stack.training.queue?.available === false;
    });

    const res = await fetch(`${url}/v1/train`, { method: 'POST' });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('30');
    const problem = (await res.json()) as { code: string };
    expect(problem.code).toBe('queue_unavailable');
    const again = await fetch(`${url}/v1/train`, { method: 'POST' });
    expect(again.status).toBe(503);

    const { jobs } = await getJson<{ jobs: JobView[] }>(`${url}/v1/jobs`);
    expect(jobs.map((job) => job.state)).toEqual(['waiting']);
    const id = jobs[0]?.id ?? '';

    const post = (route: string, body: unknown) =>
      fetch(`${url}${route}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await post('/v1/search', { text: 'how to learn go' })).status).toBe(
      200,
    );
    expect((await post('/v1/score', { a: 'a cat', b: 'a dog' })).status).toBe(
      200,
    );
    expect((await post('/v1/items', { text: 'a new question' })).status).toBe(
      201,
    );

    await proxy.up();
    const done = await waitFor('the recorded request to run', async () => {
      const job = await getJson<JobView>(`${url}/v1/jobs/${id}`);
      return job.state === 'completed' ? job : undefined;
    });
    expect(done.error).toBeNull();
  });
});
