import { readFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { indexDirFor } from '../../../src/service/data-files.js';
import { startCommand } from '../service/cli-process.js';
import {
  removeDir,
  saveTestModel,
  tempDir,
  TEST_MODEL_VERSION,
} from '../service/fixtures.js';
import { listeningUrl, waitReady } from './serve-process.js';

/** The parts of a pair to review the test reads. */
interface ReviewPair {
  pair_id: number;
  a: { text: string };
  b: { text: string };
}

describe('siamese-dedup serve', () => {
  let modelDir: string;
  let dataDir: string;

  beforeAll(async () => {
    modelDir = await saveTestModel(tempDir('serve-model'));
    dataDir = tempDir('serve');
  });
  afterAll(() => {
    removeDir(dataDir);
    removeDir(modelDir);
  });

  it('serves on an ephemeral port and stops gracefully on SIGTERM, sent twice', async () => {
    const serve = startCommand(['serve'], {
      DATA_DIR: dataDir,
      MODEL_DIR: modelDir,
      SEED_CORPUS: '',
      PORT: '0',
      LOG_LEVEL: 'info',
    });
    const url = await listeningUrl(serve.stdout);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    await waitReady(url);

    // A request in flight when the signal comes must still be answered.
    const items = Array.from({ length: 1000 }, (_, i) => ({
      text: `in flight question number ${i} ?`,
    }));
    const inFlight = fetch(`${url}/v1/items/batch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ items }),
    });
    await sleep(30);
    serve.child.kill('SIGTERM');
    // A second signal, as npm forwards one after a terminal's Ctrl-C,
    // does not cut the shutdown short.
    await sleep(20);
    serve.child.kill('SIGTERM');

    const reply = await inFlight;
    expect(reply.status).toBe(201);
    const finished = await serve.finished;
    expect(finished.code).toBe(0);
    expect(finished.stdout).toContain('"shutting down"');
    expect(finished.stdout).toContain('"already stopping');
    expect(finished.stdout).toContain('"stopped"');

    // The index was saved with every item before SQLite closed.
    const manifest = JSON.parse(
      readFileSync(
        path.join(indexDirFor(dataDir, TEST_MODEL_VERSION), 'manifest.json'),
        'utf8',
      ),
    ) as { count: number };
    expect(manifest.count).toBe(1000);
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
  });

  it('serves training, model versions and the review queue', async () => {
    const reviewData = tempDir('serve-review');
    const serve = startCommand(['serve'], {
      DATA_DIR: reviewData,
      MODEL_DIR: modelDir,
      SEED_CORPUS: '',
      PORT: '0',
      LOG_LEVEL: 'info',
      EMBEDDED_WORKER: 'true',
    });
    try {
      const url = await listeningUrl(serve.stdout);
      await waitReady(url);
      const post = (path: string, body?: unknown) =>
        fetch(`${url}${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: body === undefined ? undefined : JSON.stringify(body),
        });

      const train = await waitFor('training to start', async () => {
        const res = await post('/v1/train');
        return res.status === 503 ? undefined : res;
      });
      expect(train.status).toBe(202);
      const job = (await train.json()) as { id: string; kind: string };
      expect(job.id).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(job.kind).toBe('retrain');
      expect(train.headers.get('location')).toBe(`/v1/jobs/${job.id}`);
      const jobReply = await fetch(`${url}/v1/jobs/${job.id}`);
      expect(jobReply.status).toBe(200);

      const models = (await (await fetch(`${url}/v1/models`)).json()) as {
        models: { version: string; serving: boolean }[];
      };
      expect(models.models).toContainEqual(
        expect.objectContaining({ version: TEST_MODEL_VERSION, serving: true }),
      );

      const page = await fetch(`${url}/review`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await page.text()).toContain('Review candidate pairs');

      // Two near-equal questions make a pair worth reviewing.
      const added = await post('/v1/items/batch', {
        items: [
          { text: 'How do I learn to play the guitar?' },
          { text: 'How do I learn to play guitar?' },
          { text: 'What is the capital city of France?' },
        ],
      });
      expect(added.status).toBe(201);
      const next = await waitFor('a pair to review', async () => {
        const res = await fetch(`${url}/v1/review/next`, {
          headers: { 'X-Reviewer': 'serve-test' },
        });
        expect(res.status).toBe(200);
        const body = (await res.json()) as { pairs: ReviewPair[] };
        return body.pairs[0];
      });
      expect(next.pair_id).toBeGreaterThan(0);
      expect(next.a.text).not.toBe(next.b.text);

      const doc = (await (await fetch(`${url}/openapi.json`)).json()) as {
        paths: Record<string, Record<string, unknown>>;
      };
      for (const [path, method] of [
        ['/v1/train', 'post'],
        ['/v1/jobs', 'get'],
        ['/v1/jobs/{id}', 'get'],
        ['/v1/models', 'get'],
        ['/v1/models/{version}/activate', 'post'],
        ['/v1/review/next', 'get'],
        ['/review', 'get'],
      ] as const) {
        expect(doc.paths[path]?.[method], `${method} ${path}`).toBeDefined();
      }

      serve.child.kill('SIGTERM');
      const finished = await serve.finished;
      expect(finished.code).toBe(0);
      expect(finished.stdout).toContain('"training and review queue started"');
      expect(finished.stdout).toContain('"stopped"');
    } finally {
      serve.child.kill('SIGKILL');
      await serve.finished;
      removeDir(reviewData);
    }
  });
});

/** Polls `check` every 100 ms until it returns a value, or fails. */
async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}
