/**
 * Reads the numbered SQL migrations from a folder. A migration file is
 * named `NNN_description.sql` (three or more digits, then lower-case
 * words joined by `_`); other files in the folder are ignored.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { AppError, ErrorCode } from '../errors/app-error.js';

/** One migration file, ready to apply. */
export interface MigrationFile {
  /** The number at the start of the file name; applied in this order. */
  version: number;
  /** The file name, e.g. `001_init.sql`. */
  name: string;
  /** The SQL text. */
  sql: string;
  /** sha256 of the SQL text, hex; detects a file edited after it ran. */
  checksum: string;
}

const MIGRATION_NAME = /^(\d{3,})_([a-z0-9_]+)\.sql$/;

/**
 * Lists the migrations in `dir`, sorted by version. Throws `bad_config`
 * when the folder is missing, a `.sql` file is misnamed, or two files
 * share a version.
 */
export function readMigrationFiles(dir: string): MigrationFile[] {
  const names = listSqlFiles(dir);
  const byVersion = new Map<number, MigrationFile>();

  for (const name of names) {
    const match = MIGRATION_NAME.exec(name);
    if (!match) {
      throw new AppError(
        ErrorCode.BadConfig,
        `migration file ${name} in ${dir} is misnamed: expected ` +
          'NNN_description.sql, e.g. 002_review_queue.sql',
        { dir, file: name },
      );
    }

    const version = Number(match[1]);
    const other = byVersion.get(version);
    if (other) {
      throw new AppError(
        ErrorCode.BadConfig,
        `migrations ${other.name} and ${name} share version ${version}; ` +
          'renumber one of them',
        { dir, version },
      );
    }

    const sql = readFileSync(path.join(dir, name), 'utf8');
    const checksum = createHash('sha256').update(sql).digest('hex');
    byVersion.set(version, { version, name, sql, checksum });
  }

  return [...byVersion.values()].sort((a, b) => a.version - b.version);
}

function listSqlFiles(dir: string): string[] {
  try {
    return readdirSync(dir).filter((name) => name.endsWith('.sql'));
  } catch (err) {
    throw new AppError(
      ErrorCode.BadConfig,
      `cannot read the migrations folder ${dir}: ${String(err)}`,
      { dir },
      { cause: err },
    );
  }
}
