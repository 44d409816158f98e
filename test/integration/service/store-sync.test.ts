/**
 * Several processes over one SQLite file: what one stores or deletes
 * reaches the others' indexes at their next look at the store. Two
 * services on two connections stand for two processes, and the real
 * `siamese-dedup import` runs beside a serving service.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import type { DedupService } from '../../../src/service/dedup-service.js';
import { startDedupService } from '../../../src/service/open-service.js';
import { waitFor } from '../queue/queue-fixture.js';
import { runCommand } from './cli-process.js';
import { removeDir, saveTestModel, tempDir, testConfig } from './fixtures.js';

describe('taking in changes other processes make', () => {
  let modelDir: string;
  let dataDir: string;
  const open: DedupService[] = [];

  beforeAll(async () => {
    modelDir = await saveTestModel(tempDir('sync-model'));
  });
  afterAll(() => removeDir(modelDir));
  afterEach(async () => {
    for (const service of open.splice(0)) await service.close();
    removeDir(dataDir);
  });

  async function start(env: Record<string, string> = {}) {
    const service = await startDedupService(
      testConfig(dataDir, modelDir, { STORE_SYNC_SECONDS: '0', ...env }),
    );
    open.push(service);
    return service;
  }

  it('indexes what another process stored and drops what it deleted', async () => {
    dataDir = tempDir('sync');
    const serving = await start();
    const [doomed] = await serving.ingest([
      { text: 'Will this one be deleted elsewhere?' },
    ]);
    const goneId = doomed?.item.id ?? 0;
    const other = await start();

    const stored = await other.ingest([
      { text: 'How do I sync two processes?' },
      { text: 'What is a write-ahead log?' },
    ]);
    other.deleteItem(goneId);
    expect(serving.status().indexSize).toBe(1);
    expect(await serving.syncFromStore()).toEqual({ added: 2, removed: 1 });

    expect(serving.status().indexSize).toBe(2);
    const [hit] = await serving.search('What is a write-ahead log?', 1);
    expect(hit?.id).toBe(stored[1]?.item.id);
    const ids = (await serving.search('deleted elsewhere', 3)).map((h) => h.id);
    expect(ids).not.toContain(goneId);

    // Nothing new: the next look changes nothing.
    expect(await serving.syncFromStore()).toEqual({ added: 0, removed: 0 });
    // Its own ingests and deletions it knows already.
    const own = await serving.ingest([{ text: 'A question of its own?' }]);
    serving.deleteItem(own[0]?.item.id ?? 0);
    expect(await serving.syncFromStore()).toEqual({ added: 0, removed: 0 });
  });

  it('finds items `import` stored while it serves, without a restart', async () => {
    dataDir = tempDir('sync-import');
    const serving = await start({ STORE_SYNC_SECONDS: '0.2' });
    const file = path.join(dataDir, 'items.tsv');
    writeFileSync(
      file,
      'external_id\ttext\n' +
        'imp-1\tHow do I import while the server runs?\n' +
        'imp-2\tCan two processes share one SQLite file?\n',
    );

    const env = { DATA_DIR: dataDir, MODEL_DIR: modelDir, LOG_LEVEL: 'warn' };
    const result = await runCommand(['import', '--items', file], env);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);

    const id = serving.items.getByExternalId('imp-2')?.id;
    expect(id).toBeDefined();
    const hit = await waitFor(
      'the imported item in the index',
      async () => {
        const [first] = await serving.search(
          'Can two processes share one SQLite file?',
          1,
        );
        return first?.id === id ? first : undefined;
      },
      20_000,
    );
    expect(hit.energy).toBeCloseTo(0, 4);
  });
});
