/** Checks on what callers hand the index, before the native code sees it. */
import { AppError, ErrorCode } from '../errors/app-error.js';
import type { VectorIndexOptions } from './index-options.js';

/** Largest label hnswlib-node accepts: labels are unsigned 32-bit. */
export const MAX_LABEL = 2 ** 32 - 1;

/** Throws `bad_input` unless `id` is an integer from 0 to {@link MAX_LABEL}. */
export function checkLabel(id: number): void {
  if (!Number.isInteger(id) || id < 0 || id > MAX_LABEL) {
    throw new AppError(
      ErrorCode.BadInput,
      `index id must be an integer from 0 to ${MAX_LABEL}; got ${id}`,
      { id },
    );
  }
}

/**
 * Throws `bad_input` unless `vector` has `dim` values, all finite;
 * `what` names it in errors.
 */
export function checkVector(
  vector: Float32Array,
  dim: number,
  what: string,
): void {
  if (vector.length !== dim) {
    throw new AppError(
      ErrorCode.BadInput,
      `${what} has ${vector.length} values; expected ${dim}`,
      { length: vector.length, dim },
    );
  }
  if (!vector.every(Number.isFinite)) {
    throw new AppError(
      ErrorCode.BadInput,
      `${what} holds a NaN or infinite value`,
    );
  }
}

/**
 * Returns `vector` as the plain array the native code takes, after
 * {@link checkVector}.
 */
export function nativeVector(
  vector: Float32Array,
  dim: number,
  what: string,
): number[] {
  checkVector(vector, dim, what);
  return Array.from(vector);
}

/** Throws `bad_input` unless `k` is a positive integer. */
export function checkK(k: number): void {
  if (!Number.isInteger(k) || k < 1) {
    throw new AppError(
      ErrorCode.BadInput,
      `k must be a positive integer; got ${k}`,
      { k },
    );
  }
}

/** Throws `bad_input` unless `maxEnergy` is undefined or finite and >= 0. */
export function checkMaxEnergy(maxEnergy: number | undefined): void {
  if (maxEnergy === undefined) return;
  if (!Number.isFinite(maxEnergy) || maxEnergy < 0) {
    throw new AppError(
      ErrorCode.BadInput,
      `maxEnergy must be a finite number >= 0; got ${maxEnergy}`,
      { maxEnergy },
    );
  }
}

/** Throws `bad_input` naming the first bad option of a new index. */
export function checkIndexOptions(options: VectorIndexOptions): void {
  const positive = (name: string, value: number | undefined): void => {
    if (value !== undefined && (!Number.isInteger(value) || value < 1)) {
      throw new AppError(
        ErrorCode.BadInput,
        `index option ${name} must be a positive integer; got ${value}`,
      );
    }
  };

  positive('dim', options.dim ?? Number.NaN);
  positive('initialCapacity', options.initialCapacity);
  positive('m', options.m);
  positive('efConstruction', options.efConstruction);
  positive('ef', options.ef);
  if (typeof options.modelVersion !== 'string' || !options.modelVersion) {
    throw new AppError(
      ErrorCode.BadInput,
      'index option modelVersion must be a non-empty string',
    );
  }
}
