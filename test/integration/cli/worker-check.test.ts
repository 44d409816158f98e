// `siamese-dedup worker --check`, the container health check: exit 0
// when Redis answers; when it does not, exit 1 and a line saying which
// Redis did not answer and why.
import net from 'node:net';

import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { ensureBuilt, runCli, tempDir, type TempDir } from './cli.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

let temp: TempDir;

beforeAll(() => {
  ensureBuilt();
});

beforeEach(async () => {
  temp = await tempDir();
});

afterEach(async () => {
  await temp.cleanup();
});

/** A local port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function check(url: string) {
  return runCli(['worker', '--check'], '', {
    REDIS_URL: url,
    DATA_DIR: temp.dir,
  });
}

describe('worker --check', () => {
  it('says which Redis did not answer, and why, with exit code 1', async () => {
    const port = await closedPort();
    const result = await check(`redis://:secret@127.0.0.1:${port}`);

    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `siamese-dedup: Redis at 127.0.0.1:${port} (REDIS_URL) did not ` +
        `answer: connect ECONNREFUSED 127.0.0.1:${port}\n`,
    );
    expect(JSON.parse(result.stdout)).toEqual({
      redis: `127.0.0.1:${port}`,
      ok: false,
      error: `connect ECONNREFUSED 127.0.0.1:${port}`,
    });
    expect(result.stdout + result.stderr).not.toContain('secret');
  });

  it('exits 0 when Redis answers', async () => {
    const result = await check(REDIS_URL);

    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ ok: true });
  });
});
