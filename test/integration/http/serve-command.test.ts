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

/** The URL `serve` logged as listening on, once it has. */
async function listeningUrl(stdout: () => string): Promise<string> {
  for (let i = 0; i < 300; i++) {
    for (const line of stdout().split('\n')) {
      if (!line.includes('"listening"')) continue;
      return (JSON.parse(line) as { url: string }).url;
    }
    await sleep(100);
  }
  throw new Error(`serve did not start:\n${stdout()}`);
}

async function waitReady(url: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    const res = await fetch(`${url}/readyz`).catch(() => undefined);
    if (res?.status === 200) return;
    await sleep(100);
  }
  throw new Error('serve never became ready');
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

  it('serves on an ephemeral port and stops gracefully on SIGTERM', async () => {
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

    const reply = await inFlight;
    expect(reply.status).toBe(201);
    const finished = await serve.finished;
    expect(finished.code).toBe(0);
    expect(finished.stdout).toContain('"shutting down"');

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
});
