// The replacement WASM kernels (Slice, Unpack, SplitV, BatchMatMul with
// transposes) must compute what the reference CPU backend computes: each
// op runs on both backends from the same random values.
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { initBackend } from '../../../src/encoder/backend.js';
import {
  encode,
  toTensors,
  type Weights,
} from '../../../src/encoder/lstm-network.js';
import type { EncoderConfig } from '../../../src/encoder/types.js';
import { gaussian } from '../../../src/encoder/word-inputs.js';
import { maxDiff, quoraSentences, tinyEncoder } from './helpers.js';

const TOLERANCE = 1e-5;

type Backend = 'cpu' | 'wasm';

/** Seeded normal values for a tensor of `shape`. */
function randomValues(shape: number[], seed: number): Float32Array {
  const next = gaussian(seed);
  const size = shape.reduce((a, b) => a * b, 1);
  return Float32Array.from({ length: size }, next);
}

interface Result {
  shape: number[];
  values: Float32Array;
}

/** Runs `op` on `backend` and reads back every output. */
async function runOn(
  backend: Backend,
  op: () => tf.Tensor | tf.Tensor[],
): Promise<Result[]> {
  await tf.setBackend(backend);
  const outs = tf.tidy(op);
  const list = Array.isArray(outs) ? outs : [outs];
  const results = list.map((t) => ({
    shape: t.shape,
    values: Float32Array.from(t.dataSync()),
  }));
  tf.dispose(list);
  return results;
}

/** Runs `op` on both backends and checks shapes and values agree. */
async function expectSameOnBoth(
  op: () => tf.Tensor | tf.Tensor[],
): Promise<Result[]> {
  const cpu = await runOn('cpu', op);
  const wasm = await runOn('wasm', op);

  expect(wasm.map((r) => r.shape)).toEqual(cpu.map((r) => r.shape));
  wasm.forEach((result, i) => {
    const want = cpu[i] as Result;
    expect(maxDiff(result.values, want.values)).toBeLessThanOrEqual(TOLERANCE);
  });
  return wasm;
}

beforeAll(async () => {
  await initBackend('wasm');
});

afterAll(async () => {
  await tf.setBackend('wasm');
});

describe('Slice on WASM', () => {
  const cases: [string, number[], number[], number[]][] = [
    ['rank 2, whole rows (contiguous)', [7, 9], [2, 0], [3, 9]],
    ['rank 2, columns (strided)', [7, 9], [1, 2], [5, 4]],
    ['rank 2, one column', [7, 9], [0, 8], [7, 1]],
    ['rank 2, size -1 to the end', [7, 9], [3, 4], [-1, -1]],
    ['rank 2, the whole tensor', [7, 9], [0, 0], [7, 9]],
    ['rank 3, outer block (contiguous)', [4, 5, 6], [1, 0, 0], [2, 5, 6]],
    ['rank 3, middle axis (strided)', [4, 5, 6], [0, 1, 0], [4, 3, 6]],
    ['rank 3, inner box', [4, 5, 6], [1, 2, 3], [2, 2, 2]],
    ['rank 3, last element', [4, 5, 6], [3, 4, 5], [1, 1, 1]],
    ['rank 4, one outer slab', [3, 4, 5, 6], [1, 0, 0, 0], [1, 4, 5, 6]],
    ['rank 4, strided middle', [3, 4, 5, 6], [0, 1, 2, 0], [3, 2, 3, 6]],
    ['rank 4, inner box', [3, 4, 5, 6], [1, 1, 1, 1], [2, 3, 4, 5]],
    ['rank 4, last column', [3, 4, 5, 6], [0, 0, 0, 5], [3, 4, 5, 1]],
  ];

  it.each(cases)('%s', async (_name, shape, begin, size) => {
    const values = randomValues(shape, shape.length * 100 + begin.length);
    const [out] = await expectSameOnBoth(() =>
      tf.slice(tf.tensor(values, shape), begin, size),
    );
    expect(out?.values.length).toBeGreaterThan(0);
  });

  it('slices int32 tensors exactly', async () => {
    const shape = [5, 6, 7];
    const values = Int32Array.from({ length: 210 }, (_, i) => i * 7 - 300);
    const [out] = await expectSameOnBoth(() =>
      tf.slice(tf.tensor(values, shape, 'int32'), [1, 2, 3], [3, 3, 3]),
    );
    // Element [1, 2, 3] of a row-major [5, 6, 7] tensor is value 59.
    expect(out?.values[0]).toBe(59 * 7 - 300);
  });

  it('slices a tensor large enough to grow the WASM heap', async () => {
    const shape = [1024, 2048];
    const values = randomValues(shape, 5);
    await expectSameOnBoth(() => [
      tf.slice(tf.tensor(values, shape), [0, 512], [1024, 1024]),
      tf.slice(tf.tensor(values, shape), [100, 0], [900, 2048]),
    ]);
  });
});

describe('Unpack on WASM', () => {
  const cases: [number[], number][] = [
    [[5, 7], 0],
    [[5, 7], 1],
    [[3, 4, 5], 0],
    [[3, 4, 5], 1],
    [[3, 4, 5], 2],
    [[3, 4, 5], -1],
    [[2, 3, 4, 5], 0],
    [[2, 3, 4, 5], 1],
    [[2, 3, 4, 5], 2],
    [[2, 3, 4, 5], 3],
  ];

  it.each(cases)('shape %j along axis %i', async (shape, axis) => {
    const values = randomValues(shape, 11 + axis);
    const outs = await expectSameOnBoth(() =>
      tf.unstack(tf.tensor(values, shape), axis),
    );
    const along = axis < 0 ? shape.length + axis : axis;
    expect(outs).toHaveLength(shape[along] as number);
    expect(outs[0]?.shape).toEqual(shape.filter((_, i) => i !== along));
  });
});

