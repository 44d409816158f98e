/**
 * `siamese-dedup serve`: the HTTP API on HOST:PORT: items, search,
 * score and pairs, training and model versions, and the review queue
 * with its page. Once an API key exists (`siamese-dedup keys`) every
 * /v1 route needs one with the right role, and the default interface is
 * 0.0.0.0; while none exists it listens on 127.0.0.1 only, whatever
 * HOST says, unless ALLOW_OPEN_ACCESS is set (see listen-host.ts), and
 * warns at start-up. The port defaults to 8080. It listens at once
 * (GET /readyz answers 503 until the model and index are loaded; the
 * training and review routes answer 503 until their parts start, just
 * after) and stops gracefully on SIGTERM or SIGINT: no new connections,
 * in-flight requests finish (SHUTDOWN_GRACE_SECONDS at most), the review
 * queue and training stop, the index is saved and SQLite closed. A
 * second signal kills the process at once.
 */
import type { Command } from 'commander';

import { ApiKeyStore } from '../../access/key-store.js';
import { chooseHost } from '../../access/listen-host.js';
import { loadConfig } from '../../config/config.js';
import { AccessControl } from '../../http/access-control.js';
import { createApp } from '../../http/create-app.js';
import { listen } from '../../http/http-server.js';
import { createLogger } from '../../logging/logger.js';
import { databasePath } from '../../service/data-files.js';
import { openDedupService } from '../../service/open-service.js';
import { stopSignal } from '../stop-signal.js';
import { openDatabase } from '../../store/open-database.js';
import { portNumber } from '../option-parsers.js';
import { ServeParts } from '../serve-parts.js';

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
    .option('--port <n>', 'port to listen on (PORT)', portNumber('--port'))
    .action(async (flags: ServeFlags) => {
      const config = loadConfig();
      const logger = createLogger({ level: config.LOG_LEVEL });
      const port = flags.port ?? config.PORT;

      const service = openDedupService(config, { logger });
      // Keys get a connection of their own, like the other parts.
      const keysDb = openDatabase(databasePath(config.dataDir), { logger });
      const keys = new ApiKeyStore(keysDb);
      const { host, warning } = chooseHost({
        requested: flags.host ?? config.HOST,
        keysExist: keys.hasActive(),
        allowOpenAccess: config.ALLOW_OPEN_ACCESS,
      });
      if (warning) logger.warn(warning);

      const parts = new ServeParts({ service, config, logger });
      const app = createApp({
        service,
        config,
        logger,
        routers: parts.mounts(),
        access: new AccessControl({
          keys,
          allowOpenAccess: config.ALLOW_OPEN_ACCESS,
        }),
      });
      const running = await listen(app, host, port);
      logger.info({ url: running.url }, 'listening');

      const signal = stopSignal(logger);
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
        keysDb.close();
        logger.info('stopped');
      }
    });
}
