/**
 * The boundary between SQLite's errors and the service's: constraint
 * failures become AppErrors with stable codes, everything else becomes
 * `storage_error`. AppErrors raised inside a store pass through as they are.
 */
import { AppError, ErrorCode } from '../errors/app-error.js';

/** What the failing statement was doing, for the error message. */
export interface SqliteErrorContext {
  /** Short description such as `insert item`. */
  action: string;
  /** Message for a UNIQUE or PRIMARY KEY violation, naming the value. */
  conflict?: string;
  /** Extra detail copied into the AppError. */
  details?: Record<string, unknown>;
}

/** True for better-sqlite3's SqliteError, which carries a `SQLITE_*` code. */
function sqliteCode(err: unknown): string | undefined {
  if (!(err instanceof Error) || !('code' in err)) return undefined;
  const code = err.code;
  return typeof code === 'string' && code.startsWith('SQLITE_')
    ? code
    : undefined;
}

/** Turns any error thrown by better-sqlite3 into an AppError. */
export function translateSqliteError(
  err: unknown,
  context: SqliteErrorContext,
): AppError {
  if (err instanceof AppError) return err;
  const code = sqliteCode(err);
  const details = { ...context.details, sqlite: code };
  const reason = err instanceof Error ? err.message : String(err);
  const cause = { cause: err };

  switch (code) {
    case 'SQLITE_CONSTRAINT_UNIQUE':
    case 'SQLITE_CONSTRAINT_PRIMARYKEY':
      return new AppError(
        ErrorCode.Conflict,
        context.conflict ?? `${context.action}: already exists (${reason})`,
        details,
        cause,
      );
    case 'SQLITE_CONSTRAINT_FOREIGNKEY':
      return new AppError(
        ErrorCode.NotFound,
        `${context.action}: refers to a row that does not exist`,
        details,
        cause,
      );
    case 'SQLITE_CONSTRAINT_CHECK':
    case 'SQLITE_CONSTRAINT_NOTNULL':
    case 'SQLITE_CONSTRAINT_DATATYPE':
      return new AppError(
        ErrorCode.BadInput,
        `${context.action}: value rejected by the schema (${reason})`,
        details,
        cause,
      );
    default:
      return new AppError(
        ErrorCode.Storage,
        `${context.action} failed: ${reason}`,
        details,
        cause,
      );
  }
}

/** Runs `fn`, translating what it throws ({@link translateSqliteError}). */
export function withSqliteErrors<T>(
  context: SqliteErrorContext,
  fn: () => T,
): T {
  try {
    return fn();
  } catch (err) {
    throw translateSqliteError(err, context);
  }
}
