import { cpSync, existsSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import {
  afterAll,
  afterEach,
  beforeAll,
  beforeEach,
  describe,
  expect,
  it,
} from 'vitest';

import { indexDirFor } from '../../../src/service/data-files.js';
import type { DedupService } from '../../../src/service/dedup-service.js';
import {
  openDedupService,
  startDedupService,
} from '../../../src/service/open-service.js';
import {
  removeDir,
  saveTestModel,
  tempDir,
  testConfig,
  TEST_MODEL_VERSION,
} from './fixtures.js';

const TEXTS = Array.from(
  { length: 40 },
  (_, i) => `How do I solve problem number ${i} in chapter ${i % 7} ?`,
);

describe('the saved index across restarts', () => {
  let modelDir: string;
  let dataDir: string;
  let indexDir: string;
  const running: DedupService[] = [];

  const start = async (env: Record<string, string> = {}) => {
    const service = await startDedupService(testConfig(dataDir, modelDir, env));
    running.push(service);
    return service;
  };
  const stop = async (service: DedupService) => {
    await service.close();
    running.splice(running.indexOf(service), 1);
  };

  beforeAll(async () => {
    modelDir = await saveTestModel(tempDir('persist-model'));
  });
  afterAll(() => removeDir(modelDir));

  beforeEach(() => {
    dataDir = tempDir('persist');
    indexDir = indexDirFor(dataDir, TEST_MODEL_VERSION);
  });
  afterEach(async () => {
    for (const service of running.splice(0)) await service.close();
    removeDir(dataDir);
  });

  it('loads the saved index on restart instead of rebuilding', async () => {
    const first = await start();
    await first.ingest(TEXTS.map((text) => ({ text })));
    await stop(first);
    expect(existsSync(path.join(indexDir, 'manifest.json'))).toBe(true);

    const second = await start();

    expect(second.status()).toMatchObject({
      indexOrigin: 'loaded',
      indexSize: TEXTS.length,
    });
    const [hit] = await second.search(TEXTS[5] as string, 1);
    expect(hit?.text).toBe(TEXTS[5]);
    expect(hit?.energy).toBeCloseTo(0, 5);
  });

  it('rebuilds a corrupted index file from SQLite', async () => {
    const first = await start();
    await first.ingest(TEXTS.map((text) => ({ text })));
    await stop(first);
    writeFileSync(path.join(indexDir, 'index.hnsw'), 'not an index');

    const second = await start();

    expect(second.status()).toMatchObject({
      indexOrigin: 'rebuilt',
      indexSize: TEXTS.length,
    });
    const [hit] = await second.search(TEXTS[7] as string, 1);
    expect(hit?.text).toBe(TEXTS[7]);
  });

  it('adds items stored after the last save (a crash)', async () => {
    const first = await start();
    await first.ingest(TEXTS.slice(0, 20).map((text) => ({ text })));
    await first.saveIndex();
    const early = path.join(dataDir, 'early-index');
    cpSync(indexDir, early, { recursive: true });
    await first.ingest(TEXTS.slice(20).map((text) => ({ text })));
    await stop(first);

    // Put back the save that lacks the last 20 items.
    rmSync(indexDir, { recursive: true });
    cpSync(early, indexDir, { recursive: true });
    const second = await start();

    expect(second.status()).toMatchObject({
      indexOrigin: 'loaded',
      indexSize: TEXTS.length,
    });
    const [hit] = await second.search(TEXTS[30] as string, 1);
    expect(hit?.text).toBe(TEXTS[30]);
  });

  it('rebuilds a saved index that still holds deleted items', async () => {
    const first = await start({ INDEX_REBUILD_DELETED_SHARE: '0.9' });
    const results = await first.ingest(TEXTS.map((text) => ({ text })));
    await first.saveIndex();
    const early = path.join(dataDir, 'early-index');
    cpSync(indexDir, early, { recursive: true });
    const gone = results[3]?.item.id as number;
    first.deleteItem(gone);
    await stop(first);

    rmSync(indexDir, { recursive: true });
    cpSync(early, indexDir, { recursive: true });
    const second = await start();

    expect(second.status()).toMatchObject({
      indexOrigin: 'rebuilt',
      indexSize: TEXTS.length - 1,
    });
    const hits = await second.search(TEXTS[3] as string, 5);
    expect(hits.map((hit) => hit.id)).not.toContain(gone);
  });

  it('embeds stored items that lack vectors, in batches', async () => {
    const opened = openDedupService(testConfig(dataDir, modelDir));
    opened.items.insertMany(
      Array.from({ length: 600 }, (_, i) => ({ text: `question ${i} ?` })),
    );
    await opened.close();

    const service = await start();

    expect(service.status().indexSize).toBe(600);
    expect(service.items.countVectors(TEST_MODEL_VERSION)).toBe(600);
    const [hit] = await service.search('question 599 ?', 1);
    expect(hit?.text).toBe('question 599 ?');
  });

  it('loads the seed corpus into an empty store only', async () => {
    const seed = path.join(dataDir, 'seed.tsv');
    writeFileSync(
      seed,
      'external_id\ttext\nq1\tIs the moon made of cheese ?\n' +
        'q2\tHow far away is the moon ?\n',
    );

    const first = await start({ SEED_CORPUS: seed });
    expect(first.items.count().live).toBe(2);
    expect(first.items.getByExternalId('q2')?.text).toBe(
      'How far away is the moon ?',
    );
    await stop(first);

    const second = await start({ SEED_CORPUS: seed });
    expect(second.items.count().live).toBe(2);
  });

  it('refuses a seed corpus file that does not exist', async () => {
    await expect(
      start({ SEED_CORPUS: path.join(dataDir, 'missing.tsv') }),
    ).rejects.toMatchObject({ code: 'bad_config' });
  });
});
