// A DATA_DIR that cannot be created stops every command that opens it at
// once, with exit code 1 and a message naming DATA_DIR and the reason;
// under /proc a recursive mkdir would spin forever instead.
import fs from 'node:fs';

import { beforeAll, describe, expect, it } from 'vitest';

import { ensureBuilt, runCli, tempDir } from './cli.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

beforeAll(() => {
  ensureBuilt();
});

describe.runIf(fs.existsSync('/proc/self'))('DATA_DIR under /proc', () => {
  it.each([
    [['serve', '--port', '1']],
    [['keys', 'list']],
    [['import', '--pairs', 'pairs.tsv']],
    [['worker']],
  ])('%j fails fast, naming DATA_DIR', { timeout: 30_000 }, async (args) => {
    const result = await runCli(args, '', {
      DATA_DIR: '/proc/nope/data',
      REDIS_URL,
    });

    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      'siamese-dedup: DATA_DIR=/proc/nope/data cannot be created: mkdir ' +
        '/proc/nope failed with ENOENT (no such file or directory). Set ' +
        'DATA_DIR to a folder this process may create and write.\n',
    );
  });
});

describe('DATA_DIR below a file', () => {
  it('says which component is not a folder', async () => {
    const temp = await tempDir();
    try {
      const file = await temp.write('file', '');
      const result = await runCli(['keys', 'list'], '', {
        DATA_DIR: `${file}/data`,
      });

      expect(result.code).toBe(1);
      expect(result.stderr).toContain(
        `DATA_DIR=${file}/data cannot be created: ${file} is not a folder.`,
      );
    } finally {
      await temp.cleanup();
    }
  });
});
