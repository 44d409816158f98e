/**
 * A trained (or freshly initialised) siamese encoder: the network's weights,
 * its configuration and calibrated threshold, and the word inputs it reads.
 */
import path from 'node:path';

import * as tf from '@tensorflow/tfjs';

import { defaultModelDir } from '../config/paths.js';
import { AppError, ErrorCode } from '../errors/app-error.js';
import type { Logger } from '../logging/logger.js';
import { WordVectors } from '../vectors/word-vectors.js';
import { initBackend, type BackendChoice } from './backend.js';
import {
  encode,
  initWeights,
  outputSize,
  toTensors,
  weightShapes,
  type Weights,
} from './lstm-network.js';
import {
  MODEL_FORMAT,
  readModel,
  writeModel,
  type ModelManifest,
} from './model-files.js';
import type { EncoderConfig, SentenceEncoder } from './types.js';
import { SentenceForward } from './sentence-forward.js';
import { WordInputs, type TokenRows } from './word-inputs.js';

/** Sentences embedded per forward pass. */
export const EMBED_BATCH = 256;

/**
 * Up to this many sentences are embedded one by one in plain TypeScript
 * (sentence-forward.ts) rather than as a tfjs batch: measured here, the
 * two cost the same at about 16 sentences; below, the batch's fixed
 * kernel costs dominate.
 */
export const SINGLE_PATH_MAX = 16;

/** Settings of a new model; every field has a default. */
export const DEFAULT_CONFIG: EncoderConfig = {
  vectors: 'glove-6b-100d',
  inputDim: 100,
  maxLength: 48,
  units: 64,
  bidirectional: false,
  pooling: 'mean',
  wordSkip: true,
  projection: 64,
  normalize: true,
  oovBuckets: 2048,
  lexicalDim: 0,
  margin: 1,
};

const sharedVectors = new Map<string, WordVectors>();

/** Loads word vectors once per process and cache file. */
export function loadVectors(file?: string, log?: Logger): WordVectors {
  const key = file ?? '';
  let vectors = sharedVectors.get(key);
  if (!vectors) {
    vectors = WordVectors.load(file, log);
    sharedVectors.set(key, vectors);
  }
  return vectors;
}

/** Options for loading or creating an encoder. */
export interface EncoderOptions {
  /** Word-vector cache file; default `.cache/glove-6b-100d.bin`. */
  vectorsFile?: string;
  /** tfjs backend preference; default auto. */
  backend?: BackendChoice;
  log?: Logger;
}

/** A siamese LSTM encoder ready to embed or train. */
export class SiameseEncoder implements SentenceEncoder {
  readonly dim: number;
  readonly inputs: WordInputs;
  threshold: number;
  version: string;
  manifest: ModelManifest;
  /** The one-sentence path and the weight data it was made from. */
  private single: { ids: object[]; path: SentenceForward } | undefined;

  private constructor(
    manifest: ModelManifest,
    readonly weights: Weights,
    private readonly vectors: WordVectors,
  ) {
    this.manifest = manifest;
    this.version = manifest.version;
    this.threshold = manifest.threshold;
    this.dim = outputSize(manifest.config);
    this.inputs = new WordInputs(vectors, manifest.config);
  }

  /** Configuration of the network. */
  get config(): EncoderConfig {
    return this.manifest.config;
  }

  /** Contrastive margin the model was trained with. */
  get margin(): number {
    return this.manifest.config.margin;
  }

  /** A new, untrained encoder. */
  static async create(
    config: Partial<EncoderConfig> = {},
    seed = 1,
    options: EncoderOptions = {},
  ): Promise<SiameseEncoder> {
    await initBackend(options.backend, options.log);
    const vectors = loadVectors(options.vectorsFile, options.log);
    const full: EncoderConfig = {
      ...DEFAULT_CONFIG,
      ...config,
      vectors: vectors.source,
      inputDim: vectors.dim,
    };
    const manifest: ModelManifest = {
      format: MODEL_FORMAT,
      version: 'untrained',
      createdAt: new Date().toISOString(),
      config: full,
      threshold: full.margin / 2,
      vectors: { source: vectors.source, checksum: vectors.checksum },
      weights: [],
      training: {},
    };
    return new SiameseEncoder(manifest, initWeights(full, seed), vectors);
  }

