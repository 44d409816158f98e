/**
 * The service's one structured logger. Field names are fixed so that logs
 * can be queried: `request.id`, `job.id`, `model.version`, `backend`.
 */
import { pino, type Logger, type LoggerOptions } from 'pino';

export type { Logger };

/** Creates the root logger. `level` defaults to LOG_LEVEL or `info`. */
export function createLogger(options: LoggerOptions = {}): Logger {
  return pino({
    level: process.env.LOG_LEVEL ?? 'info',
    base: { service: 'siamese-dedup' },
    ...options,
  });
}

/** A logger that writes nothing, for tests and library defaults. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
