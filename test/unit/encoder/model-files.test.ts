// Model folders: a saved model loads back to the same embeddings; a
// broken folder fails with code model_invalid naming the file; a save
// that fails halfway leaves the previous model in place.
import fs from 'node:fs';
import path from 'node:path';

import * as tf from '@tensorflow/tfjs';
import {
  afterEach,
  beforeAll,
  beforeEach,
  describe,
  expect,
  it,
  vi,
} from 'vitest';

import { readModel } from '../../../src/encoder/model-files.js';
import { SiameseEncoder } from '../../../src/encoder/siamese-encoder.js';
import { AppError, ErrorCode } from '../../../src/errors/app-error.js';
import { quoraSentences, tempDir, tinyEncoder } from './helpers.js';

let sentences: string[];
let temp: Awaited<ReturnType<typeof tempDir>>;

beforeAll(async () => {
  sentences = await quoraSentences(40);
});

beforeEach(async () => {
  temp = await tempDir('siamese-model-');
});

afterEach(async () => {
  vi.restoreAllMocks();
  await temp.cleanup();
});

/** The error `promise` rejects with; fails the test if it resolves. */
async function rejection(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    return err as AppError;
  }
  throw new Error('expected the promise to reject');
}

/** Saves a tiny model to `<temp>/<name>`; returns its folder. */
async function savedModel(name = 'model', seed = 1): Promise<string> {
  const encoder = await tinyEncoder({}, seed);
  const dir = path.join(temp.dir, name);
  encoder.save(dir);
  encoder.dispose();
  return dir;
}

async function embeddingsOf(dir: string): Promise<Float32Array[]> {
  const encoder = await SiameseEncoder.load(dir, { backend: 'wasm' });
  const vectors = await encoder.embed(sentences);
  encoder.dispose();
  return vectors;
}

describe('save and load', () => {
  it('round-trips to identical embeddings, threshold and config', async () => {
    const encoder = await tinyEncoder(
      { bidirectional: true, pooling: 'max', lexicalDim: 16, maxLength: 30 },
      7,
    );
    encoder.threshold = 0.37;
    encoder.version = 'round-trip';
    const dir = path.join(temp.dir, 'model');
    encoder.save(dir, { metrics: { accuracy: 0.5 }, card: '# card\n' });
    const want = await encoder.embed(sentences);

    const loaded = await SiameseEncoder.load(dir, { backend: 'wasm' });
    const got = await loaded.embed(sentences);

    expect(loaded.threshold).toBe(0.37);
    expect(loaded.version).toBe('round-trip');
    expect(loaded.config).toEqual(encoder.config);
    got.forEach((vector, i) => expect(vector).toEqual(want[i]));
    expect(readModel(dir).metrics).toEqual({ accuracy: 0.5 });
    expect(fs.readFileSync(path.join(dir, 'MODEL_CARD.md'), 'utf8')).toBe(
      '# card\n',
    );
    encoder.dispose();
    loaded.dispose();
  });
});

