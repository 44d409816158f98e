/** Where the service keeps its files under DATA_DIR. */
import { createHash } from 'node:crypto';
import path from 'node:path';

import { AppError, ErrorCode } from '../errors/app-error.js';
import { makeDirectory } from '../store/make-directory.js';

/** Name of the SQLite file in DATA_DIR. */
export const DATABASE_FILE = 'siamese-dedup.db';

/**
 * Creates DATA_DIR (`dataDir`) if it is missing, one folder at a time,
 * failing at once rather than hanging where mkdir cannot succeed.
 * Throws `bad_config` naming DATA_DIR and the reason.
 */
export function prepareDataDir(dataDir: string): void {
  try {
    makeDirectory(dataDir);
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    throw new AppError(
      ErrorCode.BadConfig,
      `DATA_DIR=${dataDir} cannot be created: ${String(err.details?.reason)}. ` +
        'Set DATA_DIR to a folder this process may create and write.',
      { setting: 'DATA_DIR', dataDir },
      { cause: err },
    );
  }
}

/** The SQLite file of a data folder. */
export function databasePath(dataDir: string): string {
  return path.join(dataDir, DATABASE_FILE);
}

/**
 * The folder holding the saved index of `modelVersion`:
 * `<dataDir>/index/<version>`. A version with characters unsafe in file
 * names gets a stable hashed name instead.
 */
export function indexDirFor(dataDir: string, modelVersion: string): string {
  const safe = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(modelVersion)
    ? modelVersion
    : `v-${createHash('sha256').update(modelVersion).digest('hex').slice(0, 16)}`;
  return path.join(dataDir, 'index', safe);
}