describe('SplitV on WASM', () => {
  const shape = [6, 10, 4];
  const values = randomValues(shape, 21);
  const cases: [string, number[] | number, number][] = [
    ['sizes along the middle axis', [2, 3, 5], 1],
    ['equal parts along the outer axis', 3, 0],
    ['a -1 size along the last axis', [1, -1, 2], 2],
    ['a negative axis', [4, 6], -2],
  ];

  it.each(cases)('%s', async (_name, sizes, axis) => {
    const outs = await expectSameOnBoth(() =>
      tf.split(tf.tensor(values, shape), sizes, axis),
    );
    const parts = typeof sizes === 'number' ? sizes : sizes.length;
    expect(outs).toHaveLength(parts);
  });
});

describe('BatchMatMul with transposes on WASM', () => {
  const cases: [string, number[], number[], boolean, boolean][] = [
    ['plain', [5, 7], [7, 3], false, false],
    ['transposeA', [7, 5], [7, 3], true, false],
    ['transposeB', [5, 7], [3, 7], false, true],
    ['both', [7, 5], [3, 7], true, true],
    ['batched transposeA', [4, 7, 5], [4, 7, 3], true, false],
    ['batched transposeB', [4, 5, 7], [4, 3, 7], false, true],
    ['batched both', [4, 7, 5], [4, 3, 7], true, true],
    ['broadcast batch, both', [1, 7, 5], [3, 3, 7], true, true],
  ];

  it.each(cases)('%s', async (_name, aShape, bShape, ta, tb) => {
    const a = randomValues(aShape, 31);
    const b = randomValues(bShape, 32);
    await expectSameOnBoth(() =>
      tf.matMul(tf.tensor(a, aShape), tf.tensor(b, bShape), ta, tb),
    );
  });

  it('frees the transposed copies it makes', async () => {
    await tf.setBackend('wasm');
    const a = tf.tensor(randomValues([64, 32], 41), [64, 32]);
    const b = tf.tensor(randomValues([48, 64], 42), [48, 64]);
    tf.dispose(tf.matMul(a, b, true, true));
    const buffers = tf.memory().numDataBuffers;

    for (let i = 0; i < 20; i++) {
      tf.dispose(tf.matMul(a, b, true, true));
    }
    expect(tf.memory().numDataBuffers).toBe(buffers);
    tf.dispose([a, b]);
  });
});

describe('LSTM gradients on WASM', () => {
  const configs: [string, Partial<EncoderConfig>][] = [
    [
      'bidirectional, mean pooling, word skip, lexical, normalised',
      { bidirectional: true, lexicalDim: 16, normalize: true },
    ],
    ['max pooling, no word skip', { pooling: 'max', wordSkip: false }],
    ['last state, no projection', { pooling: 'last', projection: 0 }],
  ];

  it.each(configs)('%s', async (_name, overrides) => {
    const encoder = await tinyEncoder({
      units: 8,
      projection: 8,
      ...overrides,
    });
    const { config } = encoder;
    const sentences = await quoraSentences(7);
    const batch = encoder.inputs.batch(
      encoder.rows(sentences),
      config.bidirectional,
    );
    const values = new Map(
      [...encoder.weights].map(([name, v]) => [
        name,
        { shape: v.shape, data: Float32Array.from(v.dataSync()) },
      ]),
    );
    const probe = randomValues([sentences.length, encoder.dim], 51);

    // A fixed random read-out, so that even normalised outputs carry a
    // gradient back to every weight.
    const gradients = async (backend: Backend) => {
      await tf.setBackend(backend);
      const weights: Weights = new Map(
        [...values].map(([name, { shape, data }]) => [
          name,
          tf.variable(tf.tensor(data, shape), true, `${backend}/${name}`),
        ]),
      );
      const { value, grads } = tf.variableGrads(
        () =>
          tf.tidy(() => {
            const out = encode(weights, config, toTensors(batch, 100));
            return tf.sum(tf.mul(out, tf.tensor2d(probe, out.shape)));
          }),
        [...weights.values()],
      );
      const result = {
        loss: value.dataSync()[0] as number,
        grads: new Map(
          [...weights].map(([name, v]) => [
            name,
            Float32Array.from((grads[v.name] as tf.Tensor).dataSync()),
          ]),
        ),
      };
      tf.dispose([value, ...Object.values(grads), ...weights.values()]);
      return result;
    };

    const cpu = await gradients('cpu');
    const wasm = await gradients('wasm');
    encoder.dispose();

    expect(wasm.loss).toBeCloseTo(cpu.loss, 4);
    for (const [name, want] of cpu.grads) {
      const got = wasm.grads.get(name) as Float32Array;
      const scale = Math.max(1, ...Array.from(want, Math.abs));
      expect(maxDiff(got, want) / scale, name).toBeLessThan(1e-4);
    }
    // Every weight takes part: an all-zero gradient means a cut path.
    for (const [name, grad] of wasm.grads) {
      expect(
        maxDiff(grad, new Float32Array(grad.length)),
        name,
      ).toBeGreaterThan(0);
    }
  });
});
