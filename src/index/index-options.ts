/**
 * Settings of the vector index. Defaults are the configuration's own
 * defaults, so they are written down in one place (src/config/config.ts).
 */
import { loadConfig, type Config } from '../config/config.js';
import type { Logger } from '../logging/logger.js';

const configDefaults = loadConfig({});

/** HNSW tuning knobs. */
export interface IndexTuning {
  /** Graph degree: links per node. Default HNSW_M, 16. */
  m?: number;
  /** Beam width while building. Default HNSW_EF_CONSTRUCTION, 200. */
  efConstruction?: number;
  /** Beam width while searching; raised to k when k is larger.
   * Default HNSW_EF, 100. */
  ef?: number;
  /** Seed of the level generator, for repeatable graphs. Default 100. */
  randomSeed?: number;
  /** Receives resize, rebuild and load events. Default: silent. */
  logger?: Logger;
}

/** Options of a new index. */
export interface VectorIndexOptions extends IndexTuning {
  /** Length of every vector. */
  dim: number;
  /** Version of the model whose vectors the index holds. */
  modelVersion: string;
  /** Slots allocated at first; doubled whenever more are needed.
   * Default 1,024. */
  initialCapacity?: number;
}

/** Slots allocated by a new index unless told otherwise. */
export const DEFAULT_INITIAL_CAPACITY = 1024;

/** Default seed of the level generator (hnswlib's own default). */
export const DEFAULT_RANDOM_SEED = 100;

/** The tuning defaults: M 16, efConstruction 200, ef 100. */
export const DEFAULT_TUNING = {
  m: configDefaults.HNSW_M,
  efConstruction: configDefaults.HNSW_EF_CONSTRUCTION,
  ef: configDefaults.HNSW_EF,
} as const;

/** Share of deleted entries past which a rebuild pays off. Default 0.2. */
export const DEFAULT_REBUILD_SHARE = configDefaults.INDEX_REBUILD_DELETED_SHARE;

/** The tuning a running service uses, taken from its configuration. */
export function tuningFromConfig(
  config: Config,
): Required<Pick<IndexTuning, 'm' | 'efConstruction' | 'ef'>> {
  return {
    m: config.HNSW_M,
    efConstruction: config.HNSW_EF_CONSTRUCTION,
    ef: config.HNSW_EF,
  };
}
