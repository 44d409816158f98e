/**
 * Factories that build a {@link DedupService} from configuration: open
 * DATA_DIR/siamese-dedup.db, make the stores, and optionally start.
 */
import type { Config } from '../config/config.js';
import { silentLogger, type Logger } from '../logging/logger.js';
import type { Clock } from '../store/clock.js';
import { ItemStore } from '../store/item-store.js';
import { ModelStore } from '../store/model-store.js';
import { openDatabase } from '../store/open-database.js';
import { PairStore } from '../store/pair-store.js';
import { databasePath, prepareDataDir } from './data-files.js';
import { DedupService, type StartOptions } from './dedup-service.js';

/** Options of {@link openDedupService}. */
export interface OpenServiceOptions {
  /** Root logger. Default: silent. */
  logger?: Logger;
  /** Time source of the stores. Default: the system clock. */
  clock?: Clock;
}

/**
 * Opens (creating and migrating) the SQLite file under DATA_DIR and
 * returns a service that is not started yet: call start() to load the
 * model and index. Throws `bad_config` when DATA_DIR cannot be created
 * and `storage_error` when the file cannot be opened.
 */
export function openDedupService(
  config: Config,
  options: OpenServiceOptions = {},
): DedupService {
  const logger = options.logger ?? silentLogger();
  prepareDataDir(config.dataDir);
  const db = openDatabase(databasePath(config.dataDir), { logger });
  const stores = { clock: options.clock };

  return new DedupService({
    config,
    logger,
    db,
    items: new ItemStore(db, stores),
    pairs: new PairStore(db, stores),
    models: new ModelStore(db, stores),
  });
}

/**
 * Opens and starts a service; on a failed start it closes SQLite again
 * before rethrowing.
 */
export async function startDedupService(
  config: Config,
  options: OpenServiceOptions & StartOptions = {},
): Promise<DedupService> {
  const service = openDedupService(config, options);
  try {
    await service.start(options);
  } catch (err) {
    await service.close();
    throw err;
  }
  return service;
}
