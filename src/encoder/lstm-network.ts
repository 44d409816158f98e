/**
 * The siamese network f_w: an LSTM (optionally bidirectional) over word
 * vectors, pooled to one vector, optionally projected and L2-normalised.
 * Both sentences of a pair go through the same weights.
 *
 * The recurrence is written with plain tfjs ops so that it runs on every
 * backend. Two choices keep it fast on WebAssembly: gates live in a
 * [4, n, H] layout so each step splits them along the outer axis, and
 * tanh(x) is computed as 2 sigmoid(2x) - 1 (the same function), because the
 * WASM tanh kernel is several times slower than its sigmoid.
 */
import * as tf from '@tensorflow/tfjs';

import type { EncoderConfig } from './types.js';
import { FREQUENCY_BANDS, type InputBatch } from './word-inputs.js';

/** Weight names and shapes of a network built from `config`. */
export function weightShapes(config: EncoderConfig): Map<string, number[]> {
  const { inputDim: d, units: h } = config;
  const shapes = new Map<string, number[]>();
  const directions = config.bidirectional ? ['fw', 'bw'] : ['fw'];
  for (const dir of directions) {
    shapes.set(`${dir}/kernel`, [d, 4 * h]);
    shapes.set(`${dir}/recurrent`, [h, 4 * h]);
    shapes.set(`${dir}/bias`, [4 * h]);
  }
  if (config.projection > 0) {
    shapes.set('proj/kernel', [featureSize(config), config.projection]);
    shapes.set('proj/bias', [config.projection]);
  }
  if (config.lexicalDim > 0) {
    shapes.set('lexical/bands', [FREQUENCY_BANDS, 1]);
    shapes.set('lexical/scale', [1]);
  }
  return shapes;
}

/** Length of the pooled feature vector before projection. */
export function featureSize(config: EncoderConfig): number {
  const directions = config.bidirectional ? 2 : 1;
  return directions * config.units + (config.wordSkip ? config.inputDim : 0);
}

/** Length of the encoder's output vectors. */
export function outputSize(config: EncoderConfig): number {
  const base = config.projection > 0 ? config.projection : featureSize(config);
  return base + config.lexicalDim;
}

/** Starting weight of the lexical branch against the LSTM's output. */
const LEXICAL_SCALE = 0.5;

/** Trainable weights of one network, by name. */
export type Weights = Map<string, tf.Variable>;

/**
 * Fresh weights: Glorot-uniform kernels, zero biases except the forget
 * gate's, which starts at 1 so early gradients flow through time.
 */
export function initWeights(config: EncoderConfig, seed: number): Weights {
  const weights: Weights = new Map();
  let offset = 0;
  for (const [name, shape] of weightShapes(config)) {
    offset++;
    const value = tf.tidy(() => {
      if (name.startsWith('lexical/')) {
        return tf.fill(shape, name === 'lexical/scale' ? LEXICAL_SCALE : 1);
      }
      if (name.endsWith('/bias')) {
        if (name === 'proj/bias') return tf.zeros(shape);
        const h = config.units;
        const forget = tf.concat([
          tf.zeros([h]),
          tf.ones([h]),
          tf.zeros([2 * h]),
        ]);
        return forget;
      }
      const [fanIn, fanOut] = shape as [number, number];
      const limit = Math.sqrt(6 / (fanIn + fanOut));
      return tf.randomUniform(shape, -limit, limit, 'float32', seed + offset);
    });
    // tfjs variable names are global: leave them to tfjs so that several
    // encoders (a clone, a model being swapped in) can live side by side.
    weights.set(name, tf.variable(value, true));
    value.dispose();
  }
  return weights;
}

/** Input tensors for one batch; create inside a tidy scope. */
export interface BatchTensors {
  size: number;
  steps: number;
  forward: tf.Tensor2D;
  backward: tf.Tensor2D | undefined;
  mask: tf.Tensor2D[];
  last: tf.Tensor2D[];
  mean: tf.Tensor2D;
  lexical: tf.Tensor2D | undefined;
}

/** Uploads a built batch to the backend. */
export function toTensors(batch: InputBatch, dim: number): BatchTensors {
  const { size, steps } = batch;
  const perStep = (values: Float32Array) =>
    tf
      .unstack(tf.tensor2d(values, [steps, size]))
      .map((row) => tf.reshape(row, [size, 1])) as tf.Tensor2D[];
  return {
    size,
    steps,
    forward: tf.tensor2d(batch.forward, [steps * size, dim]),
    backward: batch.backward
      ? tf.tensor2d(batch.backward, [steps * size, dim])
      : undefined,
    mask: perStep(batch.mask),
    last: perStep(batch.last),
    mean: tf.tensor2d(batch.mean, [size, dim]),
    lexical: batch.lexical
      ? tf.tensor2d(batch.lexical, [
          batch.lexical.length / FREQUENCY_BANDS,
          FREQUENCY_BANDS,
        ])
      : undefined,
  };
}

// Scales the candidate gate's pre-activation by 2 so that one sigmoid over
// all four gates also yields tanh for it: tanh(z) = 2 sigmoid(2z) - 1.
const gateScale = (() => {
  let scale: tf.Tensor3D | undefined;
  return () => {
    if (!scale || scale.isDisposed) {
      scale = tf.keep(tf.tensor3d([1, 1, 1, 2], [4, 1, 1]));
    }
    return scale;
  };
})();

function fastTanh(x: tf.Tensor): tf.Tensor {
  return tf.sub(tf.mul(tf.sigmoid(tf.mul(x, 2)), 2), 1);
}

