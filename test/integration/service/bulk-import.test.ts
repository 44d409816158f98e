import { writeFileSync } from 'node:fs';
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

import { importItems, importPairs } from '../../../src/service/bulk-import.js';
import type { DedupService } from '../../../src/service/dedup-service.js';
import { startDedupService } from '../../../src/service/open-service.js';
import { runCommand } from './cli-process.js';
import {
  removeDir,
  saveTestModel,
  tempDir,
  testConfig,
  TEST_MODEL_VERSION,
} from './fixtures.js';

/** A TSV item file of `n` questions, external ids `e0`, `e1`, ... */
function itemFile(dir: string, n: number, extra = ''): string {
  const file = path.join(dir, 'items.tsv');
  const rows = Array.from({ length: n }, (_, i) => `e${i}\tquestion ${i} ?`);
  writeFileSync(file, `external_id\ttext\n${rows.join('\n')}\n${extra}`);
  return file;
}

describe('bulk import', () => {
  let modelDir: string;
  let dataDir: string;
  let service: DedupService;

  beforeAll(async () => {
    modelDir = await saveTestModel(tempDir('import-model'));
  });
  afterAll(() => removeDir(modelDir));

  beforeEach(async () => {
    dataDir = tempDir('import');
    service = await startDedupService(testConfig(dataDir, modelDir));
  });
  afterEach(async () => {
    await service.close();
    removeDir(dataDir);
  });

  it('stores, embeds and indexes items in batches', async () => {
    const file = itemFile(dataDir, 1200);
    const progress: number[] = [];

    const result = await importItems(service, file, {
      onProgress: (done, total) => {
        expect(total).toBe(1200);
        progress.push(done);
      },
    });

    expect(result.count).toBe(1200);
    expect(progress).toEqual([512, 1024, 1200]);
    expect(service.items.countVectors(TEST_MODEL_VERSION)).toBe(1200);
    expect(service.status().indexSize).toBe(1200);
    // The untrained test model reads some numbers alike ("220" and
    // "1100" meet at energy 0), so look among the few nearest.
    const hits = await service.search('question 1100 ?', 5);
    const self = hits.find((h) => h.text === 'question 1100 ?');
    expect(self?.energy).toBeLessThan(1e-3);
    expect(service.items.getByExternalId('e7')?.text).toBe('question 7 ?');
  });

  it('writes nothing when a row is bad, and names file and line', async () => {
    const file = itemFile(dataDir, 600, 'e600\t   \n');

    await expect(importItems(service, file)).rejects.toThrow(
      `${file}:602: empty text in column 'text'`,
    );
    expect(service.items.count().live).toBe(0);
  });

  it('refuses external ids repeated in the file or already stored', async () => {
    const repeated = itemFile(dataDir, 3, 'e1\tagain ?\n');
    await expect(importItems(service, repeated)).rejects.toThrow(
      /items\.tsv:5: external_id "e1" already appears on line 3/,
    );

    await service.ingest([{ text: 'stored', externalId: 'e2' }]);
    const clash = itemFile(dataDir, 3);
    await expect(importItems(service, clash)).rejects.toThrow(
      /items\.tsv:4: external_id "e2" is already used by item 1/,
    );
    expect(service.items.count().live).toBe(1);
  });

  it('imports labelled pairs as text pairs with source import', async () => {
    const file = path.join(dataDir, 'pairs.tsv');
    writeFileSync(
      file,
      'id\ta\tb\tlabel\n1\tHow old are you ?\tWhat is your age ?\t1\n' +
        '2\tIs it cold ?\tIs it late ?\t0\n',
    );

    const result = await importPairs(service, file, 'curator');

    expect(result.count).toBe(2);
    const page = service.listPairs({ source: 'import' });
    expect(page.pairs).toMatchObject([
      { a: 'How old are you ?', aItemId: null, label: 1, who: 'curator' },
      { a: 'Is it cold ?', label: 0, source: 'import' },
    ]);
  });

  it('refuses a graded pair file and a bad label before writing', async () => {
    const graded = path.join(dataDir, 'graded.tsv');
    writeFileSync(graded, 'id\ta\tb\tscore\n1\tx\ty\t3.5\n');
    const bad = path.join(dataDir, 'bad.tsv');
    writeFileSync(bad, 'id\ta\tb\tlabel\n1\tx\ty\t1\n2\tx\tz\tmaybe\n');

    await expect(importPairs(service, graded)).rejects.toThrow(/0\/1 labels/);
    await expect(importPairs(service, bad)).rejects.toThrow(/bad\.tsv:3:/);
    expect(service.pairs.count()).toBe(0);
  });
});

describe('siamese-dedup import', () => {
  it('loads files into DATA_DIR and reports what it stored', async () => {
    const modelDir = await saveTestModel(tempDir('import-cli-model'));
    const dataDir = tempDir('import-cli');
    const env = { DATA_DIR: dataDir, MODEL_DIR: modelDir, LOG_LEVEL: 'warn' };
    try {
      const items = itemFile(dataDir, 20);
      const pairs = path.join(dataDir, 'pairs.jsonl');
      writeFileSync(pairs, '{"a":"x ?","b":"y ?","label":1}\n');

      const ok = await runCommand(
        ['import', '--items', items, '--pairs', pairs],
        env,
      );
      expect(ok.stderr).toBe('');
      expect(ok.code).toBe(0);
      expect(
        ok.stdout
          .trim()
          .split('\n')
          .map((l): unknown => JSON.parse(l)),
      ).toEqual([
        { kind: 'items', file: items, count: 20 },
        { kind: 'pairs', file: pairs, count: 1 },
      ]);

      writeFileSync(items, 'external_id\ttext\nz1\tfine ?\nz2\t\n');
      const bad = await runCommand(['import', '--items', items], env);
      expect(bad.code).toBe(1);
      expect(bad.stderr).toContain(`${items}:3:`);

      const service = await startDedupService(
        testConfig(dataDir, modelDir, { SEED_CORPUS: '' }),
      );
      try {
        expect(service.status()).toMatchObject({
          indexOrigin: 'loaded',
          indexSize: 20,
        });
        expect(service.items.getByExternalId('z1')).toBeUndefined();
      } finally {
        await service.close();
      }
    } finally {
      removeDir(dataDir);
      removeDir(modelDir);
    }
  });
});
