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
  /** Beam width while building. Default HNSW_EF_CONSTRUCTION, 100. */
  efConstruction?: number;
  /**
   * Beam width while searching a graph of up to EF_GROWTH_FROM entries;
   * raised to k when k is larger. Default HNSW_EF, 100.
   */
  ef?: number;
  /**
   * Widen the beam past EF_GROWTH_FROM entries as {@link grownEf} says,
   * so recall holds as the graph grows. Default true; false keeps `ef`
   * at every size.
   */
  growEf?: boolean;
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

/** The tuning defaults: M 16, efConstruction 100, ef 100. */
export const DEFAULT_TUNING = {
  m: configDefaults.HNSW_M,
  efConstruction: configDefaults.HNSW_EF_CONSTRUCTION,
  ef: configDefaults.HNSW_EF,
} as const;

/** Graph entries up to which a search uses its configured ef as it is. */
export const EF_GROWTH_FROM = 100_000;

/**
 * Power of the size ratio by which the beam widens past EF_GROWTH_FROM
 * entries. HNSW's recall at a fixed beam falls as the graph grows: on
 * the shipped model's sentence vectors, with M 16 and efConstruction
 * 100, recall@10 at ef 100 is 0.991 at 100,000 entries but 0.973 at a
 * million, where the widened beam (317) finds 0.996 for about 0.6 ms
 * more a query (see BENCHMARKS.md).
 */
export const EF_GROWTH_POWER = 0.5;

/**
 * The beam width a search of a graph of `entries` entries (deleted ones
 * included, since searches walk them) uses when configured with `ef`:
 * `ef` itself up to EF_GROWTH_FROM entries, then
 * `ef * (entries / EF_GROWTH_FROM) ** EF_GROWTH_POWER`, rounded up.
 */
export function grownEf(ef: number, entries: number): number {
  if (entries <= EF_GROWTH_FROM) return ef;
  return Math.ceil(ef * (entries / EF_GROWTH_FROM) ** EF_GROWTH_POWER);
}

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
