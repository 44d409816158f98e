// Folders are made one component at a time, and a folder that cannot be
// made fails at once with the component and the reason.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { AppError } from '../../../src/errors/app-error.js';
import { makeDirectory } from '../../../src/store/make-directory.js';

let dir: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'siamese-mkdir-'));
});

afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function failure(target: string): AppError {
  try {
    makeDirectory(target);
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error(`expected ${target} to fail`);
}

describe('makeDirectory', () => {
  it('makes missing folders and accepts existing ones', () => {
    const deep = path.join(dir, 'a', 'b', 'c');
    makeDirectory(deep);
    makeDirectory(deep);
    makeDirectory(dir);

    expect(fs.statSync(deep).isDirectory()).toBe(true);
  });

  it('names a file in the way', () => {
    const file = path.join(dir, 'file');
    fs.writeFileSync(file, '');

    for (const target of [file, path.join(file, 'sub', 'deeper')]) {
      const err = failure(target);
      expect(err.code).toBe('storage_error');
      expect(err.details).toEqual({
        dir: target,
        reason: `${file} is not a folder`,
      });
    }
  });

  it.runIf(fs.existsSync('/proc/self'))(
    'fails at once under /proc, where recursive mkdir never returns',
    () => {
      const started = performance.now();
      const err = failure('/proc/nope/data');

      expect(err.message).toBe(
        'cannot create the folder /proc/nope/data: mkdir /proc/nope ' +
          'failed with ENOENT (no such file or directory)',
      );
      expect(performance.now() - started).toBeLessThan(1000);
    },
  );
});
