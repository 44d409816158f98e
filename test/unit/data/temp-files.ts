// A fresh temporary folder per test for files that are written, or that
// are too broken to keep as fixtures.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export interface TempFiles {
  dir: string;
  /** Writes `content` to `name` in the folder; returns its path. */
  write(name: string, content: string | Buffer): Promise<string>;
  cleanup(): Promise<void>;
}

export async function tempFiles(): Promise<TempFiles> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'siamese-data-'));
  return {
    dir,
    async write(name, content) {
      const file = path.join(dir, name);
      await writeFile(file, content);
      return file;
    },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}
