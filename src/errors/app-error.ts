/**
 * One error type for the whole service. Every failure the service knows
 * about carries a stable `code`; the HTTP layer maps codes to statuses in
 * one place (src/http/problem.ts) and the CLI maps them to exit codes.
 */

/** Stable machine-readable codes, one per kind of failure. */
export const ErrorCode = {
  BadInput: 'bad_input',
  BadFile: 'bad_file',
  BadConfig: 'bad_config',
  NotFound: 'not_found',
  Conflict: 'conflict',
  /** A review answer came after the pair's reservation ran out. */
  ReservationExpired: 'reservation_expired',
  /** A review answer for a pair the reviewer does not hold. */
  NotReserved: 'not_reserved',
  TooLarge: 'too_large',
  Unauthorized: 'unauthorized',
  Forbidden: 'forbidden',
  RateLimited: 'rate_limited',
  NotReady: 'not_ready',
  QueueUnavailable: 'queue_unavailable',
  ModelInvalid: 'model_invalid',
  IndexCorrupt: 'index_corrupt',
  Storage: 'storage_error',
  Internal: 'internal',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Base class of every error the service raises on purpose. */
export class AppError extends Error {
  /** Stable code, see {@link ErrorCode}. */
  readonly code: ErrorCode;
  /** Extra structured detail for logs and problem responses. */
  readonly details: Record<string, unknown> | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    details?: Record<string, unknown>,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }
}

/** A data file that cannot be read: names the file and the 1-based line. */
export class FileFormatError extends AppError {
  constructor(file: string, line: number | undefined, problem: string) {
    const where = line === undefined ? file : `${file}:${line}`;
    super(ErrorCode.BadFile, `${where}: ${problem}`, { file, line });
    this.name = 'FileFormatError';
  }
}

/** True when `err` is an AppError with the given code. */
export function hasCode(err: unknown, code: ErrorCode): boolean {
  return err instanceof AppError && err.code === code;
}
