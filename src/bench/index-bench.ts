/**
 * The `index` benchmark part: the HNSW index alone (no HTTP, no
 * encoder in the timed loop) at several sizes. For each size: build
 * time and throughput, memory, load time of the saved graph, and query
 * latency and recall@10 against exact search at several ef, the
 * configured HNSW_EF among them. Small sizes hold real sentence
 * embeddings of the model; sizes above --real-max hold random unit
 * vectors, which cost nothing to make and are a harder case for HNSW.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import * as tf from '@tensorflow/tfjs';

import { loadConfig } from '../config/config.js';
import { mulberry32 } from '../data/seeded-random.js';
import { outputSize } from '../encoder/lstm-network.js';
import { readModel } from '../encoder/model-files.js';
import { SiameseEncoder } from '../encoder/siamese-encoder.js';
import { INDEX_FILE } from '../index/index-files.js';
import { grownEf, tuningFromConfig } from '../index/index-options.js';
import { VectorIndex } from '../index/vector-index.js';
import {
  corpusOf,
  describeCorpus,
  describeSources,
  realTexts,
} from './bench-corpus.js';
import type { BenchOptions } from './bench-options.js';
import type { BenchPart } from './bench-part.js';
import {
  exactNearest,
  recallOf,
  type ExactHit,
  type VectorRows,
} from './exact-search.js';
import { summarise } from './latency.js';
import {
  renderIndexReport,
  type EfResult,
  type SizeResult,
} from './index-report.js';
import { stopwatch } from './timing.js';

/** Neighbours per query; recall is measured at this k. */
export const K = 10;

/** Vector length of the random sets: that of the model's vectors. */
function randomDim(options: BenchOptions): number {
  return outputSize(readModel(options.modelDir).manifest.config);
}

/** Vectors added between checks of the build's time bound. */
const CHUNK = 1000;

/** Untimed queries before each timed series. */
const WARM_UP = 50;

/** Fixed beam widths searched at every size, beside the configured one. */
const SWEPT_EFS = [50, 100, 200, 300, 400];

/** `count` random unit vectors of length `dim` (Gaussian, normalised). */
function randomRows(count: number, dim: number, seed: number): VectorRows {
  const random = mulberry32(seed);
  const values = new Float32Array(count * dim);
  for (let r = 0; r < count; r++) {
    let norm = 0;
    for (let j = 0; j < dim; j++) {
      // Box-Muller; 1 - random() avoids log(0).
      const u = 1 - random();
      const x = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
      values[r * dim + j] = x;
      norm += x * x;
    }
    const scale = 1 / Math.sqrt(norm);
    for (let j = 0; j < dim; j++) values[r * dim + j]! *= scale;
  }
  return { values, dim, count };
}

/** Stacks embeddings into rows. */
function rowsOf(vectors: Float32Array[], dim: number): VectorRows {
  const values = new Float32Array(vectors.length * dim);
  vectors.forEach((v, r) => values.set(v, r * dim));
  return { values, dim, count: vectors.length };
}

const rowAt = (rows: VectorRows, r: number) =>
  rows.values.subarray(r * rows.dim, (r + 1) * rows.dim);

/** The vectors of one size: stored rows, query rows, and their origin. */
interface SizeData {
  rows: VectorRows;
  queries: VectorRows;
  kind: 'real' | 'random';
  origin: string;
}

async function sizeData(
  size: number,
  options: BenchOptions,
  embed: () => Promise<SiameseEncoder>,
): Promise<SizeData> {
  if (size > options.realMax) {
    const dim = randomDim(options);
    return {
      rows: randomRows(size, dim, size),
      queries: randomRows(options.queries, dim, size + 1),
      kind: 'random',
      origin:
        `${dim}-d random unit vectors (Gaussian, normalised), the length ` +
        "of the model's vectors; queries are further random vectors.",
    };
  }
  const real = await realTexts();
  const corpus = corpusOf(real.stored, size);
  const encoder = await embed();
  const stored = await encoder.embed(corpus.texts);
  const queries = await encoder.embed(real.queries.slice(0, options.queries));
  return {
    rows: rowsOf(stored, encoder.dim),
    queries: rowsOf(queries, encoder.dim),
    kind: 'real',
    origin:
      `embeddings by the model of ${describeCorpus(corpus)} Queries are ` +
      'embeddings of real texts kept out of the index. ' +
      describeSources(real.files),
  };
}

