/**
 * f_w for one sentence at a time, in plain TypeScript over the model's
 * weights: the path of the service's lookups, where a request embeds one
 * text. Through tfjs a single sentence costs about 2 ms, nearly all of it
 * the fixed cost of some 250 kernel calls (about 19 a step); here there
 * are none, and each word's input projection W_x x + b is computed once
 * and kept, since word vectors are frozen. What remains per step is the
 * recurrent product, H x 4H multiply-adds.
 *
 * It computes what `encode` in lstm-network.ts computes, in the same
 * order of operations, so the two agree to float32 rounding (a test
 * holds them together). Training always goes through tfjs.
 */
import { featureSize, outputSize } from './lstm-network.js';
import type { EncoderConfig } from './types.js';
import { FREQUENCY_BANDS, type InputBatch } from './word-inputs.js';
import type { TokenRows, WordInputs } from './word-inputs.js';

/** Words whose input projections are kept per direction, at most. */
const PROJECTION_CACHE_WORDS = 20_000;

/** One direction's weights as flat arrays. */
interface DirectionWeights {
  /** [d, 4H], row-major. */
  kernel: Float64Array;
  /** [H, 4H], row-major. */
  recurrent: Float64Array;
  /** [4H]. */
  bias: Float64Array;
  /** Input projection of each word row seen, [4H] each. */
  projected: Map<number, Float64Array>;
}

/** Encodes single sentences with a fixed copy of the weights. */
export class SentenceForward {
  private readonly directions: DirectionWeights[];
  private readonly projection:
    { kernel: Float64Array; bias: Float64Array } | undefined;
  private readonly lexical: { bands: Float64Array; scale: number } | undefined;
  private readonly dim: number;

  /**
   * Takes a copy of `weights` in double precision, which the loops below
   * run fastest on; the caller makes a new one when the weights change.
   */
  constructor(
    private readonly config: EncoderConfig,
    private readonly inputs: WordInputs,
    weights: ReadonlyMap<string, Float32Array>,
  ) {
    const get = (name: string): Float64Array => {
      const values = weights.get(name);
      if (!values) throw new Error(`weight ${name} is missing`);
      return Float64Array.from(values);
    };
    const names = config.bidirectional ? ['fw', 'bw'] : ['fw'];
    this.directions = names.map((dir) => ({
      kernel: get(`${dir}/kernel`),
      recurrent: get(`${dir}/recurrent`),
      bias: get(`${dir}/bias`),
      projected: new Map(),
    }));
    this.projection =
      config.projection > 0
        ? { kernel: get('proj/kernel'), bias: get('proj/bias') }
        : undefined;
    this.lexical =
      config.lexicalDim > 0
        ? {
            bands: get('lexical/bands'),
            scale: get('lexical/scale')[0] ?? 0,
          }
        : undefined;
    this.dim = outputSize(config);
  }

  /** The encoder's output for one sentence's token rows. */
  encode(rows: TokenRows): Float32Array {
    const { config } = this;
    const batch = this.inputs.batch([rows], false);
    const features = new Float64Array(featureSize(config));

    let at = 0;
    this.directions.forEach((direction, i) => {
      const order = i === 0 ? rows : rows.slice().reverse();
      features.set(this.runDirection(direction, order, batch), at);
      at += config.units;
    });
    if (config.wordSkip) features.set(batch.mean, at);

    const out = new Float64Array(this.dim);
    if (this.projection) {
      const { kernel, bias } = this.projection;
      const p = config.projection;
      out.set(bias);
      for (let k = 0; k < features.length; k++) {
        const x = features[k] as number;
        if (x === 0) continue;
        const offset = k * p;
        for (let j = 0; j < p; j++) {
          out[j] = (out[j] as number) + x * (kernel[offset + j] as number);
        }
      }
    } else {
      out.set(features);
    }
    if (this.lexical) this.addLexical(out, batch);
    if (config.normalize) normalise(out, 0, out.length);
    return Float32Array.from(out);
  }

