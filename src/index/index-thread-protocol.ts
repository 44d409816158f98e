/**
 * Messages between an {@link IndexThread} and the worker thread that
 * holds its graph. Requests carry a sequence number; the worker answers
 * each in the order received, so a change sent before a search is
 * always seen by it. Vectors travel as one flat transferred array.
 */
import type { ExpectedIndex, IndexManifest } from './vector-index.js';
import type { IndexTuning, VectorIndexOptions } from './index-options.js';
import type { Neighbour, SearchOptions } from './index-types.js';

/** Tuning without the logger, which cannot cross threads. */
export type ThreadTuning = Omit<IndexTuning, 'logger'>;

/** Index options without the logger. */
export type ThreadIndexOptions = Omit<VectorIndexOptions, 'logger'>;

/** Entries as they travel: ids and their vectors, row after row. */
export interface FlatEntries {
  ids: number[];
  values: Float32Array;
}

/** What the thread is asked to do. */
export type IndexRequest =
  | { op: 'create'; options: ThreadIndexOptions }
  | {
      op: 'load';
      dir: string;
      expected: ExpectedIndex;
      tuning: ThreadTuning;
    }
  | ({ op: 'add' } & FlatEntries)
  | ({ op: 'lookupAndAdd'; k: number } & FlatEntries)
  | { op: 'remove'; id: number }
  | {
      op: 'search';
      vector: Float32Array;
      k: number;
      options: SearchOptions;
    }
  | { op: 'vectorOf'; id: number }
  | { op: 'save'; dir: string }
  | { op: 'flush' };

/** Labels of a loaded graph, for the parent's own bookkeeping. */
export interface LoadedLabels {
  live: number[];
  deleted: number[];
}

/** What each request answers with. */
export interface IndexAnswers {
  create: null;
  load: LoadedLabels | null;
  add: null;
  lookupAndAdd: Neighbour[][];
  remove: null;
  search: Neighbour[];
  vectorOf: Float32Array | null;
  save: IndexManifest;
  flush: null;
}

/** A request with its sequence number. */
export type Numbered = IndexRequest & { seq: number };

/** An error as it crosses the thread boundary. */
export interface ThreadError {
  name: string;
  message: string;
  /** AppError's code, when it was one. */
  code?: string;
  details?: Record<string, unknown>;
}

/** What the thread sends back. */
export type IndexReply =
  | { type: 'done'; seq: number; value: unknown }
  | { type: 'failed'; seq: number; error: ThreadError }
  | { type: 'log'; line: string };

/** Settings the thread starts with. */
export interface IndexThreadData {
  /** pino level name for the thread's log lines. */
  logLevel: string;
}
