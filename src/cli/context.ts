/**
 * What every command needs: a logger on stderr and the encoder options
 * taken from the environment (VECTORS_CACHE, TF_BACKEND, LOG_LEVEL).
 */
import { pino } from 'pino';

import type { BackendChoice } from '../encoder/backend.js';
import type { EncoderOptions } from '../encoder/siamese-encoder.js';
import type { Logger } from '../logging/logger.js';

/** A logger writing to stderr, `warn` and above unless LOG_LEVEL says. */
export function cliLogger(): Logger {
  return pino(
    { level: process.env.LOG_LEVEL ?? 'warn', base: undefined },
    pino.destination(2),
  );
}

/** Encoder options from the environment. */
export function encoderOptions(log: Logger): EncoderOptions {
  return {
    vectorsFile: process.env.VECTORS_CACHE || undefined,
    backend: (process.env.TF_BACKEND as BackendChoice | undefined) ?? 'auto',
    log,
  };
}

/** Parses a positive integer option, naming the option when it is not. */
export function positiveInt(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) {
      throw new Error(`${name} must be a positive integer, got "${value}"`);
    }
    return n;
  };
}

/** Parses a positive number option. */
export function positiveNumber(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0) {
      throw new Error(`${name} must be a positive number, got "${value}"`);
    }
    return n;
  };
}
