/** The shapes the vector index takes and returns. */
import type { IndexTuning } from './index-options.js';

/** One search hit. */
export interface Neighbour {
  /** Item id. */
  id: number;
  /** Euclidean distance from the query; smaller is more alike. */
  energy: number;
}

/** Options of a search. */
export interface SearchOptions {
  /** Drop hits with a larger energy. Default: keep all k. */
  maxEnergy?: number;
  /** Ids never to return, e.g. the query's own item. Default none. */
  exclude?: readonly number[];
}

/** An id and its vector, to add. */
export interface IndexEntry {
  /** Item id, an integer from 0 to 2^32 - 1. */
  id: number;
  /** Vector of length `dim`. */
  vector: Float32Array;
}

/** Where a rebuild reads vectors from; ItemStore is one. */
export interface VectorSource {
  /** How many live items have a vector for `modelVersion`. */
  countVectors(modelVersion: string): number;
  /** Live items' vectors in chunks. */
  iterateVectors(
    modelVersion: string,
    options?: { chunkSize?: number },
  ): Iterable<readonly { itemId: number; vector: Float32Array }[]>;
}

/** Options of a rebuild from stored vectors. */
export interface RebuildOptions extends IndexTuning {
  /** Vector length of the model version. */
  dim: number;
  /** Vectors read per chunk; the event loop runs between chunks.
   * Default 1,000. */
  chunkSize?: number;
}
