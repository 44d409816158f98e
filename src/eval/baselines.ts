/**
 * Lexical baselines to compare the encoder against: word-set Jaccard,
 * TF-IDF cosine, and the cosine of averaged word vectors. Each turns a
 * list of pairs into similarities (higher = more alike), ready to pass
 * as `{ similarity }` to the metrics. All use the service's tokeniser.
 */
import { tokenize } from '../text/tokenize.js';

/** A pair of texts to score. */
export interface TextPair {
  /** First text. */
  a: string;
  /** Second text. */
  b: string;
}

/** Settings shared by the baselines. */
export interface BaselineOptions {
  /**
   * Tokens kept per text. Default: all of them, unlike the encoder's 48,
   * so long forum questions are compared whole.
   */
  maxTokens?: number;
}

/**
 * Word vectors looked up by token: the part of the service's word-vector
 * table the averaged-vector baseline needs.
 */
export interface WordLookup {
  /** Length of every vector. */
  readonly dim: number;
  /** The vector of `token`, or undefined for a word not in the table. */
  lookup(token: string): Float32Array | undefined;
}

/**
 * Jaccard similarity of the two texts' sets of tokens: shared tokens
 * over all distinct tokens, in [0, 1]. Two texts without tokens score 0,
 * since there is no word evidence of a match.
 */
export function jaccardSimilarity(
  a: string,
  b: string,
  options: BaselineOptions = {},
): number {
  const left = new Set(tokensOf(a, options));
  const right = new Set(tokensOf(b, options));

  let shared = 0;
  for (const token of left) if (right.has(token)) shared += 1;
  const union = left.size + right.size - shared;
  return union === 0 ? 0 : shared / union;
}

/** {@link jaccardSimilarity} of every pair. */
export function jaccardScores(
  pairs: readonly TextPair[],
  options: BaselineOptions = {},
): number[] {
  return pairs.map((pair) => jaccardSimilarity(pair.a, pair.b, options));
}

/**
 * Inverse document frequencies fitted on a set of texts, with sklearn's
 * smoothing: idf = ln((1 + n) / (1 + df)) + 1, where n is the number of
 * texts and df the number holding the token.
 */
export class IdfTable {
  private readonly idf: Map<string, number>;
  private readonly unseen: number;

  private constructor(idf: Map<string, number>, unseen: number) {
    this.idf = idf;
    this.unseen = unseen;
  }

  /**
   * Fits on `texts`; identical texts count once, so a query repeated for
   * each of its candidates does not look like a common sentence.
   */
  static fit(texts: Iterable<string>, options: BaselineOptions = {}): IdfTable {
    const distinct = new Set(texts);
    const df = new Map<string, number>();
    for (const text of distinct) {
      for (const token of new Set(tokensOf(text, options))) {
        df.set(token, (df.get(token) ?? 0) + 1);
      }
    }

    const n = distinct.size;
    const idf = new Map<string, number>();
    for (const [token, count] of df) {
      idf.set(token, Math.log((1 + n) / (1 + count)) + 1);
    }
    return new IdfTable(idf, Math.log(1 + n) + 1);
  }

  /** The idf of `token`; a token never seen gets the df = 0 value. */
  weight(token: string): number {
    return this.idf.get(token) ?? this.unseen;
  }
}

/**
 * TF-IDF cosine of every pair: raw token counts times idf, each vector
 * scaled to unit length, then the dot product, in [0, 1]. The idf is
 * fitted on the pairs' own texts unless `idf` is given. A text without
 * tokens scores 0 against anything.
 */
export function tfidfScores(
  pairs: readonly TextPair[],
  options: BaselineOptions & { idf?: IdfTable } = {},
): number[] {
  const idf =
    options.idf ??
    IdfTable.fit(
      pairs.flatMap((pair) => [pair.a, pair.b]),
      options,
    );
  return pairs.map((pair) =>
    sparseCosine(
      tfidfVector(pair.a, idf, options),
      tfidfVector(pair.b, idf, options),
    ),
  );
}

/** Token -> tf x idf weights of one text (not normalised). */
function tfidfVector(
  text: string,
  idf: IdfTable,
  options: BaselineOptions,
): Map<string, number> {
  const counts = new Map<string, number>();
  for (const token of tokensOf(text, options)) {
    counts.set(token, (counts.get(token) ?? 0) + 1);
  }
  for (const [token, count] of counts) {
    counts.set(token, count * idf.weight(token));
  }
  return counts;
}

function sparseCosine(
  left: Map<string, number>,
  right: Map<string, number>,
): number {
  let dot = 0;
  for (const [token, weight] of left) dot += weight * (right.get(token) ?? 0);
  const norms = sparseNorm(left) * sparseNorm(right);
  // Clamped: rounding lets identical texts score 1 + 4e-16.
  return norms === 0 ? 0 : Math.min(1, dot / norms);
}

function sparseNorm(vector: Map<string, number>): number {
  let sum = 0;
  for (const weight of vector.values()) sum += weight * weight;
  return Math.sqrt(sum);
}

/**
 * Mean of the word vectors of the text's tokens that `vectors` knows,
 * in double precision; undefined when it knows none of them.
 */
export function averageVector(
  text: string,
  vectors: WordLookup,
  options: BaselineOptions = {},
): Float64Array | undefined {
  const sum = new Float64Array(vectors.dim);
  let known = 0;

  for (const token of tokensOf(text, options)) {
    const vector = vectors.lookup(token);
    if (vector === undefined) continue;
    for (let i = 0; i < sum.length; i += 1) {
      sum[i] = (sum[i] ?? 0) + (vector[i] ?? 0);
    }
    known += 1;
  }

  if (known === 0) return undefined;
  for (let i = 0; i < sum.length; i += 1) sum[i] = (sum[i] ?? 0) / known;
  return sum;
}

/**
 * Cosine of the averaged word vectors of every pair, in [-1, 1]. A text
 * with no known word, or whose average is the zero vector, scores 0.
 */
export function averagedVectorScores(
  pairs: readonly TextPair[],
  vectors: WordLookup,
  options: BaselineOptions = {},
): number[] {
  return pairs.map((pair) => {
    const left = averageVector(pair.a, vectors, options);
    const right = averageVector(pair.b, vectors, options);
    return left === undefined || right === undefined
      ? 0
      : denseCosine(left, right);
  });
}

function denseCosine(left: Float64Array, right: Float64Array): number {
  let dot = 0;
  let leftSum = 0;
  let rightSum = 0;
  for (let i = 0; i < left.length; i += 1) {
    const x = left[i] ?? 0;
    const y = right[i] ?? 0;
    dot += x * y;
    leftSum += x * x;
    rightSum += y * y;
  }
  const norms = Math.sqrt(leftSum) * Math.sqrt(rightSum);
  return norms === 0 ? 0 : Math.max(-1, Math.min(1, dot / norms));
}

function tokensOf(text: string, options: BaselineOptions): string[] {
  return tokenize(text, options.maxTokens ?? Number.POSITIVE_INFINITY);
}
