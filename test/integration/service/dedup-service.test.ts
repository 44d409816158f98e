import {
  afterAll,
  afterEach,
  beforeAll,
  beforeEach,
  describe,
  expect,
  it,
} from 'vitest';

import { SiameseEncoder } from '../../../src/encoder/siamese-encoder.js';
import { AppError } from '../../../src/errors/app-error.js';
import type { IndexThread } from '../../../src/index/index-thread.js';
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
import { stopFromOutside } from '../index/stop-thread.js';

const QUESTIONS = [
  'How do I learn to play the guitar ?',
  'What is the best way to lose weight ?',
  'Why is the sky blue ?',
  'How can I improve my English writing ?',
  'What are good books about history ?',
];

/** The error `promise` rejects with, or `fn` throws. */
async function failure(run: () => unknown): Promise<AppError> {
  try {
    await run();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected an AppError');
}

describe('DedupService', () => {
  let modelDir: string;
  let dataDir: string;
  let service: DedupService;

  beforeAll(async () => {
    modelDir = await saveTestModel(tempDir('service-model'));
  });
  afterAll(() => removeDir(modelDir));

  beforeEach(async () => {
    dataDir = tempDir('service');
    service = await startDedupService(testConfig(dataDir, modelDir));
  });
  afterEach(async () => {
    await service.close();
    removeDir(dataDir);
  });

  it('registers and activates the model it serves', () => {
    expect(service.status()).toMatchObject({
      ready: true,
      modelVersion: TEST_MODEL_VERSION,
      indexSize: 0,
      indexOrigin: 'rebuilt',
    });
    expect(service.models.active()?.version).toBe(TEST_MODEL_VERSION);
  });

  it('registers the evaluation a model folder carries', async () => {
    const dir = tempDir('model-with-metrics');
    const encoder = await SiameseEncoder.create({ units: 8 }, 3);
    encoder.version = 'evaluated';
    const metrics = { 'quora/test-a.tsv': { n: 10, accuracy: 0.7 } };
    encoder.save(dir, { metrics });
    encoder.dispose();
    const otherData = tempDir('data');
    const other = await startDedupService(testConfig(otherData, dir));
    try {
      expect(other.models.get('evaluated')?.metrics).toEqual(metrics);
    } finally {
      await other.close();
      removeDir(dir);
      removeDir(otherData);
    }
  });

  it('stops being ready, saying why, when its index thread stops', async () => {
    await service.ingest(QUESTIONS.map((text) => ({ text })));
    const serving = (
      service as unknown as { slot: { current: { index: IndexThread } } }
    ).slot.current.index;

    await stopFromOutside(serving);

    expect(service.ready).toBe(false);
    expect(service.status().ready).toBe(false);
    const err = await failure(() => service.search('Why is the sky blue ?', 2));
    expect(err.code).toBe('not_ready');
    expect(err.message).toMatch(/index thread stopped.*restart the service/);
  });

  it('finds an ingested item first, at energy about 0', async () => {
    await service.ingest(QUESTIONS.map((text) => ({ text })));

    const hits = await service.search(QUESTIONS[2] as string, 3);

    expect(hits).toHaveLength(3);
    expect(hits[0]?.text).toBe(QUESTIONS[2]);
    expect(hits[0]?.energy).toBeCloseTo(0, 5);
    expect(hits[0]?.similarity).toBeCloseTo(1, 5);
    const energies = hits.map((hit) => hit.energy);
    expect(energies).toEqual([...energies].sort((a, b) => a - b));
  });

  it("finds a stored item's neighbours from its vector, itself left out", async () => {
    const results = await service.ingest(QUESTIONS.map((text) => ({ text })));
    const item = results[2]?.item as { id: number; text: string };

    const byText = await service.search(item.text, 4);
    const byItem = await service.searchItem(item, 3);

    expect(byItem.map((hit) => hit.id)).toEqual(
      byText.slice(1).map((hit) => hit.id),
    );
    byItem.forEach((hit, i) => {
      expect(hit.energy).toBeCloseTo(byText[i + 1]?.energy ?? NaN, 5);
    });
    // An item the index does not hold yet is embedded from its text.
    const missing = { id: 10_000, text: item.text };
    expect((await service.searchItem(missing, 1))[0]?.id).toBe(item.id);
  });

  it('flags a text that was ingested before as a duplicate', async () => {
    const [first] = await service.ingest([{ text: QUESTIONS[0] as string }]);
    expect(first?.duplicate).toBe(false);
    expect(first?.duplicates).toEqual([]);

    const [again] = await service.ingest([{ text: QUESTIONS[0] as string }]);

    expect(again?.duplicate).toBe(true);
    expect(again?.duplicates[0]).toMatchObject({
      id: first?.item.id,
      text: QUESTIONS[0],
    });
    expect(again?.duplicates[0]?.energy).toBeCloseTo(0, 5);
    expect(again?.duplicates.map((d) => d.id)).not.toContain(again?.item.id);
  });

  it('compares each batch item only with what came before it', async () => {
    const text = QUESTIONS[1] as string;
    const [a, b] = await service.ingest([{ text }, { text }]);

    expect(a?.duplicate).toBe(false);
    expect(b?.duplicate).toBe(true);
    expect(b?.duplicates[0]?.id).toBe(a?.item.id);
  });

  it('keeps at most INGEST_NEIGHBOURS within the margin', async () => {
    await service.ingest(QUESTIONS.map((text) => ({ text })));
    const [result] = await service.ingest([{ text: 'Why is the sea blue ?' }]);
    const limit = service.config.INGEST_NEIGHBOURS;

    expect(result?.duplicates.length).toBeLessThanOrEqual(limit);
    for (const hit of result?.duplicates ?? []) {
      expect(hit.similarity).toBeGreaterThan(0);
    }
  });

  it('stores nothing of a batch with a taken external id', async () => {
    await service.ingest([{ text: 'first', externalId: 'x-1' }]);
    const before = service.items.count();

    const err = await failure(() =>
      service.ingest([
        { text: 'second', externalId: 'x-2' },
        { text: 'third', externalId: 'x-1' },
      ]),
    );

    expect(err.code).toBe('conflict');
    expect(service.items.count()).toEqual(before);
    expect(service.status().indexSize).toBe(1);
  });

  it('refuses blank and over-long texts before storing anything', async () => {
    const blank = await failure(() => service.ingest([{ text: ' \t ' }]));
    const long = await failure(() =>
      service.search('x'.repeat(service.config.MAX_TEXT_CHARS + 1), 1),
    );

    expect(blank).toMatchObject({ code: 'bad_input' });
    expect(blank.details).toEqual({ field: 'text' });
    expect(long).toMatchObject({ code: 'bad_input' });
    expect(service.items.count()).toEqual({ live: 0, deleted: 0 });
  });

  it('scores identical texts at energy 0 as duplicates', async () => {
    const same = await service.score('Is it raining ?', 'Is it raining ?');
    const other = await service.score('Is it raining ?', 'I like cheese');

    expect(same).toEqual({ energy: 0, similarity: 1, duplicate: true });
    expect(other.energy).toBeGreaterThan(0);
    expect(other.similarity).toBeLessThan(1);
  });

  it('deletes items from the store and from searches', async () => {
    const results = await service.ingest(QUESTIONS.map((text) => ({ text })));
    const id = results[2]?.item.id as number;

    service.deleteItem(id);

    expect((await failure(() => service.getItem(id))).code).toBe('not_found');
    expect((await failure(() => service.deleteItem(id))).code).toBe(
      'not_found',
    );
    const hits = await service.search(QUESTIONS[2] as string, 10);
    expect(hits.map((hit) => hit.id)).not.toContain(id);
    expect(hits).toHaveLength(QUESTIONS.length - 1);
  });

  it('rebuilds the index once enough of it is deleted', async () => {
    const results = await service.ingest(QUESTIONS.map((text) => ({ text })));

    // Default share 0.2: the first deletion of five starts a rebuild.
    service.deleteItem(results[0]?.item.id as number);
    await service.rebuildIndex();

    expect(service.status()).toMatchObject({
      indexSize: QUESTIONS.length - 1,
      indexDeleted: 0,
    });
    const hits = await service.search(QUESTIONS[1] as string, 1);
    expect(hits[0]?.text).toBe(QUESTIONS[1]);
  });

  it('checks k and max_energy', async () => {
    for (const k of [0, -1, 1.5, service.config.MAX_K + 1]) {
      const err = await failure(() => service.search('hello', k));
      expect(err.details).toEqual({ field: 'k' });
    }
    const err = await failure(() => service.search('hello', 1, -1));
    expect(err.details).toEqual({ field: 'max_energy' });
  });

  it('keeps hits within max_energy', async () => {
    await service.ingest(QUESTIONS.map((text) => ({ text })));

    const hits = await service.search(QUESTIONS[0] as string, 5, 1e-6);

    expect(hits.map((hit) => hit.text)).toEqual([QUESTIONS[0]]);
  });

  it('labels pairs by item id and by text, and pages them', async () => {
    const [a, b] = await service.ingest([{ text: 'one' }, { text: 'two' }]);
    const aId = a?.item.id as number;
    const bId = b?.item.id as number;

    const [byId] = service.addPairs(
      [{ a: { itemId: aId }, b: { itemId: bId }, label: 0 }],
      { source: 'api', who: 'tester' },
      '',
    );
    const byText = service.addPairs(
      [
        { a: { text: 'x ?' }, b: { text: 'y ?' }, label: 1 },
        { a: { itemId: aId }, b: { text: 'uno' }, label: 1 },
      ],
      { source: 'api' },
    );

    expect(byId).toMatchObject({
      aItemId: aId,
      a: 'one',
      bItemId: bId,
      b: 'two',
      label: 0,
      source: 'api',
      who: 'tester',
    });
    expect(byText[1]).toMatchObject({ aItemId: aId, a: 'one', b: 'uno' });

    const first = service.listPairs({ limit: 2 });
    expect(first.total).toBe(3);
    expect(first.pairs.map((p) => p.id)).toEqual([byId?.id, byText[0]?.id]);
    const next = service.listPairs({ limit: 2, after: first.nextAfter ?? 0 });
    expect(next.pairs.map((p) => p.id)).toEqual([byText[1]?.id]);
    expect(next.nextAfter).toBeNull();
    expect(service.listPairs({ label: 1 }).total).toBe(2);
    expect(service.listPairs({ who: 'tester' }).total).toBe(1);
  });

  it('refuses pairs naming deleted or unknown items', async () => {
    const [a] = await service.ingest([{ text: 'one' }]);
    const id = a?.item.id as number;
    service.deleteItem(id);

    const err = await failure(() =>
      service.addPairs(
        [{ a: { itemId: id }, b: { text: 'two' }, label: 1 }],
        { source: 'api' },
        '',
      ),
    );

    expect(err.code).toBe('not_found');
    expect(err.details).toMatchObject({ field: 'a_id' });
    expect(service.pairs.count()).toBe(0);
  });
});

describe('DedupService before start', () => {
  it('answers not_ready, then works once started', async () => {
    const modelDir = await saveTestModel(tempDir('service-model'));
    const dataDir = tempDir('service');
    const service = openDedupService(testConfig(dataDir, modelDir));
    try {
      expect(service.ready).toBe(false);
      expect((await failure(() => service.search('x', 1))).code).toBe(
        'not_ready',
      );

      await service.start();

      expect(service.ready).toBe(true);
      expect(await service.search('x', 1)).toEqual([]);
    } finally {
      await service.close();
      removeDir(dataDir);
      removeDir(modelDir);
    }
  });

  it('fails to start with a clear message when the model is missing', async () => {
    const dataDir = tempDir('service');
    try {
      const err = await failure(() =>
        startDedupService(testConfig(dataDir, `${dataDir}/no-model`)),
      );
      expect(err.code).toBe('model_invalid');
      expect(err.message).toMatch(/no-model does not exist.*MODEL_DIR/s);
    } finally {
      removeDir(dataDir);
    }
  });
});
