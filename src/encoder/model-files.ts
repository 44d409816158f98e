/**
 * Model directories: `model.json` (configuration, threshold, weight
 * layout, training record), `weights.bin` (float32, little-endian),
 * `metrics.json` and `MODEL_CARD.md`. A directory is written beside its
 * final place and renamed into it, so a crash never leaves half a model.
 */
import fs from 'node:fs';
import path from 'node:path';

import { AppError, ErrorCode } from '../errors/app-error.js';
import type { EncoderConfig } from './types.js';

/** Format tag stored in every model.json. */
export const MODEL_FORMAT = 'siamese-dedup/1';

/** One weight's place in weights.bin. */
export interface WeightEntry {
  name: string;
  shape: number[];
  /** Offset in float32 values from the start of weights.bin. */
  offset: number;
}

/** Contents of model.json. */
export interface ModelManifest {
  format: typeof MODEL_FORMAT;
  /** Version label; by default the directory name. */
  version: string;
  createdAt: string;
  config: EncoderConfig;
  /** Energy at or under which a pair is a duplicate. */
  threshold: number;
  /** The word vectors the model was trained over. */
  vectors: { source: string; checksum: string };
  weights: WeightEntry[];
  /** Data, settings and history of the run that made the model. */
  training: Record<string, unknown>;
}

/** What a saved model holds in memory. */
export interface ModelFiles {
  manifest: ModelManifest;
  values: Map<string, Float32Array>;
  metrics?: Record<string, unknown>;
  card?: string;
}

const REQUIRED = ['model.json', 'weights.bin'];

/** Writes a model directory atomically, replacing any model at `dir`. */
export function writeModel(dir: string, model: ModelFiles): void {
  const target = path.resolve(dir);
  const parent = path.dirname(target);
  fs.mkdirSync(parent, { recursive: true });
  const stamp = `${process.pid}-${Date.now()}`;
  const tmp = path.join(parent, `.${path.basename(target)}.tmp-${stamp}`);

  try {
    fs.mkdirSync(tmp);
    const entries: WeightEntry[] = [];
    let offset = 0;
    for (const [name, values] of model.values) {
      const shape = model.manifest.weights.find((w) => w.name === name)?.shape;
      entries.push({ name, shape: shape ?? [values.length], offset });
      offset += values.length;
    }
    const all = new Float32Array(offset);
    for (const entry of entries) {
      all.set(model.values.get(entry.name) as Float32Array, entry.offset);
    }

    writeSynced(path.join(tmp, 'weights.bin'), new Uint8Array(all.buffer));
    const manifest = { ...model.manifest, weights: entries };
    writeSynced(path.join(tmp, 'model.json'), json(manifest));
    if (model.metrics) {
      writeSynced(path.join(tmp, 'metrics.json'), json(model.metrics));
    }
    if (model.card) writeSynced(path.join(tmp, 'MODEL_CARD.md'), model.card);
    swapInto(tmp, target, stamp);
  } catch (err) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw new AppError(
      ErrorCode.Storage,
      `could not write model to ${target}: ${(err as Error).message}`,
      { dir: target },
      { cause: err },
    );
  }
}

/** Reads a model directory, checking that every part is present. */
export function readModel(dir: string): ModelFiles {
  const target = path.resolve(dir);
  const invalid = (why: string) =>
    new AppError(ErrorCode.ModelInvalid, `model at ${target}: ${why}`, {
      dir: target,
    });

  if (!fs.existsSync(target)) throw invalid('directory does not exist');
  for (const file of REQUIRED) {
    if (!fs.existsSync(path.join(target, file))) {
      throw invalid(`${file} is missing`);
    }
  }

  let manifest: ModelManifest;
  try {
    manifest = JSON.parse(
      fs.readFileSync(path.join(target, 'model.json'), 'utf8'),
    ) as ModelManifest;
  } catch {
    throw invalid('model.json is not valid JSON');
  }
  if (manifest.format !== MODEL_FORMAT) {
    throw invalid(`model.json format is ${String(manifest.format)}`);
  }
  const problem = manifestProblem(manifest);
  if (problem) throw invalid(`model.json ${problem}`);

  const bytes = fs.readFileSync(path.join(target, 'weights.bin'));
  const total = manifest.weights.reduce(
    (n, w) => n + w.shape.reduce((a, b) => a * b, 1),
    0,
  );
  if (bytes.length !== total * 4) {
    throw invalid(
      `weights.bin has ${bytes.length} bytes, expected ${total * 4}`,
    );
  }
  const all = new Float32Array(total);
  new Uint8Array(all.buffer).set(bytes);
  const values = new Map<string, Float32Array>();
  for (const w of manifest.weights) {
    const size = w.shape.reduce((a, b) => a * b, 1);
    values.set(w.name, all.slice(w.offset, w.offset + size));
  }

  const metricsFile = path.join(target, 'metrics.json');
  let metrics: Record<string, unknown> | undefined;
  try {
    metrics = fs.existsSync(metricsFile)
      ? (JSON.parse(fs.readFileSync(metricsFile, 'utf8')) as Record<
          string,
          unknown
        >)
      : undefined;
  } catch {
    throw invalid('metrics.json is not valid JSON');
  }
  return { manifest, values, metrics };
}

/**
 * What is wrong with a parsed model.json's shape, or undefined when the
 * fields the loader reads are there with the right types.
 */
function manifestProblem(manifest: ModelManifest): string | undefined {
  const m = manifest as unknown as Record<string, unknown>;
  const isObject = (v: unknown) =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isObject(m.config)) return 'has no config object';
  if (typeof m.threshold !== 'number') return 'has no numeric threshold';
  if (!isObject(m.vectors)) return 'has no vectors object';
  if (!Array.isArray(m.weights)) return 'has no weights list';
  for (const w of m.weights as unknown[]) {
    const entry = (isObject(w) ? w : {}) as Record<string, unknown>;
    const shape = entry.shape;
    if (
      typeof entry.name !== 'string' ||
      !Number.isInteger(entry.offset) ||
      (entry.offset as number) < 0 ||
      !Array.isArray(shape) ||
      !shape.every((d) => Number.isInteger(d) && (d as number) >= 0)
    ) {
      return `has a bad weights entry: ${JSON.stringify(w).slice(0, 80)}`;
    }
  }
  return undefined;
}

function swapInto(tmp: string, target: string, stamp: string): void {
  if (!fs.existsSync(target)) {
    fs.renameSync(tmp, target);
    return;
  }
  const old = path.join(
    path.dirname(target),
    `.${path.basename(target)}.old-${stamp}`,
  );
  fs.renameSync(target, old);
  try {
    fs.renameSync(tmp, target);
  } catch (err) {
    // Put the previous model back: a failed save must leave it in place.
    fs.renameSync(old, target);
    throw err;
  }
  fs.rmSync(old, { recursive: true, force: true });
}

function writeSynced(file: string, data: string | Uint8Array): void {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const fd = fs.openSync(file, 'w');
  try {
    fs.writeSync(fd, bytes);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
