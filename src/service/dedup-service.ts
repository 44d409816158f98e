/**
 * The dedup service: one object that answers "has this been asked
 * before?". SQLite is the source of truth for items, vectors and pairs;
 * the encoder and the HNSW index serve lookups and can be swapped for a
 * retrained pair while requests keep flowing.
 */
import path from 'node:path';

import type { Database } from 'better-sqlite3';

import type { Config } from '../config/config.js';
import { energy, similarityFromEnergy } from '../encoder/types.js';
import type { SentenceEncoder } from '../encoder/types.js';
import { AppError, ErrorCode } from '../errors/app-error.js';
import { tuningFromConfig } from '../index/index-options.js';
import type { SearchOptions } from '../index/index-types.js';
import { MANIFEST_FILE } from '../index/index-files.js';
import { readManifest } from '../index/index-manifest.js';
import { IndexThread } from '../index/index-thread.js';
import type { ExpectedIndex } from '../index/vector-index.js';
import type { Logger } from '../logging/logger.js';
import type { ItemStore } from '../store/item-store.js';
import type { ModelStore } from '../store/model-store.js';
import type { PairStore } from '../store/pair-store.js';
import { withSqliteErrors } from '../store/sqlite-error.js';
import { indexDirFor } from './data-files.js';
import {
  embedMissingVectors,
  emptyIndex,
  fillIndex,
  reconcileIndex,
  type ProgressCallback,
} from './index-building.js';
import { describeHits, nearest, type Hit } from './neighbours.js';
import { newPairs, pairViews } from './pair-views.js';
import { loadSeedCorpus, seedCorpusFile } from './seed-corpus.js';
import type { EncoderChoice } from './serving-encoder.js';
import { openServingEncoder } from './serving-encoder.js';
import { ModelSlot, type ServingModel } from './serving-model.js';
import {
  changedSince,
  markOf,
  takeInChanges,
  type StoreSync,
  type SyncMark,
} from './store-sync.js';
import type {
  IndexOrigin,
  IngestInput,
  IngestListener,
  IngestOptions,
  IngestResult,
  Item,
  Neighbour,
  PairInput,
  PairList,
  PairListRequest,
  PairOrigin,
  PairView,
  ScoreResult,
  ServiceStatus,
} from './service-types.js';
import {
  checkExternalId,
  checkK,
  checkMaxEnergy,
  checkText,
} from './text-rules.js';

/** What the service is built from; see openDedupService. */
export interface DedupServiceParts {
  /** Validated settings. */
  config: Config;
  /** Root logger; the service adds `model.version`. */
  logger: Logger;
  /** The migrated SQLite connection the stores use; closed by close(). */
  db: Database;
  /** Items and their vectors. */
  items: ItemStore;
  /** Labelled pairs. */
  pairs: PairStore;
  /** Model versions. */
  models: ModelStore;
}

/** Options of {@link DedupService.start}. */
export interface StartOptions extends EncoderChoice {
  /** Load SEED_CORPUS when the store is empty. Default true. */
  seed?: boolean;
}

/** A saved index loaded before the encoder was known to want it. */
interface EarlyIndex {
  /** The version and length it was loaded for. */
  expected: ExpectedIndex;
  /** The index, or null when the saved one was unusable (logged). */
  index: IndexThread | null;
}

/** Times an ingest re-embeds because the model was swapped meanwhile. */
const SWAP_RETRIES = 5;

/** Items of an ingest sent to the index thread per request: 100. */
const INDEX_PART = 100;

/** Deduplicates texts against a stored corpus. */
export class DedupService {
  /** Validated settings. */
  readonly config: Config;
  /** Items and vectors; read freely, write through the service. */
  readonly items: ItemStore;
  /** Labelled pairs. */
  readonly pairs: PairStore;
  /** Model versions. */
  readonly models: ModelStore;

  private readonly db: Database;
  private readonly logger: Logger;
  private readonly slot = new ModelSlot();
  /** Indexes being built beside the serving one; they mirror changes. */
  private readonly followers = new Set<IndexThread>();
  private origin: IndexOrigin | null = null;
  private started = false;
  private closed = false;
  private dirty = false;
  /** The last save started, settled or not. */
  private saving: Promise<unknown> = Promise.resolve();
  private rebuilding: Promise<void> | null = null;
  private saveTimer: NodeJS.Timeout | undefined;
  private syncTimer: NodeJS.Timeout | undefined;
  private syncing: Promise<StoreSync> | null = null;
  /** How far this process has taken in the store's changes. */
  private syncMark: SyncMark = { throughId: 0, deleted: 0 };
  private readonly ingestListeners = new Set<IngestListener>();

