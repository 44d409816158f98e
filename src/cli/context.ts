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

// The option parsers live in option-parsers.ts; train.ts imports these
// two from here.
export { positiveInt, positiveNumber } from './option-parsers.js';