  /** One direction over `rows` in reading order, pooled, [H]. */
  private runDirection(
    direction: DirectionWeights,
    rows: TokenRows,
    batch: InputBatch,
  ): Float64Array {
    const h = this.config.units;
    const { recurrent } = direction;
    const state = new Float64Array(h);
    const cell = new Float64Array(h);
    const z = new Float64Array(4 * h);
    const pooled = new Float64Array(h).fill(
      this.config.pooling === 'max' ? -Infinity : 0,
    );

    for (let t = 0; t < rows.length; t++) {
      z.set(this.projectedWord(direction, rows[t] as number, batch, t, rows));
      for (let k = 0; k < h; k++) {
        const s = state[k] as number;
        if (s === 0) continue;
        const offset = k * 4 * h;
        for (let j = 0; j < 4 * h; j++) {
          z[j] = (z[j] as number) + s * (recurrent[offset + j] as number);
        }
      }
      // Gates in the order the kernels hold them: input, forget, output,
      // candidate.
      for (let k = 0; k < h; k++) {
        const input = sigmoid(z[k] as number);
        const forget = sigmoid(z[h + k] as number);
        const output = sigmoid(z[2 * h + k] as number);
        const candidate = Math.tanh(z[3 * h + k] as number);
        const c = forget * (cell[k] as number) + input * candidate;
        cell[k] = c;
        state[k] = output * Math.tanh(c);
      }
      pool(this.config.pooling, pooled, state);
    }

    if (this.config.pooling === 'mean') {
      for (let k = 0; k < h; k++) {
        pooled[k] = (pooled[k] as number) / rows.length;
      }
    }
    return pooled;
  }

  /**
   * W_x x + b for the word at step `t`, from the cache when the word was
   * seen before. The vector comes from the batch (forward order), so it
   * is exactly what the tfjs path reads.
   */
  private projectedWord(
    direction: DirectionWeights,
    row: number,
    batch: InputBatch,
    t: number,
    rows: TokenRows,
  ): Float64Array {
    const cached = direction.projected.get(row);
    if (cached) return cached;

    const d = this.inputs.dim;
    const width = 4 * this.config.units;
    // The batch holds the words in reading order; a reversed direction
    // reads step t from the other end.
    const forwardStep =
      direction === this.directions[0] ? t : rows.length - 1 - t;
    const vector = batch.forward.subarray(
      forwardStep * d,
      (forwardStep + 1) * d,
    );
    const { kernel, bias } = direction;
    const out = Float64Array.from(bias);
    for (let k = 0; k < d; k++) {
      const x = vector[k] as number;
      const offset = k * width;
      for (let j = 0; j < width; j++) {
        out[j] = (out[j] as number) + x * (kernel[offset + j] as number);
      }
    }

    if (direction.projected.size >= PROJECTION_CACHE_WORDS) {
      direction.projected.clear();
    }
    direction.projected.set(row, out);
    return out;
  }

  /** Appends the weighted, normalised hashed bag of words. */
  private addLexical(out: Float64Array, batch: InputBatch): void {
    const lexical = this.lexical;
    const bag = batch.lexical;
    if (!lexical || !bag) return;
    const start = out.length - this.config.lexicalDim;
    for (let j = 0; j < this.config.lexicalDim; j++) {
      let value = 0;
      for (let band = 0; band < FREQUENCY_BANDS; band++) {
        const weight = lexical.bands[band] as number;
        value += (bag[j * FREQUENCY_BANDS + band] as number) * weight;
      }
      out[start + j] = value;
    }
    normalise(out, start, out.length);
    for (let j = start; j < out.length; j++) {
      out[j] = (out[j] as number) * lexical.scale;
    }
  }
}

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

function pool(
  pooling: EncoderConfig['pooling'],
  pooled: Float64Array,
  state: Float64Array,
): void {
  for (let k = 0; k < state.length; k++) {
    const s = state[k] as number;
    if (pooling === 'max') pooled[k] = Math.max(pooled[k] as number, s);
    else if (pooling === 'mean') pooled[k] = (pooled[k] as number) + s;
    else pooled[k] = s;
  }
}

/** Scales `values[from..to)` to unit length, as the tfjs path does. */
function normalise(values: Float64Array, from: number, to: number): void {
  let sum = 0;
  for (let j = from; j < to; j++) sum += (values[j] as number) ** 2;
  const norm = Math.sqrt(sum + 1e-12);
  for (let j = from; j < to; j++) values[j] = (values[j] as number) / norm;
}