  /** Works on stores over an open database; call start() next. */
  constructor(parts: DedupServiceParts) {
    this.config = parts.config;
    this.logger = parts.logger;
    this.db = parts.db;
    this.items = parts.items;
    this.pairs = parts.pairs;
    this.models = parts.models;
  }

  /**
   * True once start() has loaded the model and index, until close(),
   * unless the serving index's thread has stopped: nothing can be looked
   * up then until a restart rebuilds or reloads the index.
   */
  get ready(): boolean {
    return this.started && !this.closed && !this.slot.current?.index.failure;
  }

  /**
   * Loads the active model (registering and activating it if new),
   * embeds live items that lack vectors for it, loads the saved index
   * from DATA_DIR/index/<version> when it matches (reconciled with
   * SQLite) or rebuilds it from stored vectors, then loads the seed
   * corpus into an empty store. Throws `model_invalid` when no model
   * can be loaded.
   */
  async start(options: StartOptions = {}): Promise<void> {
    if (this.started || this.closed) {
      throw new AppError(ErrorCode.Internal, 'the service was started twice');
    }
    const early = this.loadIndexEarly();
    let encoder: SentenceEncoder;
    try {
      encoder = await openServingEncoder(
        this.config,
        this.models,
        this.logger,
        options,
      );
    } catch (err) {
      await (await early)?.index?.close();
      throw err;
    }
    const log = this.logger.child({ 'model.version': encoder.version });

    try {
      const embedded = await embedMissingVectors(encoder, this.items);
      if (embedded > 0) log.info({ count: embedded }, 'embedded items');
      const index = await this.openIndex(encoder, log, await early);
      this.slot.put({ encoder, index });
      if (options.seed ?? true) await this.seed(log);
    } catch (err) {
      if (this.slot.current) this.slot.clear();
      else encoder.dispose();
      throw err;
    }

    this.started = true;
    log.info({ ...this.status() }, 'service ready');
    this.syncMark = markOf(this.items);
    // Saved in the background: the service is ready already, and close()
    // waits for the save.
    if (this.dirty) {
      this.saveIndex().catch((err: unknown) =>
        this.logger.error({ err }, 'saving the index failed'),
      );
    }
    this.startSaveTimer();
    this.startSyncTimer();
  }

  /** Readiness, model and index facts. */
  status(): ServiceStatus {
    const model = this.slot.current;
    return {
      ready: this.ready,
      modelVersion: model?.encoder.version ?? null,
      threshold: model?.encoder.threshold ?? null,
      margin: model?.encoder.margin ?? null,
      indexSize: model?.index.size ?? 0,
      indexDeleted: model?.index.deletedCount ?? 0,
      indexEf: model?.index.ef ?? null,
      indexOrigin: this.origin,
    };
  }

  /**
   * Stores `inputs` (one transaction: items and their vectors), adds
   * them to the index, and returns for each its likely duplicates among
   * the items stored before it, nearest first. All or nothing: a bad
   * text (`bad_input`) or a taken external id (`conflict`) stores none.
   */
  async ingest(
    inputs: readonly IngestInput[],
    options: IngestOptions = {},
  ): Promise<IngestResult[]> {
    this.requireReady();
    const max = this.config.MAX_TEXT_CHARS;
    inputs.forEach((input, i) => {
      const at = inputs.length === 1 ? '' : `items.${i}.`;
      checkText(`${at}text`, input.text, max);
      if (input.externalId !== undefined && input.externalId !== null) {
        checkExternalId(`${at}external_id`, input.externalId);
      }
    });
    if (inputs.length === 0) return [];
    return this.ingestChecked(inputs, options.neighbours ?? true);
  }

  /**
   * Calls `listener` after every ingest that stored items (the review
   * queue takes likely duplicates from it). A listener's error is
   * logged, never passed to the caller. Returns the unsubscribe function.
   */
  onIngest(listener: IngestListener): () => void {
    this.ingestListeners.add(listener);
    return () => this.ingestListeners.delete(listener);
  }

