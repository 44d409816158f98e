/**
 * The nearest-neighbour index over item vectors: an HNSW graph (hnswlib)
 * in squared-Euclidean space, reporting energies as true Euclidean
 * distances. Labels are item ids. It grows on its own, hides deleted
 * items, and saves to and loads from a folder with a checksummed manifest.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';

import { AppError, ErrorCode } from '../errors/app-error.js';
import { silentLogger, type Logger } from '../logging/logger.js';
import { callNative, HierarchicalNSW, type NativeIndex } from './hnswlib.js';
import { IndexLabels } from './index-labels.js';
import type { IndexManifest } from './index-manifest.js';
import {
  DEFAULT_INITIAL_CAPACITY,
  DEFAULT_RANDOM_SEED,
  DEFAULT_TUNING,
  type IndexTuning,
  type VectorIndexOptions,
} from './index-options.js';
import type {
  IndexEntry,
  Neighbour,
  RebuildOptions,
  SearchOptions,
  VectorSource,
} from './index-types.js';
import { writeSavedIndex } from './save-index.js';
import { checkSavedIndex, type ExpectedIndex } from './saved-index.js';
import {
  checkIndexOptions,
  checkK,
  checkLabel,
  checkMaxEnergy,
  nativeVector,
} from './vector-checks.js';

export type * from './index-types.js';
export type { ExpectedIndex, IndexManifest, IndexTuning, VectorIndexOptions };

/** Spare room allocated over the item count by a rebuild: 25 %. */
const REBUILD_HEADROOM = 1.25;

/** An HNSW index of item vectors for one model version. */
export class VectorIndex {
  /** Vector length. */
  readonly dim: number;
  /** Model version whose vectors this index holds. */
  readonly modelVersion: string;

  private readonly hnsw: NativeIndex;
  private readonly logger: Logger;
  private readonly ids: IndexLabels;
  /** The ef last given to hnswlib; searches widen it as the graph grows. */
  private appliedEf = 0;
  private saving: Promise<unknown> = Promise.resolve();

  /** Creates an empty index. Throws `bad_input` for bad options. */
  constructor(options: VectorIndexOptions) {
    checkIndexOptions(options);
    this.dim = options.dim;
    this.modelVersion = options.modelVersion;
    this.logger = (options.logger ?? silentLogger()).child({
      'model.version': options.modelVersion,
    });

    this.hnsw = new HierarchicalNSW('l2', options.dim);
    callNative('init', () =>
      this.hnsw.initIndex({
        maxElements: options.initialCapacity ?? DEFAULT_INITIAL_CAPACITY,
        m: options.m ?? DEFAULT_TUNING.m,
        efConstruction: options.efConstruction ?? DEFAULT_TUNING.efConstruction,
        randomSeed: options.randomSeed ?? DEFAULT_RANDOM_SEED,
      }),
    );
    this.ids = new IndexLabels(options);
    this.applyEf();
  }

  /**
   * The beam width hnswlib searches the graph with, as it stands now:
   * the configured ef, widened for a large graph unless `growEf` is off.
   */
  get ef(): number {
    this.applyEf();
    return callNative('getEf', () => this.hnsw.getEf());
  }

  /** Live (searchable) entries. */
  get size(): number {
    return this.ids.live;
  }

  /** Entries deleted but still taking room in the graph. */
  get deletedCount(): number {
    return this.ids.deleted;
  }

  /** Slots allocated; grows by doubling. */
  get capacity(): number {
    return this.hnsw.getMaxElements();
  }

  /** True when `id` is live in the index. */
  has(id: number): boolean {
    return this.ids.has(id);
  }

  /** The stored vector of live entry `id`, undefined when it has none. */
  vectorOf(id: number): Float32Array | undefined {
    if (!this.ids.has(id)) return undefined;
    return Float32Array.from(
      callNative('getPoint', () => this.hnsw.getPoint(id)),
    );
  }

  /** Adds or replaces the vector of `id`; see {@link VectorIndex.addMany}. */
  add(id: number, vector: Float32Array): void {
    this.addMany([{ id, vector }]);
  }

  /**
   * Adds or replaces vectors, growing the index first when they would not
   * fit. A deleted id added again becomes live. Every entry is checked
   * before any is added: a bad id or vector throws `bad_input`.
   */
  addMany(entries: readonly IndexEntry[]): void {
    for (const { id, values } of this.prepare(entries)) this.insert(id, values);
  }

