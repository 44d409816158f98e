/**
 * Brings a database's schema up to date. Each numbered migration runs in
 * its own immediate transaction and is recorded in `schema_migrations`, so
 * a failed migration leaves nothing behind and two processes starting at
 * once apply each migration exactly once. Migration files must not contain
 * their own BEGIN/COMMIT.
 */
import type { Database } from 'better-sqlite3';

import { AppError, ErrorCode } from '../errors/app-error.js';
import { silentLogger, type Logger } from '../logging/logger.js';
import { isoNow, systemClock, type Clock } from './clock.js';
import { readMigrationFiles, type MigrationFile } from './migration-files.js';
import { defaultMigrationsDir } from './migrations-dir.js';
import { withSqliteErrors } from './sqlite-error.js';

/** Options of {@link runMigrations}. */
export interface MigrateOptions {
  /** Folder of `NNN_name.sql` files. Default: the project's `migrations/`. */
  dir?: string;
  /** Where applied migrations are reported. Default: silent. */
  logger?: Logger;
  /** Time source for `applied_at`. Default: the system clock. */
  clock?: Clock;
}

/** What {@link runMigrations} did. */
export interface MigrationReport {
  /** File names applied by this call, in order; empty when up to date. */
  applied: string[];
  /** Highest version now recorded; 0 for an empty folder. */
  version: number;
}

interface AppliedRow {
  version: number;
  name: string;
  checksum: string;
}

const CREATE_LEDGER = `
  CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    checksum TEXT NOT NULL,
    applied_at TEXT NOT NULL
  ) STRICT`;

/**
 * Applies every migration in the folder that the database lacks, in
 * version order. Throws `storage_error` when the database records a
 * migration this build does not have, or one whose file has changed since.
 */
export function runMigrations(
  db: Database,
  options: MigrateOptions = {},
): MigrationReport {
  const dir = options.dir ?? defaultMigrationsDir;
  const logger = options.logger ?? silentLogger();
  const clock = options.clock ?? systemClock;
  const files = readMigrationFiles(dir);

  withSqliteErrors({ action: 'create the migration ledger' }, () =>
    db.exec(CREATE_LEDGER),
  );
  checkLedger(readLedger(db), files);

  const applied: string[] = [];
  for (const file of files) {
    if (applyOne(db, file, isoNow(clock))) {
      applied.push(file.name);
      logger.info({ migration: file.name }, 'applied database migration');
    }
  }

  const version = files.at(-1)?.version ?? 0;
  return { applied, version };
}

function readLedger(db: Database): Map<number, AppliedRow> {
  const rows = db
    .prepare<[], AppliedRow>(
      'SELECT version, name, checksum FROM schema_migrations',
    )
    .all();
  return new Map(rows.map((row) => [row.version, row]));
}

/** Refuses a database that is ahead of this build or was migrated by
 * different SQL under the same number. */
function checkLedger(
  ledger: Map<number, AppliedRow>,
  files: readonly MigrationFile[],
): void {
  const known = new Map(files.map((file) => [file.version, file]));

  for (const row of ledger.values()) {
    const file = known.get(row.version);
    if (!file) {
      throw new AppError(
        ErrorCode.Storage,
        `the database has migration ${row.name} that this build does not ` +
          'know; run a build at least as new as the one that created it',
        { migration: row.name },
      );
    }
    if (file.checksum !== row.checksum) {
      throw new AppError(
        ErrorCode.Storage,
        `migration ${file.name} changed after it was applied; restore ` +
          'the file and put the change in a new numbered migration',
        { migration: file.name },
      );
    }
  }
}

/** Applies one migration unless it is recorded; true when it ran. */
function applyOne(db: Database, file: MigrationFile, now: string): boolean {
  const isRecorded = db
    .prepare<[number], number>(
      'SELECT 1 FROM schema_migrations WHERE version = ?',
    )
    .pluck();
  const record = db.prepare<[number, string, string, string]>(
    'INSERT INTO schema_migrations (version, name, checksum, applied_at) ' +
      'VALUES (?, ?, ?, ?)',
  );

  // Checked again inside the write lock: another process may have won.
  const apply = db.transaction((): boolean => {
    if (isRecorded.get(file.version) !== undefined) return false;
    db.exec(file.sql);
    record.run(file.version, file.name, file.checksum, now);
    return true;
  });

  try {
    return apply.immediate();
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new AppError(
      ErrorCode.Storage,
      `migration ${file.name} failed and was rolled back: ${reason}`,
      { migration: file.name },
      { cause: err },
    );
  }
}
