/**
 * A Redis server of the test's own (a separate redis-server on a free
 * port, no persistence) killed under a running `serve` and `worker`:
 * search, score and ingest keep answering, POST /v1/train answers 503
 * with Retry-After at once, and once a fresh, empty Redis is back on the
 * port the recorded request is queued and runs to the end.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

import { afterEach, describe, expect, it } from 'vitest';

import { quoraPairs } from '../queue/queue-fixture.js';
import { removeDir, saveTestModel, tempDir } from '../service/fixtures.js';
import {
  postJson,
  startCli,
  startServe,
  waitReady,
  type CliProcess,
} from './serve-process.js';

/** Longest a request may take while Redis is down, in ms. */
const PROMPT_MS = 5000;

/** A port nothing listens on now. */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Starts redis-server on `port` without persistence; fails loudly. */
async function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn('redis-server', [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
  ]);
  const failed = new Promise<never>((_, reject) => {
    child.on('error', (err) =>
      reject(new Error(`these tests need redis-server on PATH: ${err}`)),
    );
  });
  for (let i = 0; i < 100; i++) {
    const up = await Promise.race([canConnect(port), failed]);
    if (up) return child;
    await sleep(50);
  }
  child.kill('SIGKILL');
  throw new Error(`redis-server did not listen on port ${port}`);
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.on('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}

/** SIGKILLs `child` and waits until it has gone. */
async function killHard(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await gone;
}

/** Runs `request`, failing when it takes longer than PROMPT_MS. */
async function prompt(request: () => Promise<Response>): Promise<Response> {
  const started = Date.now();
  const res = await request();
  expect(Date.now() - started).toBeLessThan(PROMPT_MS);
  return res;
}

interface JobJson {
  id: string;
  state: string;
  error: string | null;
}

describe('serve and worker with their Redis killed', () => {
  const dirs: string[] = [];
  const processes: CliProcess[] = [];
  const redis: ChildProcess[] = [];

  afterEach(async () => {
    for (const proc of processes.splice(0)) await proc.kill();
    for (const child of redis.splice(0)) await killHard(child);
    for (const dir of dirs.splice(0)) removeDir(dir);
  });

  it('keeps serving, answers 503 to /v1/train, runs it later', async () => {
    const port = await freePort();
    redis.push(await startRedis(port));
    const dataDir = tempDir('redis-kill');
    const modelDir = await saveTestModel(tempDir('redis-kill-model'));
    dirs.push(dataDir, modelDir);
    const env = {
      DATA_DIR: dataDir,
      MODEL_DIR: modelDir,
      REDIS_URL: `redis://127.0.0.1:${port}`,
      QUEUE_PREFIX: 'redis-kill',
      RETRAIN_AFTER_LABELS: '0',
      RETRAIN_EPOCHS: '1',
      RETRAIN_MIN_PAIRS: '20',
      RETRAIN_BACKOFF_SECONDS: '0.5',
      TRAINING_POLL_SECONDS: '0.5',
      WORKER_LOCK_SECONDS: '3',
    };
    const serve = await startServe(env);
    processes.push(serve);
    processes.push(startCli(['worker'], env));
    await waitReady(serve);
    const url = serve.url;

    const pairs = await quoraPairs(60);
    const labelled = await postJson(url, '/v1/pairs/batch', {
      pairs: pairs.map(({ a, b, label }) => ({ a, b, label })),
      who: 'redis-kill-test',
    });
    expect(labelled.status).toBe(201);

    // Kill Redis and ask at once, before any health check has run.
    await killHard(redis.pop() as ChildProcess);
    const refused = await prompt(() => postJson(url, '/v1/train'));
    expect(refused.status, await refused.clone().text()).toBe(503);
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(((await refused.json()) as { code: string }).code).toBe(
      'queue_unavailable',
    );

    const search = await prompt(() =>
      postJson(url, '/v1/search', { text: pairs[0]?.a }),
    );
    expect(search.status).toBe(200);
    const score = await prompt(() =>
      postJson(url, '/v1/score', { a: 'a cat sat', b: 'a dog sat' }),
    );
    expect(score.status).toBe(200);
    const ingest = await prompt(() =>
      postJson(url, '/v1/items', { text: 'asked while Redis was down ?' }),
    );
    expect(ingest.status).toBe(201);

    const jobs = (await (await fetch(`${url}/v1/jobs`)).json()) as {
      jobs: JobJson[];
    };
    expect(jobs.jobs.map((job) => job.state)).toEqual(['waiting']);
    const id = jobs.jobs[0]?.id ?? '';

    // A fresh Redis on the same port: empty, so the request must come
    // from the SQLite record, not from a queue that survived.
    redis.push(await startRedis(port));
    const deadline = Date.now() + 120_000;
    let job: JobJson | undefined;
    while (Date.now() < deadline) {
      job = (await (await fetch(`${url}/v1/jobs/${id}`)).json()) as JobJson;
      if (job.state === 'completed' || job.state === 'failed') break;
      await sleep(250);
    }
    expect(job).toMatchObject({ id, state: 'completed', error: null });
  });
});