/** Builds an index of `rows` within `seconds` of wall time. */
function build(rows: VectorRows, seconds: number) {
  const config = loadConfig({});
  const index = new VectorIndex({
    ...tuningFromConfig(config),
    dim: rows.dim,
    modelVersion: 'bench',
    initialCapacity: rows.count,
  });
  const elapsed = stopwatch();
  let added = 0;
  while (added < rows.count && elapsed().wall < seconds) {
    const end = Math.min(rows.count, added + CHUNK);
    const entries = [];
    for (let r = added; r < end; r++) {
      entries.push({ id: r + 1, vector: rowAt(rows, r) });
    }
    index.addMany(entries);
    added = end;
  }
  return { index, added, time: elapsed() };
}

/** Times every query at `ef` and measures its recall@K. */
async function searchAt(
  dir: string,
  tuning: { ef: number; growEf: boolean },
  data: SizeData,
  exact: ExactHit[][],
): Promise<EfResult> {
  const loading = stopwatch();
  const index = await VectorIndex.load(
    dir,
    { modelVersion: 'bench', dim: data.rows.dim },
    tuning,
  );
  if (!index) throw new Error(`the index saved in ${dir} did not load`);
  const loadSeconds = loading().wall;

  const queries = data.queries;
  for (let q = 0; q < Math.min(WARM_UP, queries.count); q++) {
    index.search(rowAt(queries, q), K);
  }
  const times: number[] = [];
  let recall = 0;
  for (let q = 0; q < queries.count; q++) {
    const started = performance.now();
    const hits = index.search(rowAt(queries, q), K);
    times.push(performance.now() - started);
    recall += recallOf(
      hits.map((h) => ({ row: h.id - 1, d: h.energy * h.energy })),
      exact[q] ?? [],
    );
  }
  return {
    ef: index.ef,
    configured: tuning.growEf,
    recall: recall / queries.count,
    latency: summarise(times),
    loadSeconds,
  };
}

async function measureSize(
  size: number,
  options: BenchOptions,
  embed: () => Promise<SiameseEncoder>,
  log: (line: string) => void,
): Promise<SizeResult> {
  log(`index: ${size} vectors`);
  const data = await sizeData(size, options, embed);
  const config = loadConfig({});

  const rssBefore = process.memoryUsage().rss;
  const built = build(data.rows, options.buildSeconds);
  const rssAfter = process.memoryUsage().rss;
  log(`index: built ${built.added} in ${built.time.wall.toFixed(1)} s`);

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-index-'));
  try {
    await built.index.save(dir);
    const fileBytes = fs.statSync(path.join(dir, INDEX_FILE)).size;

    // Exact search over what was built, when the bound stopped it early.
    const searched = { ...data.rows, count: built.added };
    log(`index: exact search of ${data.queries.count} queries`);
    const exactTime = stopwatch();
    const exact = Array.from({ length: data.queries.count }, (_, q) =>
      exactNearest(searched, rowAt(data.queries, q), K),
    );
    const exactSeconds = exactTime().wall;

    // Fixed beams, then the configured HNSW_EF as the service widens
    // it for this size, unless that is one of them.
    const searches: EfResult[] = [];
    const configuredEf = grownEf(config.HNSW_EF, built.added);
    for (const ef of SWEPT_EFS) {
      log(`index: ${size} vectors, ef ${ef}`);
      const growEf = ef === configuredEf && ef === config.HNSW_EF;
      searches.push(await searchAt(dir, { ef, growEf }, data, exact));
    }
    if (!searches.some((s) => s.configured)) {
      log(`index: ${size} vectors, HNSW_EF ${config.HNSW_EF} grown`);
      const tuning = { ef: config.HNSW_EF, growEf: true };
      searches.push(await searchAt(dir, tuning, data, exact));
    }
    searches.sort((a, b) => a.ef - b.ef);
    return {
      size,
      built: built.added,
      dim: data.rows.dim,
      kind: data.kind,
      origin: data.origin,
      build: built.time,
      rssGrowth: rssAfter - rssBefore,
      fileBytes,
      exactSeconds,
      searches,
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The index part of `npm run bench`. */
export const indexPart: BenchPart = {
  name: 'index',
  title: 'Index: HNSW build, query latency and recall',
  async run(log, options) {
    let encoder: SiameseEncoder | undefined;
    const embed = async () => {
      encoder ??= await SiameseEncoder.load(options.modelDir);
      return encoder;
    };

    const results: SizeResult[] = [];
    try {
      for (const size of options.indexSizes) {
        results.push(await measureSize(size, options, embed, log));
      }
    } finally {
      encoder?.dispose();
    }
    const config = loadConfig({});
    return {
      body: renderIndexReport({
        results,
        tuning: tuningFromConfig(config),
        options,
        modelDir: encoder ? options.modelDir : undefined,
      }),
      backends: encoder ? [tf.getBackend()] : [],
    };
  },
};
