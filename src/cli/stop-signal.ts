/**
 * The signal that asks a long-running command (serve, worker) to stop
 * gracefully.
 */
import type { Logger } from '../logging/logger.js';

/**
 * Resolves with the first SIGTERM or SIGINT the process receives. Later
 * ones are logged and ignored, so that a graceful stop finishes (each
 * command bounds its own): a terminal's Ctrl-C reaches both npm and
 * this process, and npm then forwards it a second time.
 */
export function stopSignal(logger: Logger): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    let first: NodeJS.Signals | undefined;
    for (const name of ['SIGTERM', 'SIGINT'] as const) {
      process.on(name, () => {
        if (first === undefined) {
          first = name;
          resolve(name);
          return;
        }
        logger.warn(
          { signal: name },
          'already stopping; SIGKILL stops the process at once',
        );
      });
    }
  });
}