  /**
   * Looks each entry up just before adding it, so that each meets what
   * came before it, earlier entries of the same call included: the
   * `k` nearest live entries of each, nearest first, as
   * {@link VectorIndex.search} finds them. Every entry is checked first.
   */
  lookupAndAdd(entries: readonly IndexEntry[], k: number): Neighbour[][] {
    checkK(k);
    return this.prepare(entries).map(({ id, values }) => {
      const found = this.nearest(values, k, new Set([id]));
      this.insert(id, values);
      return found;
    });
  }

  /** The ids of live and of deleted entries, each in ascending order. */
  labels(): { live: number[]; deleted: number[] } {
    return this.ids.sorted();
  }

  /** Hides `id` from searches. False when it was not live. */
  remove(id: number): boolean {
    checkLabel(id);
    if (!this.ids.has(id)) return false;

    callNative(`delete ${id}`, () => this.hnsw.markDelete(id));
    return this.ids.markDeleted(id);
  }

  /** As {@link IndexLabels.needsRebuild}. */
  needsRebuild(share?: number): boolean {
    return this.ids.needsRebuild(share);
  }

  /**
   * The `k` live entries nearest to `vector`, nearest first, with their
   * Euclidean energies. Fewer when the index holds fewer, or when
   * `maxEnergy` drops some; empty for an empty index.
   */
  search(
    vector: Float32Array,
    k: number,
    options: SearchOptions = {},
  ): Neighbour[] {
    checkK(k);
    checkMaxEnergy(options.maxEnergy);
    const query = nativeVector(vector, this.dim, 'query vector');
    const limit = options.maxEnergy ?? Infinity;
    return this.nearest(query, k, new Set(options.exclude ?? [])).filter(
      (hit) => hit.energy <= limit,
    );
  }

  /** The `k` live entries nearest to `query` that are not in `exclude`. */
  private nearest(
    query: number[],
    k: number,
    exclude: ReadonlySet<number>,
  ): Neighbour[] {
    // hnswlib refuses k above its capacity, and k above the live count
    // only wastes work.
    const wanted = Math.min(k + exclude.size, this.ids.live);
    if (wanted === 0) return [];
    this.applyEf();

    const found = callNative('search', () =>
      this.hnsw.searchKnn(query, wanted),
    );
    const hits: Neighbour[] = [];
    found.neighbors.forEach((id, i) => {
      const energy = Math.sqrt(Math.max(0, found.distances[i] ?? 0));
      if (!exclude.has(id)) hits.push({ id, energy });
    });
    return hits.slice(0, k);
  }

  /**
   * Saves the index to `dir` (created if needed): the graph file, then
   * the manifest, each written to a temporary name and renamed, so a
   * crash leaves the old save or one that fails its checksum. Saves of
   * one index run one at a time. The graph is written synchronously,
   * blocking the event loop for a moment, so that no add or delete can
   * change it mid-write.
   */
  save(dir: string): Promise<IndexManifest> {
    const run = this.saving.then(() => this.saveNow(dir));
    this.saving = run.catch(() => undefined);
    return run;
  }

  /**
   * Loads the index saved in `dir` if it holds `expected`'s model version
   * and vector length and its graph file matches the manifest's checksum.
   * Returns null, logging why, when anything is missing, damaged or
   * different; never throws. `tuning.ef` and `tuning.growEf` apply; m
   * and efConstruction come from the file.
   */
  static async load(
    dir: string,
    expected: ExpectedIndex,
    tuning: IndexTuning = {},
  ): Promise<VectorIndex | null> {
    const logger = tuning.logger ?? silentLogger();
    const fields = { dir, 'model.version': expected.modelVersion };

    const check = await checkSavedIndex(dir, expected);
    if (!check.ok) {
      const level = check.missing ? 'info' : 'warn';
      logger[level]({ ...fields, reason: check.reason }, 'saved index unused');
      return null;
    }

    try {
      const index = new VectorIndex({
        ...tuning,
        ...expected,
        initialCapacity: 1,
      });
      await index.hnsw.readIndex(check.indexFile);
      index.adoptLabels(check.manifest);
      // The graph just read starts with hnswlib's own ef.
      index.appliedEf = 0;
      index.applyEf();
      logger.info({ ...fields, count: index.size }, 'loaded saved index');
      return index;
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      logger.warn({ ...fields, reason }, 'saved index unused');
      return null;
    }
  }

