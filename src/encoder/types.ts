/**
 * The contract between the encoder and the rest of the service. The store,
 * the index, the HTTP API and the review queue only see this interface.
 */

/** Architecture and preprocessing settings saved with every model. */
export interface EncoderConfig {
  /** Word-vector source, e.g. `glove-6b-100d`. */
  vectors: string;
  /** Word-vector dimension. */
  inputDim: number;
  /** Tokens kept per sentence; longer input is truncated. */
  maxLength: number;
  /** LSTM hidden units per direction. */
  units: number;
  /** Run a second LSTM right-to-left and concatenate. */
  bidirectional: boolean;
  /** How LSTM outputs become one vector: mean, max, or the last state. */
  pooling: 'mean' | 'max' | 'last';
  /** Also feed the mean of the word vectors to the projection. */
  wordSkip: boolean;
  /**
   * How the word-vector mean of `wordSkip` weighs words: `uniform`, or
   * `frequency`, which lets rare words count more (weight a / (a + p),
   * p a Zipf estimate of the word's frequency from its rank in the
   * vectors). Models saved without it use `uniform`.
   */
  meanWeights?: 'uniform' | 'frequency';
  /** Size of the output projection; 0 means no projection. */
  projection: number;
  /** Scale each output vector to unit length. */
  normalize: boolean;
  /** Hash buckets for words missing from the vectors. */
  oovBuckets: number;
  /**
   * Size of the lexical branch: a hashed bag of the sentence's distinct
   * words, weighted by a learned weight per word-frequency band and
   * L2-normalised, appended to the output. It lets exact word overlap
   * (names, numbers, rare terms) count in the energy. 0 turns it off.
   */
  lexicalDim: number;
  /** Contrastive-loss margin the model was trained with. */
  margin: number;
}

/** A loaded model that turns sentences into vectors. */
export interface SentenceEncoder {
  /** Model version label (directory name of the model). */
  readonly version: string;
  /** Length of each output vector. */
  readonly dim: number;
  /** Energy at or under which a pair is called a duplicate. */
  readonly threshold: number;
  /** Contrastive margin; similarity is derived from energy and margin. */
  readonly margin: number;
  /** Embeds sentences; one Float32Array of length `dim` per sentence. */
  embed(texts: readonly string[]): Promise<Float32Array[]>;
  /** Frees the model's tensors. */
  dispose(): void;
}

/** Euclidean distance between two vectors of the same length. */
export function energy(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    sum += d * d;
  }
  return Math.sqrt(sum);
}

/**
 * Maps an energy to a similarity in [0, 1]: 1 at energy 0, 0 at or past
 * the margin. Monotone, so ranking by either gives the same order.
 */
export function similarityFromEnergy(e: number, margin: number): number {
  if (!(margin > 0)) return 0;
  return Math.max(0, 1 - e / margin);
}