  /** The live item `id`; throws `not_found` for unknown or deleted ids. */
  getItem(id: number): Item {
    const item = this.items.get(id);
    if (!item || item.deletedAt !== null) throw itemNotFound(id);
    return item;
  }

  /**
   * Soft-deletes item `id` and hides it from searches; throws
   * `not_found` for unknown or already deleted ids. Starts a background
   * index rebuild once INDEX_REBUILD_DELETED_SHARE of the index's
   * entries are deleted.
   */
  deleteItem(id: number): void {
    const model = this.requireReady();
    this.getItem(id);
    // Counted as seen, so the next look at the store has nothing to do.
    if (this.items.softDelete(id)) this.syncMark.deleted += 1;

    model.index.remove(id);
    for (const index of this.followers) index.remove(id);
    this.dirty = true;

    const share = this.config.INDEX_REBUILD_DELETED_SHARE;
    if (model.index.needsRebuild(share)) {
      this.rebuildIndex().catch((err: unknown) =>
        this.logger.error({ err }, 'index rebuild failed'),
      );
    }
  }

  /**
   * The `k` (1 to MAX_K) live items nearest to `text`, nearest first,
   * only those with energy <= `maxEnergy` when it is given.
   */
  async search(
    text: string,
    k: number,
    maxEnergy?: number,
  ): Promise<Neighbour[]> {
    this.requireReady();
    checkText('text', text, this.config.MAX_TEXT_CHARS);
    checkK('k', k, this.config.MAX_K);
    checkMaxEnergy('max_energy', maxEnergy);

    return this.slot.use(async (model) => {
      const [vector] = await model.encoder.embed([text]);
      return this.neighboursOf(model, vector as Float32Array, k, {
        maxEnergy,
      });
    });
  }

  /**
   * The `k` live items nearest to stored item `item`, the item itself
   * left out. Searches from the vector the index holds for it, so
   * nothing is embedded; embeds `item.text` only when the index has no
   * vector for it yet (stored by another process since the last sync).
   */
  async searchItem(
    item: { id: number; text: string },
    k: number,
  ): Promise<Neighbour[]> {
    this.requireReady();
    checkK('k', k, this.config.MAX_K);

    return this.slot.use(async (model) => {
      const vector =
        (await model.index.vectorOf(item.id)) ??
        (await model.encoder.embed([item.text]))[0];
      return this.neighboursOf(model, vector as Float32Array, k, {
        exclude: [item.id],
      });
    });
  }

  /** The `k` items nearest to `vector` in `model`'s index, described. */
  private async neighboursOf(
    { encoder, index }: ServingModel,
    vector: Float32Array,
    k: number,
    options: SearchOptions,
  ): Promise<Neighbour[]> {
    const hits = await index.search(vector, k, options);
    const known = this.items.getMany(hits.map((hit) => hit.id));
    return describeHits(hits, known, encoder.margin);
  }

  /** Energy, similarity and verdict between two texts. */
  async score(a: string, b: string): Promise<ScoreResult> {
    this.requireReady();
    checkText('a', a, this.config.MAX_TEXT_CHARS);
    checkText('b', b, this.config.MAX_TEXT_CHARS);

    return this.slot.use(async ({ encoder }) => {
      const [va, vb] = await encoder.embed([a, b]);
      const e = energy(va as Float32Array, vb as Float32Array);
      return {
        energy: e,
        similarity: similarityFromEnergy(e, encoder.margin),
        duplicate: e <= encoder.threshold,
      };
    });
  }

  /**
   * Stores labelled pairs in one transaction and returns them with their
   * texts. Item sides must name live items (`not_found`); text sides
   * follow the text rules (`bad_input`). `where` prefixes field names in
   * errors (default `pairs`; '' for a single pair).
   */
  addPairs(
    inputs: readonly PairInput[],
    origin: PairOrigin,
    where = 'pairs',
  ): PairView[] {
    const pairs = newPairs(
      inputs,
      origin,
      this.items,
      this.config.MAX_TEXT_CHARS,
      where,
    );
    const ids = this.pairs.addMany(pairs);
    const stored = ids.map((id) => this.pairs.get(id)).filter((p) => !!p);
    return pairViews(stored, this.items);
  }

