import {
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';

import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { INDEX_FILE, MANIFEST_FILE } from '../../../src/index/index-files.js';
import { VectorIndex } from '../../../src/index/vector-index.js';
import { makeTempDir } from '../store/temp-db.js';
import { randomVectors } from './random-vectors.js';

const DIM = 8;
const expected = { modelVersion: 'm1', dim: DIM };

/** A logger that keeps what it writes, to check why a load was refused. */
function recordingLogger() {
  const lines: { level: number; reason?: string; msg: string }[] = [];
  const logger = pino(
    { level: 'debug' },
    { write: (line: string) => lines.push(JSON.parse(line) as never) },
  );
  return { logger, lines };
}

describe('VectorIndex save and load', () => {
  let dir: string;
  let index: VectorIndex;
  let vectors: Float32Array[];

  beforeEach(async () => {
    dir = makeTempDir('index');
    vectors = randomVectors(120, DIM, 11);
    index = new VectorIndex({ ...expected, initialCapacity: 16 });
    index.addMany(vectors.map((vector, i) => ({ id: i + 1, vector })));
    index.remove(7);
    index.remove(8);
    await index.save(dir);
  });

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  const indexFile = () => path.join(dir, INDEX_FILE);
  const manifestFile = () => path.join(dir, MANIFEST_FILE);

  it('round-trips entries, deletions and search results', async () => {
    const loaded = await VectorIndex.load(dir, expected);

    expect(loaded).not.toBeNull();
    expect(loaded?.size).toBe(118);
    expect(loaded?.deletedCount).toBe(2);
    expect(loaded?.has(7)).toBe(false);
    for (const query of randomVectors(10, DIM, 12)) {
      expect(loaded?.search(query, 5)).toEqual(index.search(query, 5));
    }

    loaded?.add(500, vectors[0] as Float32Array);
    expect(loaded?.size).toBe(119);
  });

  it('writes a manifest with the checksum and leaves no temp files', () => {
    const manifest = JSON.parse(readFileSync(manifestFile(), 'utf8')) as {
      checksum: string;
    };

    expect(manifest).toMatchObject({
      format: 1,
      modelVersion: 'm1',
      dim: DIM,
      space: 'l2',
      count: 118,
      deletedIds: [7, 8],
      checksum: expect.stringMatching(/^[0-9a-f]{64}$/) as unknown,
    });
    expect(readdirSync(dir).sort()).toEqual([INDEX_FILE, MANIFEST_FILE]);
  });

  it('saves an empty index that loads back empty', async () => {
    const emptyDir = path.join(dir, 'empty');
    await new VectorIndex(expected).save(emptyDir);

    const loaded = await VectorIndex.load(emptyDir, expected);

    expect(loaded?.size).toBe(0);
    expect(loaded?.search(vectors[0] as Float32Array, 3)).toEqual([]);
  });

  it('overwrites an earlier save', async () => {
    index.add(1000, vectors[1] as Float32Array);
    await Promise.all([index.save(dir), index.save(dir)]);

    const loaded = await VectorIndex.load(dir, expected);
    expect(loaded?.has(1000)).toBe(true);
  });

  it('refuses a truncated index file', async () => {
    truncateSync(indexFile(), Math.floor(statSync(indexFile()).size / 2));
    const { logger, lines } = recordingLogger();

    expect(await VectorIndex.load(dir, expected, { logger })).toBeNull();
    expect(lines.at(-1)).toMatchObject({ level: 40 });
    expect(lines.at(-1)?.reason).toMatch(/sha256/);
  });

  it('refuses an index file with one byte changed', async () => {
    const bytes = readFileSync(indexFile());
    const at = Math.floor(bytes.length / 2);
    bytes[at] = (bytes[at] ?? 0) ^ 0xff;
    writeFileSync(indexFile(), bytes);

    expect(await VectorIndex.load(dir, expected)).toBeNull();
  });

  it('refuses another model version or vector length', async () => {
    const { logger, lines } = recordingLogger();

    const other = await VectorIndex.load(
      dir,
      { modelVersion: 'm2', dim: DIM },
      { logger },
    );
    const wider = await VectorIndex.load(dir, { modelVersion: 'm1', dim: 9 });

    expect(other).toBeNull();
    expect(wider).toBeNull();
    expect(lines.at(-1)?.reason).toMatch(/model version m1, expected m2/);
  });

  it('refuses a missing folder, manifest or index file', async () => {
    const { logger, lines } = recordingLogger();
    expect(
      await VectorIndex.load(path.join(dir, 'absent'), expected, { logger }),
    ).toBeNull();
    expect(lines.at(-1)).toMatchObject({ level: 30 });

    rmSync(indexFile());
    expect(await VectorIndex.load(dir, expected)).toBeNull();
    rmSync(manifestFile());
    expect(await VectorIndex.load(dir, expected)).toBeNull();
  });

  it('refuses a manifest that is not JSON or not a manifest', async () => {
    writeFileSync(manifestFile(), '{ not json');
    expect(await VectorIndex.load(dir, expected)).toBeNull();

    writeFileSync(manifestFile(), JSON.stringify({ modelVersion: 'm1' }));
    expect(await VectorIndex.load(dir, expected)).toBeNull();
  });

  it('refuses a manifest whose counts disagree with the file', async () => {
    const manifest = JSON.parse(readFileSync(manifestFile(), 'utf8')) as {
      count: number;
    };
    manifest.count += 1;
    writeFileSync(manifestFile(), JSON.stringify(manifest));
    const { logger, lines } = recordingLogger();

    expect(await VectorIndex.load(dir, expected, { logger })).toBeNull();
    expect(lines.at(-1)?.reason).toMatch(/manifest says/);
  });
});
