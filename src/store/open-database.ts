/**
 * Opens the service's SQLite file with the settings every part relies
 * on, then brings its schema up to date.
 */
import path from 'node:path';

import BetterSqlite3, { type Database } from 'better-sqlite3';

import { AppError, ErrorCode } from '../errors/app-error.js';
import { silentLogger, type Logger } from '../logging/logger.js';
import { makeDirectory } from './make-directory.js';
import { runMigrations, type MigrateOptions } from './migrate.js';

export type { Database };

/** Options of {@link openDatabase}. */
export interface OpenDatabaseOptions {
  /** Warnings and applied migrations go here. Default: silent. */
  logger?: Logger;
  /** Apply pending migrations after opening. Default true. */
  migrate?: boolean;
  /** Folder of migrations. Default: the project's `migrations/`. */
  migrationsDir?: string;
  /** Time source for the migration ledger. Default: the system clock. */
  clock?: MigrateOptions['clock'];
}

/** Milliseconds a statement waits for another connection's lock. */
export const BUSY_TIMEOUT_MS = 5000;

/**
 * Opens (creating if needed, with its folder) the database at `file`, or
 * an in-memory one for `:memory:`. Sets WAL journaling, a 5 s busy
 * timeout, foreign keys on and synchronous NORMAL, then applies pending
 * migrations unless `migrate` is false. Throws `storage_error` when the
 * folder cannot be created (at once, see make-directory.ts) or the file
 * cannot be opened; the connection is closed again on any failure.
 */
export function openDatabase(
  file: string,
  options: OpenDatabaseOptions = {},
): Database {
  const logger = options.logger ?? silentLogger();
  const db = connect(file);

  try {
    configure(db, file, logger);
    if (options.migrate ?? true) {
      runMigrations(db, {
        dir: options.migrationsDir,
        logger,
        clock: options.clock,
      });
    }
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

function connect(file: string): Database {
  if (file !== ':memory:') makeDirectory(path.dirname(path.resolve(file)));
  try {
    return new BetterSqlite3(file, { timeout: BUSY_TIMEOUT_MS });
  } catch (err) {
    throw new AppError(
      ErrorCode.Storage,
      `cannot open the database ${file}: ${String(err)}`,
      { file },
      { cause: err },
    );
  }
}

function configure(db: Database, file: string, logger: Logger): void {
  const mode = db.pragma('journal_mode = WAL', { simple: true });

  // In-memory databases report `memory`; anything else means the file
  // system refused WAL and readers will block writers.
  if (mode !== 'wal' && !db.memory) {
    logger.warn({ file, mode }, 'SQLite refused WAL journaling');
  }

  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  db.pragma('foreign_keys = ON');
  db.pragma('synchronous = NORMAL');
}