  /** One page of pairs, oldest first, with the total matching count. */
  listPairs(request: PairListRequest = {}): PairList {
    const page = this.pairs.list(request);
    const { label, source, who } = request;
    return {
      pairs: pairViews(page.pairs, this.items),
      nextAfter: page.nextAfter,
      total: this.pairs.count({ label, source, who }),
    };
  }

  /**
   * Embeds every live item with `encoder` (reusing vectors already
   * stored for its version) into a new index beside the serving one,
   * which keeps serving. Deletions made meanwhile reach the new index
   * too. Pass the result to activateModel, or to discardIndex.
   */
  async buildIndexFor(
    encoder: SentenceEncoder,
    onProgress?: ProgressCallback,
  ): Promise<IndexThread> {
    const model = this.requireReady();
    if (encoder.version === model.encoder.version) {
      throw new AppError(
        ErrorCode.Conflict,
        `model version "${encoder.version}" is already serving`,
        { 'model.version': encoder.version },
      );
    }

    const log = this.logger.child({ 'model.version': encoder.version });
    const live = this.items.count().live;
    const index = emptyIndex(
      this.config,
      encoder.version,
      encoder.dim,
      live,
      this.logger,
    );
    this.followers.add(index);
    try {
      await embedMissingVectors(encoder, this.items, onProgress);
      await fillIndex(index, this.items);
    } catch (err) {
      this.followers.delete(index);
      await index.close();
      throw err;
    }
    log.info({ count: index.size }, 'built a candidate index');
    return index;
  }

  /**
   * Closes an index built by buildIndexFor (or loaded for activateModel)
   * that will not serve, and stops feeding deletions to it.
   */
  discardIndex(index: IndexThread): void {
    this.followers.delete(index);
    if (this.slot.current?.index !== index) void index.close();
  }

  /**
   * Makes `encoder` and `index` the serving pair in one step. The
   * version must be registered in the model store; it becomes the active
   * one. Items stored since the index was built are embedded and added
   * first; then the swap happens with no await between the last check
   * and the assignment, so no item is missed. Requests running on the
   * old pair finish on it; its encoder is disposed and its index closed
   * after them. The new index is saved; `index` is closed when a fresh
   * one had to replace it. Throws `bad_input` when the index holds another
   * version or length, `not_found` when the version is not registered.
   */
  async activateModel(
    encoder: SentenceEncoder,
    index: IndexThread,
  ): Promise<void> {
    this.requireReady();
    const version = encoder.version;
    if (index.modelVersion !== version || index.dim !== encoder.dim) {
      throw new AppError(
        ErrorCode.BadInput,
        `the index holds ${index.dim}-d vectors of ${index.modelVersion}; ` +
          `the encoder makes ${encoder.dim}-d vectors of ${version}`,
        { 'model.version': version },
      );
    }
    if (!this.models.get(version)) {
      throw new AppError(
        ErrorCode.NotFound,
        `model version "${version}" is not registered; register it first`,
        { 'model.version': version },
      );
    }

    this.followers.add(index);
    const ready = await this.catchUp(encoder, index);

    // From the last check in catchUp to here nothing awaits.
    this.models.activate(version);
    this.slot.put({ encoder, index: ready });
    this.followers.delete(index);
    this.followers.delete(ready);
    if (ready !== index) void index.close();
    this.dirty = true;
    this.logger.info(
      { 'model.version': version, count: ready.size },
      'activated model',
    );
    await this.saveIndex();
  }

  /**
   * Rebuilds the serving index from stored vectors beside the old one
   * and swaps it in, dropping deleted entries. One rebuild runs at a
   * time; a second call joins it.
   */
  rebuildIndex(): Promise<void> {
    this.rebuilding ??= this.rebuildNow().finally(() => {
      this.rebuilding = null;
    });
    return this.rebuilding;
  }

  /**
   * Takes in what other processes sharing the SQLite file changed since
   * the last look (see store-sync.ts): items they stored are embedded if
   * they lack a vector for the serving model and indexed, items they
   * deleted leave the index. Runs every STORE_SYNC_SECONDS; one look at
   * a time, a second call joins it.
   */
  syncFromStore(): Promise<StoreSync> {
    this.syncing ??= this.syncNow().finally(() => {
      this.syncing = null;
    });
    return this.syncing;
  }