  /** Loads the model at `dir` (default: the shipped model). */
  static async load(
    dir: string = defaultModelDir,
    options: EncoderOptions = {},
  ): Promise<SiameseEncoder> {
    const files = readModel(dir);
    const manifest = {
      ...files.manifest,
      config: { ...DEFAULT_CONFIG, ...files.manifest.config },
    };
    const vectors = loadVectors(options.vectorsFile, options.log);
    if (manifest.vectors.checksum !== vectors.checksum) {
      options.log?.warn(
        { expected: manifest.vectors, found: vectors.checksum },
        'word vectors differ from those the model was trained with',
      );
    }

    await initBackend(options.backend, options.log);
    const weights: Weights = new Map();
    for (const [name, shape] of weightShapes(manifest.config)) {
      const values = files.values.get(name);
      const size = shape.reduce((a, b) => a * b, 1);
      if (!values || values.length !== size) {
        disposeWeights(weights);
        throw new AppError(
          ErrorCode.ModelInvalid,
          `model at ${dir}: weight ${name} is missing or has the wrong size`,
        );
      }
      const value = tf.tensor(values, shape);
      weights.set(name, tf.variable(value, true));
      value.dispose();
    }
    const encoder = new SiameseEncoder(manifest, weights, vectors);
    encoder.version = manifest.version || path.basename(path.resolve(dir));
    return encoder;
  }

  /** Saves the model atomically to `dir`. */
  save(
    dir: string,
    extra: { metrics?: Record<string, unknown>; card?: string } = {},
  ): void {
    const values = new Map<string, Float32Array>();
    for (const [name, variable] of this.weights) {
      values.set(name, variable.dataSync() as Float32Array);
    }
    const manifest: ModelManifest = {
      ...this.manifest,
      version: this.version,
      threshold: this.threshold,
      weights: [...weightShapes(this.config)].map(([name, shape]) => ({
        name,
        shape,
        offset: 0,
      })),
    };
    writeModel(dir, { manifest, values, ...extra });
    this.manifest = manifest;
  }

  /** A copy with its own weights, for fine-tuning without touching this. */
  clone(): SiameseEncoder {
    const weights: Weights = new Map();
    for (const [name, variable] of this.weights) {
      weights.set(name, tf.variable(variable, true));
    }
    const copy = new SiameseEncoder(
      structuredClone(this.manifest),
      weights,
      this.vectors,
    );
    copy.threshold = this.threshold;
    return copy;
  }

  /** Token rows of each text, as the network reads them. */
  rows(texts: readonly string[]): TokenRows[] {
    return texts.map((text) => this.inputs.rows(text));
  }

  embed(texts: readonly string[]): Promise<Float32Array[]> {
    return Promise.resolve(this.embedRows(this.rows(texts)));
  }

  /**
   * Embeds pre-tokenised sentences. Sentences are sorted by length so each
   * batch carries little padding, then returned in their original order.
   */
  embedRows(sentences: readonly TokenRows[]): Float32Array[] {
    if (sentences.length <= SINGLE_PATH_MAX) {
      const single = this.singlePath();
      return sentences.map((rows) => single.encode(rows));
    }
    const order = sentences
      .map((rows, i) => [rows.length, i] as const)
      .sort((x, y) => x[0] - y[0])
      .map(([, i]) => i);
    const out = new Array<Float32Array>(sentences.length);

    for (let start = 0; start < order.length; start += EMBED_BATCH) {
      const ids = order.slice(start, start + EMBED_BATCH);
      const batch = this.inputs.batch(
        ids.map((i) => sentences[i] as TokenRows),
        this.config.bidirectional,
      );
      const flat = tf.tidy(() =>
        encode(this.weights, this.config, toTensors(batch, this.inputs.dim)),
      );
      const values = flat.dataSync() as Float32Array;
      flat.dispose();
      ids.forEach((id, k) => {
        out[id] = values.slice(k * this.dim, (k + 1) * this.dim);
      });
    }
    return out;
  }

  dispose(): void {
    disposeWeights(this.weights);
    this.single = undefined;
  }

  /**
   * The one-sentence path over the current weights. A variable's data id
   * changes whenever it is assigned (an optimiser step, a restore), so a
   * path made before that is dropped and made again.
   */
  private singlePath(): SentenceForward {
    const ids = [...this.weights.values()].map((v) => v.dataId);
    const held = this.single;
    if (held && held.ids.length === ids.length) {
      if (held.ids.every((id, i) => id === ids[i])) return held.path;
    }
    const values = new Map<string, Float32Array>();
    for (const [name, variable] of this.weights) {
      values.set(name, variable.dataSync() as Float32Array);
    }
    const path = new SentenceForward(this.config, this.inputs, values);
    this.single = { ids, path };
    return path;
  }
}

function disposeWeights(weights: Weights): void {
  for (const variable of weights.values()) variable.dispose();
  weights.clear();
}
