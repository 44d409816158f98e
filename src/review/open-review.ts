/**
 * Builds the review queue beside a dedup service: its own connection to
 * the service's SQLite file (WAL lets both work at once), the service as
 * the source of model facts, neighbours and ingest news, and the
 * settings from the configuration.
 */
import type { Config } from '../config/config.js';
import { silentLogger, type Logger } from '../logging/logger.js';
import { databasePath } from '../service/data-files.js';
import type { DedupService } from '../service/dedup-service.js';
import type { Clock } from '../store/clock.js';
import { openDatabase } from '../store/open-database.js';
import { ReviewQueue } from './review-queue.js';
import { reviewSettings } from './review-settings.js';
import { serviceSource } from './review-source.js';

/** Options of {@link openReviewQueue}. */
export interface OpenReviewOptions {
  /** Logger. Default: silent. */
  logger?: Logger;
  /** Time source. Default: the system clock. */
  clock?: Clock;
  /** Random floats in [0, 1) for the selection. Default Math.random. */
  random?: () => number;
}

/** A queue and the way to shut it. */
export interface OpenReview {
  /** The queue; call `queue.start()` to sweep in the background. */
  queue: ReviewQueue;
  /** Stops the background work and closes the connection. */
  close(): Promise<void>;
}

/**
 * Opens the queue for `service`, whose DATA_DIR is in `config`. Throws
 * `bad_config` for inconsistent review settings and `storage_error`
 * when the database cannot be opened.
 */
export function openReviewQueue(
  service: DedupService,
  config: Config,
  options: OpenReviewOptions = {},
): OpenReview {
  const settings = reviewSettings(config);
  const logger = options.logger ?? silentLogger();
  const db = openDatabase(databasePath(config.dataDir), { logger });
  const queue = new ReviewQueue({
    db,
    source: serviceSource(service),
    settings,
    logger: logger.child({ component: 'review' }),
    clock: options.clock,
    random: options.random,
  });

  return {
    queue,
    async close() {
      await queue.stop();
      if (db.open) db.close();
    },
  };
}