  /** Saves the serving index to DATA_DIR/index/<version>. */
  async saveIndex(): Promise<void> {
    const model = this.slot.current;
    if (!model) return;
    this.dirty = false;
    const dir = indexDirFor(this.config.dataDir, model.index.modelVersion);
    const saved = model.index.save(dir);
    this.saving = saved.catch(() => undefined);
    try {
      await saved;
    } catch (err) {
      this.dirty = true;
      throw err;
    }
  }

  /**
   * Stops the service: waits for a running rebuild, saves the index if
   * it changed, disposes the encoder and closes SQLite. Safe to call
   * twice.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.saveTimer);
    clearInterval(this.syncTimer);

    await this.rebuilding?.catch(() => undefined);
    await this.syncing?.catch(() => undefined);
    await this.saving;
    try {
      // An index whose thread stopped has nothing left to save.
      const failed = this.slot.current?.index.failure;
      if (this.started && this.dirty && !failed) await this.saveIndex();
    } finally {
      this.slot.clear();
      for (const index of this.followers) void index.close();
      this.followers.clear();
      if (this.db.open) this.db.close();
    }
  }

  /** Throws `not_ready` unless started; returns the serving pair. */
  private requireReady(): ServingModel {
    const model = this.slot.current;
    if (!this.ready || !model) {
      const failure = model?.index.failure;
      throw new AppError(
        ErrorCode.NotReady,
        this.closed
          ? 'the service is shutting down'
          : failure
            ? `${failure.message}; restart the service to reload the index`
            : 'the service is starting: the model and index are loading',
      );
    }
    return model;
  }

  /** Embeds and stores checked inputs; re-embeds after a model swap. */
  private async ingestChecked(
    inputs: readonly IngestInput[],
    neighbours: boolean,
  ): Promise<IngestResult[]> {
    const texts = inputs.map((input) => input.text);
    for (let attempt = 0; attempt < SWAP_RETRIES; attempt++) {
      const results = await this.slot.use(async (model) => {
        const vectors = await model.encoder.embed(texts);
        if (this.slot.current !== model) return undefined;
        return await this.storeAndIndex(model, inputs, vectors, neighbours);
      });
      if (results) return results;
    }
    throw new AppError(
      ErrorCode.Internal,
      'the model changed during every attempt to store the items',
    );
  }

  /**
   * The second half of an ingest: store, then look up and index. The
   * index work is sent before anything awaits, so a delete or search
   * that follows reaches the index thread after these entries. It goes
   * in parts of INDEX_PART items, each answered on its own, so that
   * this thread describes and announces one part while the index
   * thread works on the next.
   */
  private async storeAndIndex(
    model: ServingModel,
    inputs: readonly IngestInput[],
    vectors: Float32Array[],
    neighbours: boolean,
  ): Promise<IngestResult[]> {
    const { encoder, index } = model;
    const save = this.db.transaction(() => {
      const ids = this.items.insertMany(inputs);
      this.items.saveVectors(
        encoder.version,
        ids.map((itemId, i) => ({
          itemId,
          vector: vectors[i] as Float32Array,
        })),
      );
      return ids;
    });
    const ids = withSqliteErrors({ action: 'store items' }, () => save());

    const entries = ids.map((id, i) => ({
      id,
      vector: vectors[i] as Float32Array,
    }));
    // Each item is looked up just before it is added, so it meets what
    // came before it, earlier items of its own batch included, and the
    // index does the work a pairwise pass over the batch would.
    const k = Math.max(1, this.config.INGEST_NEIGHBOURS);
    const parts = [];
    for (let start = 0; start < entries.length; start += INDEX_PART) {
      const part = entries.slice(start, start + INDEX_PART);
      const found = neighbours
        ? index.lookupAndAdd(part, k)
        : index.addMany(part).then(() => part.map((): Hit[] => []));
      // Awaited below; a part that fails while an earlier one is awaited
      // must not count as an unhandled rejection meanwhile.
      found.catch(() => undefined);
      parts.push({ ids: part.map((entry) => entry.id), found });
    }
    for (const follower of this.followers) {
      if (follower.modelVersion === encoder.version) {
        void follower.addMany(entries);
      }
    }
    this.dirty = true;

    const results: IngestResult[] = [];
    for (const part of parts) {
      const hits = (await part.found).map((list) => nearest(list, k));
      const known = this.items.getMany([
        ...part.ids,
        ...hits.flatMap((list) => list.map((hit) => hit.id)),
      ]);
      const described = part.ids.map((id, i) =>
        this.ingestResult(known.get(id) as Item, hits[i] ?? [], known, encoder),
      );
      this.notifyIngest(described, encoder.version, neighbours ? k : 0);
      results.push(...described);
    }
    return results;
  }

