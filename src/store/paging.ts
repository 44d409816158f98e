/** Checks for the sizes and cursors callers pass to list and iterate. */
import { AppError, ErrorCode } from '../errors/app-error.js';

/** Rows per chunk when the caller gives none. */
export const DEFAULT_CHUNK_SIZE = 1000;

/** Rows per page when the caller gives no limit. */
export const DEFAULT_PAGE_LIMIT = 100;

/** Largest page or chunk accepted. */
export const MAX_PAGE_LIMIT = 100_000;

/**
 * Returns `value`, or `fallback` when undefined, after checking it is an
 * integer from `min` to {@link MAX_PAGE_LIMIT}; `name` names it in the
 * `bad_input` error.
 */
export function checkedCount(
  name: string,
  value: number | undefined,
  fallback: number,
  min = 1,
): number {
  const n = value ?? fallback;
  if (!Number.isInteger(n) || n < min || n > MAX_PAGE_LIMIT) {
    throw new AppError(
      ErrorCode.BadInput,
      `${name} must be an integer from ${min} to ${MAX_PAGE_LIMIT}; ` +
        `got ${String(value)}`,
      { [name]: value },
    );
  }
  return n;
}

/** Checks that `id` is a non-negative safe integer, as row ids are. */
export function checkedId(name: string, id: number): number {
  if (!Number.isSafeInteger(id) || id < 0) {
    throw new AppError(
      ErrorCode.BadInput,
      `${name} must be a non-negative integer; got ${String(id)}`,
      { [name]: id },
    );
  }
  return id;
}