describe('a broken model folder', () => {
  it('without a folder is model_invalid', async () => {
    const err = await rejection(
      SiameseEncoder.load(path.join(temp.dir, 'nowhere')),
    );
    expect(err.code).toBe(ErrorCode.ModelInvalid);
    expect(err.message).toContain('nowhere');
  });

  it('without weights.bin is model_invalid naming weights.bin', async () => {
    const dir = await savedModel();
    fs.rmSync(path.join(dir, 'weights.bin'));

    const err = await rejection(SiameseEncoder.load(dir));
    expect(err.code).toBe(ErrorCode.ModelInvalid);
    expect(err.message).toMatch(/weights\.bin is missing/);
  });

  it('with a truncated weights.bin is model_invalid naming weights.bin', async () => {
    const dir = await savedModel();
    const file = path.join(dir, 'weights.bin');
    const size = fs.statSync(file).size;
    fs.truncateSync(file, size - 6);

    const err = await rejection(SiameseEncoder.load(dir));
    expect(err.code).toBe(ErrorCode.ModelInvalid);
    expect(err.message).toContain(
      `weights.bin has ${size - 6} bytes, expected ${size}`,
    );
  });

  const badManifests: [string, (json: Record<string, unknown>) => string][] = [
    ['cut short', (json) => JSON.stringify(json).slice(0, 40)],
    ['empty', () => ''],
    ['of another format', (json) => JSON.stringify({ ...json, format: 'x/9' })],
    [
      'without a weights list',
      (json) => JSON.stringify({ ...json, weights: undefined }),
    ],
    [
      'with a bad weight shape',
      (json) =>
        JSON.stringify({
          ...json,
          weights: [{ name: 'fw/kernel', shape: 'big', offset: 0 }],
        }),
    ],
    [
      'without a threshold',
      (json) => JSON.stringify({ ...json, threshold: 'low' }),
    ],
    ['an array', () => '[]'],
  ];

  it.each(badManifests)(
    'with a model.json %s is model_invalid naming model.json',
    async (_name, corrupt) => {
      const dir = await savedModel();
      const file = path.join(dir, 'model.json');
      const json = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<
        string,
        unknown
      >;
      fs.writeFileSync(file, corrupt(json));

      const err = await rejection(SiameseEncoder.load(dir));
      expect(err.code).toBe(ErrorCode.ModelInvalid);
      expect(err.message).toContain('model.json');
      expect(err.message).toContain(dir);
    },
  );

  it('whose weights do not fit its architecture is model_invalid and leaks nothing', async () => {
    const dir = await savedModel();
    const file = path.join(dir, 'model.json');
    const json = JSON.parse(fs.readFileSync(file, 'utf8')) as {
      config: { units: number };
    };
    json.config.units = 32;
    fs.writeFileSync(file, JSON.stringify(json));
    const tensors = tf.memory().numTensors;

    const err = await rejection(SiameseEncoder.load(dir));
    expect(err.code).toBe(ErrorCode.ModelInvalid);
    expect(err.message).toContain('fw/kernel');
    expect(tf.memory().numTensors).toBe(tensors);
  });
});

describe('saving over a model', () => {
  /** Names in the parent folder other than the model itself. */
  const leftovers = () =>
    fs.readdirSync(temp.dir).filter((name) => name !== 'model');

  it('replaces it when the save succeeds', async () => {
    const dir = await savedModel('model', 1);
    const before = await embeddingsOf(dir);
    const second = await tinyEncoder({}, 2);
    const want = await second.embed(sentences);
    second.save(dir);
    second.dispose();

    const got = await embeddingsOf(dir);
    got.forEach((vector, i) => expect(vector).toEqual(want[i]));
    expect(got[0]).not.toEqual(before[0]);
    expect(leftovers()).toEqual([]);
  });

  const failures: [string, () => void][] = [
    [
      'the weights cannot be written',
      () => {
        const real = fs.writeSync.bind(fs) as (...a: unknown[]) => number;
        vi.spyOn(fs, 'writeSync').mockImplementation((...args: unknown[]) => {
          if (args[1] instanceof Uint8Array && args[1].length > 1000) {
            throw Object.assign(new Error('no space left on device'), {
              code: 'ENOSPC',
            });
          }
          return real(...args);
        });
      },
    ],
    [
      'the new folder cannot be renamed into place',
      () => {
        const real = fs.renameSync.bind(fs);
        vi.spyOn(fs, 'renameSync').mockImplementation((from, to) => {
          if (String(from).includes('.tmp-')) {
            throw Object.assign(new Error('device busy'), { code: 'EBUSY' });
          }
          real(from, to);
        });
      },
    ],
  ];

  it.each(failures)('keeps the old model when %s', async (_name, breakIt) => {
    const dir = await savedModel('model', 1);
    const want = await embeddingsOf(dir);
    const other = await tinyEncoder({}, 2);

    breakIt();
    expect(() => other.save(dir)).toThrow(
      expect.objectContaining({ code: ErrorCode.Storage }),
    );
    vi.restoreAllMocks();
    other.dispose();

    const got = await embeddingsOf(dir);
    got.forEach((vector, i) => expect(vector).toEqual(want[i]));
    expect(leftovers()).toEqual([]);
  });
});