  private notifyIngest(
    results: IngestResult[],
    version: string,
    searched: number,
  ): void {
    for (const listener of this.ingestListeners) {
      try {
        listener(results, version, searched);
      } catch (err) {
        this.logger.error({ err }, 'an ingest listener failed');
      }
    }
  }

  private ingestResult(
    item: Item,
    hits: Parameters<typeof describeHits>[0],
    known: Map<number, Item>,
    encoder: SentenceEncoder,
  ): IngestResult {
    const near = describeHits(hits, known, encoder.margin);
    const first = near[0];
    return {
      item,
      duplicates: near
        .slice(0, this.config.INGEST_NEIGHBOURS)
        .filter((hit) => hit.energy < encoder.margin),
      duplicate: first !== undefined && first.energy <= encoder.threshold,
    };
  }

  /**
   * Starts loading the saved index of the store's active version, when
   * there is one, so that it loads while the encoder does. The vector
   * length comes from the saved manifest; openIndex takes the result
   * only if the encoder turns out to be that version and length.
   */
  private async loadIndexEarly(): Promise<EarlyIndex | null> {
    const active = this.models.active();
    if (!active) return null;
    const dir = indexDirFor(this.config.dataDir, active.version);
    const read = await readManifest(path.join(dir, MANIFEST_FILE));
    if (!read.ok) return null;
    const expected = { modelVersion: active.version, dim: read.manifest.dim };
    // A thread that fails here fails again in openIndex, which reports it.
    const index = await this.loadSavedIndex(expected).catch(() => undefined);
    return index === undefined ? null : { expected, index };
  }

  /** The saved index of `expected`, or null (logged) when unusable. */
  private loadSavedIndex(expected: ExpectedIndex): Promise<IndexThread | null> {
    return IndexThread.load(
      indexDirFor(this.config.dataDir, expected.modelVersion),
      expected,
      // The index adds `model.version` to its own log lines.
      { ...tuningFromConfig(this.config), logger: this.logger },
    );
  }

  /**
   * The saved index if usable (the early one when it fits `encoder`),
   * reconciled; else one rebuilt.
   */
  private async openIndex(
    encoder: SentenceEncoder,
    log: Logger,
    early: EarlyIndex | null,
  ): Promise<IndexThread> {
    const version = encoder.version;
    const expected = { modelVersion: version, dim: encoder.dim };
    const fits =
      early?.expected.modelVersion === version &&
      early.expected.dim === encoder.dim;
    if (!fits) await early?.index?.close();
    const loaded = fits ? early.index : await this.loadSavedIndex(expected);

    if (loaded) {
      const { added, stale } = reconcileIndex(loaded, this.items);
      if (!stale) {
        if (added > 0) {
          log.warn({ count: added }, 'added items the saved index lacked');
          this.dirty = true;
        }
        this.origin = 'loaded';
        return loaded;
      }
      log.warn('the saved index holds deleted items; rebuilding it');
      await loaded.close();
    }

    const stored = this.items.countVectors(version);
    const index = emptyIndex(
      this.config,
      version,
      encoder.dim,
      stored,
      this.logger,
    );
    await fillIndex(index, this.items);
    log.info({ count: index.size }, 'rebuilt the index from SQLite');
    this.origin = 'rebuilt';
    this.dirty = true;
    return index;
  }

  /** Loads the seed corpus into an empty store. */
  private async seed(log: Logger): Promise<void> {
    const counts = this.items.count();
    if (counts.live + counts.deleted > 0) return;
    const file = seedCorpusFile(this.config);
    if (!file) return;

    await loadSeedCorpus(
      file,
      this.config.MAX_TEXT_CHARS,
      (batch) => this.ingestChecked(batch, false),
      log,
    );
  }

