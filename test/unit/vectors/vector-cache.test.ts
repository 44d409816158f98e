// The binary word-vector cache: what is written reads back bit for bit,
// and a damaged file fails with a message naming it.
import fs from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { AppError, ErrorCode } from '../../../src/errors/app-error.js';
import {
  readVectorCache,
  writeVectorCache,
  type VectorTable,
} from '../../../src/vectors/vector-cache.js';
import { WordVectors } from '../../../src/vectors/word-vectors.js';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'siamese-vectors-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A tiny table; the repeated word checks that the first row wins. */
function tinyTable(): VectorTable {
  const words = ['the', 'café', '日本', "n't", '🙂', 'the'];
  const dim = 3;
  return {
    header: {
      source: 'tiny-3d',
      dim,
      count: words.length,
      wordsBytes: 0,
      checksum: '',
    },
    words,
    matrix: Float32Array.from({ length: words.length * dim }, (_, i) =>
      i % 2 ? -i / 7 : i * 1e-3,
    ),
  };
}

function thrownBy(read: () => unknown): AppError {
  try {
    read();
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    return err as AppError;
  }
  throw new Error('expected an error');
}

describe('vector cache', () => {
  it('reads back what was written', () => {
    const file = path.join(dir, 'nested', 'tiny.bin');
    const table = tinyTable();
    writeVectorCache(file, table);

    const back = readVectorCache(file);
    expect(back.words).toEqual(table.words);
    expect(back.matrix).toEqual(table.matrix);
    expect(back.header).toMatchObject({ source: 'tiny-3d', dim: 3, count: 6 });
    expect(back.header.checksum).toMatch(/^[0-9a-f]{16}$/);
    // Written atomically: no temporary file stays behind.
    expect(fs.readdirSync(path.dirname(file))).toEqual(['tiny.bin']);
  });

  it('has a checksum that follows the content', () => {
    const table = tinyTable();
    writeVectorCache(path.join(dir, 'a.bin'), table);
    writeVectorCache(path.join(dir, 'b.bin'), table);
    const changed = tinyTable();
    changed.matrix[4] = 0.5;
    writeVectorCache(path.join(dir, 'c.bin'), changed);

    const sum = (name: string) =>
      readVectorCache(path.join(dir, name)).header.checksum;
    expect(sum('b.bin')).toBe(sum('a.bin'));
    expect(sum('c.bin')).not.toBe(sum('a.bin'));
  });

  it('loads as word vectors with lookups by word and row', () => {
    const file = path.join(dir, 'tiny.bin');
    const table = tinyTable();
    writeVectorCache(file, table);

    const vectors = WordVectors.load(file);
    expect(vectors.size).toBe(6);
    expect(vectors.dim).toBe(3);
    expect(vectors.source).toBe('tiny-3d');
    expect(vectors.indexOf('日本')).toBe(2);
    expect(vectors.indexOf('the')).toBe(0);
    expect(vectors.indexOf('missing')).toBe(-1);
    expect(vectors.lookup('🙂')).toEqual(table.matrix.subarray(12, 15));
    expect(vectors.row(1)).toEqual(table.matrix.subarray(3, 6));
    expect(vectors.lookup('missing')).toBeUndefined();
  });

  it('rejects a file cut inside the vectors, naming it', () => {
    const file = path.join(dir, 'tiny.bin');
    writeVectorCache(file, tinyTable());
    fs.truncateSync(file, fs.statSync(file).size - 4);

    const err = thrownBy(() => readVectorCache(file));
    expect(err.code).toBe(ErrorCode.BadFile);
    expect(err.message).toContain(file);
    expect(err.message).toContain('truncated');
  });

  it('rejects a file with extra bytes after the vectors', () => {
    const file = path.join(dir, 'tiny.bin');
    writeVectorCache(file, tinyTable());
    fs.appendFileSync(file, Buffer.alloc(8));

    const err = thrownBy(() => readVectorCache(file));
    expect(err.code).toBe(ErrorCode.BadFile);
    expect(err.message).toContain(file);
  });

  it('rejects a file that is not a vector cache, naming it', () => {
    const file = path.join(dir, 'words.txt');
    fs.writeFileSync(file, 'the 0.1 0.2 0.3\n');

    const err = thrownBy(() => WordVectors.load(file));
    expect(err.code).toBe(ErrorCode.BadFile);
    expect(err.message).toContain(file);
    expect(err.message).toContain('bad magic');
  });
});
