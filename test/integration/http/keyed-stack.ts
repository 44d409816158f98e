/**
 * The app `serve` builds, in this process: a started service, training
 * and the review queue, access control over API keys, on a loopback
 * port. Keys are made in the same SQLite file, as `siamese-dedup keys`
 * makes them.
 */
import { ApiKeyStore } from '../../../src/access/key-store.js';
import type { Role } from '../../../src/access/roles.js';
import { ServeParts } from '../../../src/cli/serve-parts.js';
import { AccessControl } from '../../../src/http/access-control.js';
import { createApp } from '../../../src/http/create-app.js';
import { listen } from '../../../src/http/http-server.js';
import { silentLogger } from '../../../src/logging/logger.js';
import { databasePath } from '../../../src/service/data-files.js';
import { startDedupService } from '../../../src/service/open-service.js';
import { openDatabase } from '../../../src/store/open-database.js';
import { removeDir, tempDir, testConfig } from '../service/fixtures.js';

/** A served app and a way to make keys for it. */
export interface KeyedStack {
  url: string;
  keys: ApiKeyStore;
  /** Makes a key with `role` and returns its secret. */
  key(role: Role, name?: string): string;
  /** Stops everything and removes DATA_DIR. */
  close(): Promise<void>;
}

/** Starts the stack over a fresh DATA_DIR with the model in `modelDir`. */
export async function startKeyedStack(
  modelDir: string,
  env: Record<string, string> = {},
): Promise<KeyedStack> {
  const dataDir = tempDir('keyed');
  // No worker: these stacks are about access, not about retraining.
  const config = testConfig(dataDir, modelDir, {
    EMBEDDED_WORKER: 'false',
    ...env,
  });
  const logger = silentLogger();
  const service = await startDedupService(config, { logger });
  const parts = new ServeParts({ service, config, logger });
  parts.start();
  const db = openDatabase(databasePath(dataDir));
  const keys = new ApiKeyStore(db);
  const app = createApp({
    service,
    config,
    logger,
    routers: parts.mounts(),
    access: new AccessControl({ keys }),
  });
  const running = await listen(app, '127.0.0.1', 0);

  return {
    url: running.url,
    keys,
    key: (role, name) => keys.create({ role, name }).secret,
    async close() {
      await running.stop(1000);
      await parts.close();
      await service.close();
      db.close();
      removeDir(dataDir);
    },
  };
}
