/** A fresh migrated SQLite file in its own temp folder, for one test. */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import {
  openDatabase,
  type Database,
} from '../../../src/store/open-database.js';
import type { Clock } from '../../../src/store/clock.js';

/** A database and the folder it lives in. */
export interface TempDb {
  db: Database;
  dir: string;
  file: string;
  /** Closes the database and removes the folder. */
  cleanup(): void;
}

/** Makes a temp folder named after `prefix`. */
export function makeTempDir(prefix: string): string {
  return mkdtempSync(path.join(os.tmpdir(), `siamese-${prefix}-`));
}

/** Opens a migrated database in a new temp folder. */
export function openTempDb(prefix = 'store'): TempDb {
  const dir = makeTempDir(prefix);
  const file = path.join(dir, 'dedup.sqlite');
  const db = openDatabase(file);
  return {
    db,
    dir,
    file,
    cleanup() {
      if (db.open) db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A clock that starts at `start` and moves one second per call. */
export function steppingClock(start = '2026-01-01T00:00:00.000Z'): Clock {
  let t = Date.parse(start);
  return () => {
    const now = new Date(t);
    t += 1000;
    return now;
  };
}

/** Runs `fn` and returns what it threw (fails when it throws nothing). */
export function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected an error, none was thrown');
}
