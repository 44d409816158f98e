/**
 * `siamese-dedup serve`: the HTTP API on HOST:PORT (default
 * 127.0.0.1:8080): items, search, score and pairs, training and model
 * versions, and the review queue with its page. It listens at once
 * (GET /readyz answers 503 until the model and index are loaded; the
 * training and review routes answer 503 until their parts start, just
 * after) and stops gracefully on SIGTERM or SIGINT: no new connections,
 * in-flight requests finish (SHUTDOWN_GRACE_SECONDS at most), the review
 * queue and training stop, the index is saved and SQLite closed. A
 * second signal kills the process at once.
 */
import type { Command } from 'commander';

import { loadConfig } from '../../config/config.js';
import { createApp } from '../../http/create-app.js';
import { listen } from '../../http/http-server.js';
import { createLogger } from '../../logging/logger.js';
import { openDedupService } from '../../service/open-service.js';
import { positiveInt } from '../context.js';
import { ServeParts } from '../serve-parts.js';

/** The interface used when neither --host nor HOST is given. */
export const DEFAULT_HOST = '127.0.0.1';

interface ServeFlags {
  host?: string;
  port?: number;
}

/** Registers `serve`. */
export function serveCommand(program: Command): void {
  program
    .command('serve')
    .description('serve the HTTP API (settings from the environment)')
    .option('--host <address>', 'interface to listen on (HOST)')
    .option('--port <n>', 'port to listen on (PORT)', positiveInt('--port'))
    .action(async (flags: ServeFlags) => {
      const config = loadConfig();
      const logger = createLogger({ level: config.LOG_LEVEL });
      const host = flags.host ?? config.HOST ?? DEFAULT_HOST;
      const port = flags.port ?? config.PORT;

      const service = openDedupService(config, { logger });
      const parts = new ServeParts({ service, config, logger });
      const app = createApp({
        service,
        config,
        logger,
        routers: parts.mounts(),
      });
      const running = await listen(app, host, port);
      logger.info({ url: running.url }, 'listening');

      const signal = firstSignal(['SIGTERM', 'SIGINT']);
      const starting = service.start();
      try {
        const started = await Promise.race([
          starting.then(() => true),
          signal.then(() => false),
        ]);
        if (started) {
          parts.start();
          logger.info('training and review queue started');
        }
        const name = await signal;
        logger.info({ signal: name }, 'shutting down');
      } finally {
        // Requests first, then what they use, the service last.
        await running.stop(config.SHUTDOWN_GRACE_SECONDS * 1000);
        await parts.close();
        await starting.catch(() => undefined);
        await service.close();
        logger.info('stopped');
      }
    });
}

/** Resolves with the first of `signals` the process receives. */
function firstSignal(signals: NodeJS.Signals[]): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const handlers = signals.map((name) => {
      const handler = () => {
        signals.forEach((s, i) => process.off(s, handlers[i] ?? handler));
        resolve(name);
      };
      process.on(name, handler);
      return handler;
    });
  });
}
