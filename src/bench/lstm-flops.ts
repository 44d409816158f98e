/**
 * Floating-point operations of the siamese LSTM encoder, counted from its
 * architecture (see encoder/lstm-network.ts). A multiply-add is 2 FLOPs;
 * each element of an elementwise op is 1, a sigmoid included. Data
 * movement (reshape, transpose, unstack) counts nothing.
 */
import {
  featureSize,
  outputSize,
  weightShapes,
} from '../encoder/lstm-network.js';
import type { EncoderConfig } from '../encoder/types.js';

/** FLOPs of one forward pass, split by where they are spent. */
export interface FlopCount {
  /** Word vectors times the input kernel, all steps and directions. */
  inputProjection: number;
  /** State times the recurrent kernel, all steps and directions. */
  recurrent: number;
  /** Pooled features times the output projection. */
  outputProjection: number;
  /** Gates, cell and state updates, pooling, normalisation. */
  elementwise: number;
  /** The three products together. */
  matMul: number;
  total: number;
}

/**
 * Elementwise FLOPs per step and direction, per unit: bias 4, adding the
 * recurrent part 4, gate scaling 4, sigmoid 4, candidate 2 sigmoid - 1: 2,
 * cell f*c + i*g: 3, tanh as 2 sigmoid(2x) - 1: 4, output o*tanh: 1, and
 * mean pooling's mask and sum: 2.
 */
const ELEMENTWISE_PER_UNIT = 28;

/** Forward FLOPs for one sentence of `steps` LSTM steps under `config`. */
export function forwardFlops(config: EncoderConfig, steps: number): FlopCount {
  const d = config.inputDim;
  const h = config.units;
  const directions = config.bidirectional ? 2 : 1;
  const runs = directions * steps;

  const inputProjection = runs * 2 * d * 4 * h;
  const recurrent = runs * 2 * h * 4 * h;
  const outputProjection =
    config.projection > 0 ? 2 * featureSize(config) * config.projection : 0;
  const matMul = inputProjection + recurrent + outputProjection;

  const pooling = config.pooling === 'mean' ? directions * h : 0;
  const normalise = config.normalize ? 3 * outputSize(config) : 0;
  const elementwise =
    runs * ELEMENTWISE_PER_UNIT * h + pooling + config.projection + normalise;
  return {
    inputProjection,
    recurrent,
    outputProjection,
    elementwise,
    matMul,
    total: matMul + elementwise,
  };
}

/**
 * Training FLOPs per pair: two sentences, each a forward pass and a
 * backward pass of about twice its cost (the usual estimate: the gradient
 * of a product needs two products of the same size).
 */
export function trainingFlopsPerPair(
  config: EncoderConfig,
  tokens: number,
): number {
  return 2 * 3 * forwardFlops(config, tokens).total;
}

/** Trainable parameters of `config`. */
export function parameterCount(config: EncoderConfig): number {
  let count = 0;
  for (const shape of weightShapes(config).values()) {
    count += shape.reduce((a, b) => a * b, 1);
  }
  return count;
}
