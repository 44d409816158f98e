/**
 * `serve` and API keys as an operator meets them: where it listens with
 * and without keys, and keys made and revoked with `siamese-dedup keys`
 * taking effect on a running server.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import {
  runCommand,
  startCommand,
  type Running,
} from '../service/cli-process.js';
import { removeDir, saveTestModel, tempDir } from '../service/fixtures.js';
import { listeningUrl, waitReady } from './serve-process.js';

describe('siamese-dedup serve with and without API keys', () => {
  let modelDir: string;
  let dataDir: string;
  let running: Running | undefined;

  beforeAll(async () => {
    modelDir = await saveTestModel(tempDir('serve-access-model'));
  });
  afterAll(() => removeDir(modelDir));
  afterEach(async () => {
    running?.child.kill('SIGTERM');
    const finished = await running?.finished;
    running = undefined;
    removeDir(dataDir);
    expect(finished?.code).toBe(0);
  });

  const env = (extra: Record<string, string> = {}) => ({
    DATA_DIR: dataDir,
    MODEL_DIR: modelDir,
    SEED_CORPUS: '',
    PORT: '0',
    LOG_LEVEL: 'info',
    EMBEDDED_WORKER: 'false',
    ...extra,
  });

  const serve = (extra: Record<string, string> = {}) => {
    running = startCommand(['serve'], env(extra));
    return running;
  };

  it('listens on 127.0.0.1 only while no key exists, and says so', async () => {
    dataDir = tempDir('serve-access');
    const server = serve({ HOST: '0.0.0.0' });

    const url = await listeningUrl(server.stdout);

    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const warning = server
      .stdout()
      .split('\n')
      .find((line) => line.includes('"level":40'));
    expect(warning).toContain('127.0.0.1 only, not 0.0.0.0');
  });

  it('listens where asked with ALLOW_OPEN_ACCESS, warning that it is open', async () => {
    dataDir = tempDir('serve-access');
    const server = serve({ HOST: '0.0.0.0', ALLOW_OPEN_ACCESS: 'true' });

    const url = await listeningUrl(server.stdout);

    expect(url).toMatch(/^http:\/\/0\.0\.0\.0:\d+$/);
    expect(server.stdout()).toContain('anyone who can reach 0.0.0.0');
  });

  it('needs keys once one exists, and drops a revoked one at once', async () => {
    dataDir = tempDir('serve-access');
    const created = await runCommand(
      ['keys', 'create', '--role', 'client', '--name', 'ci'],
      env(),
    );
    expect(created.code).toBe(0);
    const secret = created.stdout.trim();
    expect(secret).toMatch(/^sdk_[A-Za-z0-9_-]{43}$/);
    expect(created.stderr).toContain('created API key 1');

    const server = serve();
    const url = await listeningUrl(server.stdout);
    expect(url).toMatch(/^http:\/\/0\.0\.0\.0:\d+$/);
    expect(server.stdout()).not.toContain('"level":40');
    const local = url.replace('0.0.0.0', '127.0.0.1');
    await waitReady(local);

    const search = (key?: string) =>
      fetch(`${local}/v1/search`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(key ? { authorization: `Bearer ${key}` } : {}),
        },
        body: JSON.stringify({ text: 'Is this open?', k: 1 }),
      });
    expect((await search()).status).toBe(401);
    expect((await search(secret)).status).toBe(200);
    const jobs = await fetch(`${local}/v1/jobs`, {
      headers: { authorization: `Bearer ${secret}` },
    });
    expect(jobs.status).toBe(403);

    const listed = await runCommand(['keys', 'list'], env());
    expect(listed.stdout).toMatch(/^1\s+sdk_\S{8}\s+client\s+ci\s/m);
    expect(listed.stdout).not.toContain(secret);
    const revoked = await runCommand(['keys', 'revoke', '1'], env());
    expect(revoked.code).toBe(0);

    expect((await search(secret)).status).toBe(401);
  });
});
