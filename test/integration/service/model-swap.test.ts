import {
  afterAll,
  afterEach,
  beforeAll,
  beforeEach,
  describe,
  expect,
  it,
} from 'vitest';

import type { DedupService } from '../../../src/service/dedup-service.js';
import { startDedupService } from '../../../src/service/open-service.js';
import {
  HashingEncoder,
  removeDir,
  saveTestModel,
  tempDir,
  testConfig,
  TEST_MODEL_VERSION,
} from './fixtures.js';

const TEXTS = Array.from(
  { length: 30 },
  (_, i) => `what is the capital of country ${i} ?`,
);

describe('swapping the serving model', () => {
  let modelDir: string;
  let dataDir: string;
  let service: DedupService;

  beforeAll(async () => {
    modelDir = await saveTestModel(tempDir('swap-model'));
  });
  afterAll(() => removeDir(modelDir));

  beforeEach(async () => {
    dataDir = tempDir('swap');
    service = await startDedupService(testConfig(dataDir, modelDir));
    await service.ingest(TEXTS.map((text) => ({ text })));
  });
  afterEach(async () => {
    await service.close();
    removeDir(dataDir);
  });

  const register = (version: string) =>
    service.models.register({ version, path: dataDir, threshold: 0.3 });

  it('builds a candidate index beside the serving one', async () => {
    const candidate = new HashingEncoder('v2');

    const index = await service.buildIndexFor(candidate);

    expect(index.modelVersion).toBe('v2');
    expect(index.size).toBe(TEXTS.length);
    expect(service.status().modelVersion).toBe(TEST_MODEL_VERSION);
    expect(service.items.countVectors('v2')).toBe(TEXTS.length);
  });

  it('serves the new pair after activation, with changes made meanwhile', async () => {
    const candidate = new HashingEncoder('v2');
    const index = await service.buildIndexFor(candidate);

    // Changes between the build and the swap must reach the new index.
    const [late] = await service.ingest([{ text: 'a late question ?' }]);
    const [first] = await service.search(TEXTS[0] as string, 1);
    service.deleteItem(first?.id as number);
    register('v2');

    await service.activateModel(candidate, index);

    expect(service.status()).toMatchObject({
      modelVersion: 'v2',
      indexSize: TEXTS.length,
    });
    expect(service.models.active()?.version).toBe('v2');
    const hits = await service.search('a late question ?', 3);
    expect(hits[0]?.id).toBe(late?.item.id);
    expect(hits[0]?.energy).toBeCloseTo(0, 5);
    const all = await service.search(TEXTS[0] as string, 40);
    expect(all.map((hit) => hit.id)).not.toContain(first?.id);
  });

  it('lets concurrent lookups see the old or the new pair, never a mix', async () => {
    const candidate = new HashingEncoder('v2');
    const index = await service.buildIndexFor(candidate);
    register('v2');

    const lookups = Array.from({ length: 40 }, (_, i) =>
      service.search(TEXTS[i % TEXTS.length] as string, 1),
    );
    const swap = service.activateModel(candidate, index);
    const results = await Promise.all([...lookups, swap]);

    // A mixed pair would search one model's index with the other's
    // vectors and miss the exact match.
    for (const [i, hits] of results.slice(0, -1).entries()) {
      const found = hits as { text: string; energy: number }[];
      expect(found[0]?.text).toBe(TEXTS[i % TEXTS.length]);
      expect(found[0]?.energy).toBeCloseTo(0, 4);
    }
  });

  it('refuses an unregistered version or a mismatched index', async () => {
    const candidate = new HashingEncoder('v2');
    const index = await service.buildIndexFor(candidate);

    await expect(service.activateModel(candidate, index)).rejects.toMatchObject(
      { code: 'not_found' },
    );
    await expect(
      service.activateModel(new HashingEncoder('v3'), index),
    ).rejects.toMatchObject({ code: 'bad_input' });
    expect(service.status().modelVersion).toBe(TEST_MODEL_VERSION);
  });

  it('re-embeds an ingest whose model was swapped mid-way', async () => {
    // A slow serving encoder keeps the ingest waiting while the swap runs.
    await service.close();
    removeDir(dataDir);
    dataDir = tempDir('swap');
    const slow = new HashingEncoder('v1', 50);
    service = await startDedupService(testConfig(dataDir, modelDir), {
      encoder: slow,
    });
    const candidate = new HashingEncoder('v2');
    const index = await service.buildIndexFor(candidate);
    register('v2');

    const ingest = service.ingest([{ text: 'during the swap ?' }]);
    await service.activateModel(candidate, index);
    const [result] = await ingest;
    const id = result?.item.id as number;

    expect(service.items.loadVectors('v1', [id]).size).toBe(0);
    expect(service.items.loadVectors('v2', [id]).size).toBe(1);
    const hits = await service.search('during the swap ?', 1);
    expect(hits[0]?.id).toBe(id);
    expect(hits[0]?.energy).toBeCloseTo(0, 5);
    expect(slow.disposed).toBe(true);
  });
});