  /**
   * Builds a fresh index from the vectors stored for `modelVersion`
   * (live items only), yielding to the event loop between chunks.
   * Items deleted while it runs may still be in the result; the caller
   * removes them after swapping the new index in.
   */
  static async rebuildFrom(
    source: VectorSource,
    modelVersion: string,
    options: RebuildOptions,
  ): Promise<VectorIndex> {
    const started = performance.now();
    const expected = source.countVectors(modelVersion);
    const index = new VectorIndex({
      ...options,
      modelVersion,
      initialCapacity: Math.max(1, Math.ceil(expected * REBUILD_HEADROOM)),
    });

    const chunks = source.iterateVectors(modelVersion, {
      chunkSize: options.chunkSize,
    });
    for (const chunk of chunks) {
      index.addMany(
        chunk.map(({ itemId, vector }) => ({ id: itemId, vector })),
      );
      await nextTurn();
    }

    const ms = Math.round(performance.now() - started);
    index.logger.info({ count: index.size, ms }, 'rebuilt index');
    return index;
  }

  /** Gives hnswlib the beam width for the graph's present size. */
  private applyEf(): void {
    const ef = this.ids.ef;
    if (ef === this.appliedEf) return;
    callNative('setEf', () => this.hnsw.setEf(ef));
    if (this.appliedEf !== 0) {
      this.logger.debug({ from: this.appliedEf, to: ef }, 'widened search ef');
    }
    this.appliedEf = ef;
  }

  /**
   * Checks every entry (a bad id or vector throws `bad_input` before
   * any is added) and makes room for the new ones.
   */
  private prepare(entries: readonly IndexEntry[]) {
    const prepared = entries.map(({ id, vector }) => {
      checkLabel(id);
      return { id, values: nativeVector(vector, this.dim, `vector of ${id}`) };
    });
    const fresh = new Set(
      prepared.map((e) => e.id).filter((id) => !this.ids.known(id)),
    );
    this.ensureCapacity(fresh.size);
    return prepared;
  }

  private insert(id: number, values: number[]): void {
    callNative(`add ${id}`, () => this.hnsw.addPoint(values, id));
    this.ids.markLive(id);
  }

  /** Doubles the capacity, as often as needed, so `extra` new ids fit. */
  private ensureCapacity(extra: number): void {
    const needed = this.hnsw.getCurrentCount() + extra;
    const capacity = this.hnsw.getMaxElements();
    if (needed <= capacity) return;

    let grown = Math.max(capacity, 1);
    while (grown < needed) grown *= 2;
    callNative(`resize to ${grown}`, () => this.hnsw.resizeIndex(grown));
    this.logger.debug({ from: capacity, to: grown }, 'grew index');
  }

  private async saveNow(dir: string): Promise<IndexManifest> {
    const manifest = await writeSavedIndex(dir, (file) => {
      callNative('write', () => this.hnsw.writeIndexSync(file));
      return {
        modelVersion: this.modelVersion,
        dim: this.dim,
        count: this.ids.live,
        deletedIds: this.ids.sorted().deleted,
      };
    });
    this.logger.info({ dir, count: manifest.count }, 'saved index');
    return manifest;
  }

  /** Fills the label sets of a freshly read graph from its manifest. */
  private adoptLabels(manifest: IndexManifest): void {
    const ids = this.hnsw.getIdsList();
    const deleted = new Set(manifest.deletedIds);
    const total = manifest.count + deleted.size;

    if (ids.length !== total || this.hnsw.getCurrentCount() !== total) {
      throw new AppError(
        ErrorCode.IndexCorrupt,
        `index file holds ${ids.length} entries; the manifest says ` +
          `${manifest.count} live and ${deleted.size} deleted`,
      );
    }
    for (const id of ids) {
      this.ids.markLive(id);
      if (deleted.has(id)) this.ids.markDeleted(id);
    }
    if (this.ids.deleted !== deleted.size) {
      throw new AppError(
        ErrorCode.IndexCorrupt,
        'the manifest lists deleted ids that the index file lacks',
      );
    }
  }
}