  /**
   * Embeds items stored since `index` was built and adds them, until a
   * check finds none missing; returns the index to serve (a fresh one
   * when `index` held deleted items). Returns right after that check.
   */
  private async catchUp(
    encoder: SentenceEncoder,
    index: IndexThread,
  ): Promise<IndexThread> {
    let target = index;
    for (;;) {
      await embedMissingVectors(encoder, this.items);
      if (hasMissingVectors(this.items, encoder.version)) continue;

      const { stale } = reconcileIndex(target, this.items);
      if (!stale) return target;

      const live = this.items.countVectors(encoder.version);
      const fresh = emptyIndex(
        this.config,
        encoder.version,
        encoder.dim,
        live,
        this.logger,
      );
      // The caller's index is the caller's to close.
      if (target !== index) {
        this.followers.delete(target);
        void target.close();
      }
      target = fresh;
      this.followers.add(target);
      await fillIndex(target, this.items);
    }
  }

  private async rebuildNow(): Promise<void> {
    const model = this.requireReady();
    const { encoder } = model;
    const live = this.items.countVectors(encoder.version);
    const index = emptyIndex(
      this.config,
      encoder.version,
      encoder.dim,
      live,
      this.logger,
    );

    this.followers.add(index);
    try {
      await fillIndex(index, this.items);
    } catch (err) {
      await index.close();
      throw err;
    } finally {
      this.followers.delete(index);
    }

    // A model swap or shutdown while filling makes this index moot.
    if (this.slot.current !== model || this.closed) {
      await index.close();
      return;
    }
    this.slot.put({ encoder, index });
    this.dirty = true;
    this.logger.info(
      { 'model.version': encoder.version, count: index.size },
      'rebuilt the index without deleted items',
    );
    await this.saveIndex();
  }

  private async syncNow(): Promise<StoreSync> {
    const none: StoreSync = { added: 0, removed: 0 };
    if (!this.ready || !changedSince(this.items, this.syncMark)) return none;

    return this.slot.use(async (model) => {
      const { encoder } = model;
      await embedMissingVectors(encoder, this.items);
      // A swap meanwhile caught the new pair up by itself.
      if (this.slot.current !== model || this.closed) return none;

      const same = [...this.followers].filter(
        (f) => f.modelVersion === encoder.version,
      );
      const { sync, mark } = takeInChanges(
        this.items,
        encoder.version,
        [model.index, ...same],
        this.syncMark,
      );
      this.syncMark = mark;
      if (sync.added + sync.removed === 0) return sync;

      this.dirty = true;
      this.logger.info(
        { 'model.version': encoder.version, ...sync },
        'took in items other processes stored or deleted',
      );
      const share = this.config.INDEX_REBUILD_DELETED_SHARE;
      if (model.index.needsRebuild(share)) {
        this.rebuildIndex().catch((err: unknown) =>
          this.logger.error({ err }, 'index rebuild failed'),
        );
      }
      return sync;
    });
  }

  private startSyncTimer(): void {
    const seconds = this.config.STORE_SYNC_SECONDS;
    if (seconds === 0) return;
    this.syncTimer = setInterval(() => {
      this.syncFromStore().catch((err: unknown) =>
        this.logger.error({ err }, 'taking in store changes failed'),
      );
    }, seconds * 1000);
    this.syncTimer.unref();
  }

  private startSaveTimer(): void {
    const seconds = this.config.INDEX_SAVE_SECONDS;
    if (seconds === 0) return;
    this.saveTimer = setInterval(() => {
      if (!this.dirty || this.closed) return;
      this.saveIndex().catch((err: unknown) =>
        this.logger.error({ err }, 'saving the index failed'),
      );
    }, seconds * 1000);
    this.saveTimer.unref();
  }
}

/** True when some live item has no vector for `version`. */
function hasMissingVectors(items: ItemStore, version: string): boolean {
  const chunks = items.iterateMissingVectors(version, { chunkSize: 1 });
  const first = chunks.next();
  chunks.return(undefined);
  return first.done !== true;
}

function itemNotFound(id: number): AppError {
  return new AppError(
    ErrorCode.NotFound,
    `item ${id} does not exist or was deleted`,
    { id },
  );
}
