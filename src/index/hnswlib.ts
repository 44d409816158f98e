/**
 * The native HNSW library. It is a CommonJS addon whose classes Node only
 * exposes on the default export, so they are taken from there.
 */
import hnswlib from 'hnswlib-node';

import { AppError, ErrorCode } from '../errors/app-error.js';

/** The native graph index class. */
export const { HierarchicalNSW } = hnswlib;

/** An instance of the native graph index. */
export type NativeIndex = InstanceType<typeof HierarchicalNSW>;

/**
 * Runs a native call, turning the library's plain errors into an
 * `internal` AppError that says what was being done.
 */
export function callNative<T>(action: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new AppError(
      ErrorCode.Internal,
      `HNSW index: ${action} failed: ${reason}`,
      undefined,
      { cause: err },
    );
  }
}