/** Runs one direction of the LSTM and pools its outputs, [n, H]. */
function runDirection(
  weights: Weights,
  prefix: string,
  config: EncoderConfig,
  input: tf.Tensor2D,
  batch: BatchTensors,
): tf.Tensor2D {
  const { size: n, steps } = batch;
  const h = config.units;
  const kernel = weights.get(`${prefix}/kernel`) as tf.Variable;
  const recurrent = weights.get(`${prefix}/recurrent`) as tf.Variable;
  const bias = weights.get(`${prefix}/bias`) as tf.Variable;

  // All input projections at once, then one [4, n, H] block per step.
  const projected = tf.add(tf.matMul(input, kernel), bias);
  const perStep = tf.unstack(
    tf.transpose(tf.reshape(projected, [steps, n, 4, h]), [0, 2, 1, 3]),
  );

  let state = tf.zeros<tf.Rank.R2>([n, h]);
  let cell = tf.zeros<tf.Rank.R2>([n, h]);
  let pooled: tf.Tensor2D | undefined;

  for (let t = 0; t < steps; t++) {
    const fromState = tf.transpose(
      tf.reshape(tf.matMul(state, recurrent), [n, 4, h]),
      [1, 0, 2],
    );
    const z = tf.mul(tf.add(perStep[t] as tf.Tensor, fromState), gateScale());
    const [input_, forget, output, candidate] = tf.unstack(tf.sigmoid(z));
    const g = tf.sub(tf.mul(candidate as tf.Tensor, 2), 1);

    cell = tf.add<tf.Tensor2D>(
      tf.mul(forget as tf.Tensor, cell),
      tf.mul(input_ as tf.Tensor, g),
    );
    state = tf.mul<tf.Tensor2D>(output as tf.Tensor, fastTanh(cell));
    pooled = poolStep(config.pooling, pooled, state, batch, t);
  }

  const sum = pooled as tf.Tensor2D;
  if (config.pooling !== 'mean') return sum;
  const lengths = tf.addN(batch.mask);
  return tf.div(sum, lengths);
}

function poolStep(
  pooling: EncoderConfig['pooling'],
  pooled: tf.Tensor2D | undefined,
  state: tf.Tensor2D,
  batch: BatchTensors,
  t: number,
): tf.Tensor2D {
  const mask = batch.mask[t] as tf.Tensor2D;
  let value: tf.Tensor2D;
  if (pooling === 'last') {
    value = tf.mul(state, batch.last[t] as tf.Tensor2D);
  } else if (pooling === 'max') {
    // Padded steps are pushed far below any real output.
    value = tf.add(tf.mul(state, mask), tf.mul(tf.sub(mask, 1), 1e4));
    return pooled ? tf.maximum(pooled, value) : value;
  } else {
    value = tf.mul(state, mask);
  }
  return pooled ? tf.add(pooled, value) : value;
}

/** Training-time dropout: a rate and a seed that changes every batch. */
export interface Dropout {
  /** Share of input values and pooled features zeroed, in [0, 1). */
  rate: number;
  seed: number;
}

/**
 * f_w: the encoder's output for a batch, [n, outputSize]. With `dropout`
 * (training only), word vectors and pooled features are randomly zeroed.
 */
export function encode(
  weights: Weights,
  config: EncoderConfig,
  batch: BatchTensors,
  dropout?: Dropout,
): tf.Tensor2D {
  const drop = (x: tf.Tensor2D, salt: number): tf.Tensor2D =>
    dropout && dropout.rate > 0
      ? (tf.dropout(
          x,
          dropout.rate,
          undefined,
          dropout.seed + salt,
        ) as tf.Tensor2D)
      : x;

  const parts: tf.Tensor2D[] = [
    runDirection(weights, 'fw', config, drop(batch.forward, 1), batch),
  ];
  if (config.bidirectional) {
    if (!batch.backward) throw new Error('batch built without reversed input');
    const backward = drop(batch.backward, 2);
    parts.push(runDirection(weights, 'bw', config, backward, batch));
  }
  if (config.wordSkip) parts.push(batch.mean);

  let out = drop(
    parts.length === 1 ? (parts[0] as tf.Tensor2D) : tf.concat(parts, 1),
    3,
  );
  if (config.projection > 0) {
    out = tf.add(
      tf.matMul(out, weights.get('proj/kernel') as tf.Variable),
      weights.get('proj/bias') as tf.Variable,
    );
  }
  if (config.lexicalDim > 0) {
    out = tf.concat([out, lexicalBranch(weights, config, batch)], 1);
  }
  if (config.normalize) {
    const norm = tf.sqrt(tf.add(tf.sum(tf.square(out), 1, true), 1e-12));
    out = tf.div(out, norm);
  }
  return out;
}

/** The weighted, normalised hashed bag of words, [n, lexicalDim]. */
function lexicalBranch(
  weights: Weights,
  config: EncoderConfig,
  batch: BatchTensors,
): tf.Tensor2D {
  if (!batch.lexical) throw new Error('batch built without lexical input');
  const bands = weights.get('lexical/bands') as tf.Variable;
  const scale = weights.get('lexical/scale') as tf.Variable;
  const bag = tf.reshape(tf.matMul(batch.lexical, bands), [
    batch.size,
    config.lexicalDim,
  ]);
  const norm = tf.sqrt(tf.add(tf.sum(tf.square(bag), 1, true), 1e-12));
  return tf.mul(tf.div(bag, norm), scale);
}
