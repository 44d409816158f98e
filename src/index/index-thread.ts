/**
 * A {@link VectorIndex} held by a worker thread of its own, so that
 * graph work (lookups, inserts, loading and saving) runs beside the main
 * thread's embedding, SQLite and HTTP work instead of after it.
 *
 * The parent keeps the index's label sets itself, so size, membership
 * and the rebuild check answer at once, and checks every input before
 * sending it: a bad id or vector throws `bad_input` here, synchronously,
 * with nothing sent. Changes are sent without waiting (their promises
 * may be ignored; a failure is logged); the thread handles requests in
 * the order sent, so a search always sees every change sent before it.
 */
import { Worker } from 'node:worker_threads';

import { AppError, ErrorCode } from '../errors/app-error.js';
import { silentLogger, type Logger } from '../logging/logger.js';
import { siblingFile, threadStart } from '../runtime/thread-start.js';
import type {
  IndexAnswers,
  IndexReply,
  IndexRequest,
  IndexThreadData,
  ThreadError,
} from './index-thread-protocol.js';
import { IndexLabels } from './index-labels.js';
import type {
  IndexEntry,
  IndexManifest,
  IndexTuning,
  ExpectedIndex,
  Neighbour,
  SearchOptions,
  VectorIndexOptions,
} from './vector-index.js';
import {
  checkIndexOptions,
  checkK,
  checkLabel,
  checkMaxEnergy,
  checkVector,
} from './vector-checks.js';

/** The file the worker thread starts in. */
const ENTRY = siblingFile(import.meta.url, 'index-thread-entry');

/** pino's numeric levels by name, for the thread's forwarded lines. */
const LEVELS: Record<number, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  10: 'trace',
  20: 'debug',
  30: 'info',
  40: 'warn',
  50: 'error',
  60: 'error',
};

interface Waiting {
  resolve(value: unknown): void;
  reject(err: unknown): void;
}

/** The worker thread and the requests waiting on it. */
class IndexChannel {
  private readonly worker: Worker;
  private readonly waiting = new Map<number, Waiting>();
  private seq = 0;
  private stopped: AppError | undefined;
  /** Why the thread stopped without being closed. */
  failure: AppError | undefined;

  constructor(private readonly logger: Logger) {
    const { entry, eval: isScript } = threadStart(ENTRY);
    const workerData: IndexThreadData = { logLevel: logger.level };
    this.worker = new Worker(entry, { eval: isScript, workerData });
    // Only waiting requests keep the process alive.
    this.worker.unref();
    this.worker.on('message', (reply: IndexReply) => this.receive(reply));
    this.worker.on('error', (err) => this.fail(`it failed: ${err.message}`));
    this.worker.on('exit', (code) => this.fail(`it exited with code ${code}`));
  }

  /** Sends `request`; resolves with the thread's answer. */
  call<R extends IndexRequest>(
    request: R,
    transfer: ArrayBuffer[] = [],
  ): Promise<IndexAnswers[R['op']]> {
    if (this.stopped) return Promise.reject(this.stopped);
    const seq = ++this.seq;
    return new Promise((resolve, reject) => {
      if (this.waiting.size === 0) this.worker.ref();
      this.waiting.set(seq, {
        resolve,
        reject,
      });
      this.worker.postMessage({ ...request, seq }, transfer);
    });
  }

  /** Ends the thread; requests still waiting fail. */
  async close(): Promise<void> {
    if (this.stopped) return;
    this.stop('the index was closed');
    await this.worker.terminate();
  }

  private receive(reply: IndexReply): void {
    if (reply.type === 'log') {
      this.forward(reply.line);
      return;
    }
    const waiting = this.waiting.get(reply.seq);
    if (!waiting) return;
    this.waiting.delete(reply.seq);
    if (this.waiting.size === 0) this.worker.unref();
    if (reply.type === 'done') waiting.resolve(reply.value);
    else waiting.reject(errorFrom(reply.error));
  }

  private forward(line: string): void {
    const { level, msg, ...fields } = JSON.parse(line) as {
      level: number;
      msg?: string;
    } & Record<string, unknown>;
    this.logger[LEVELS[level] ?? 'info'](fields, msg ?? '');
  }

  private fail(why: string): void {
    if (this.stopped) return;
    this.stop(why);
    this.failure = this.stopped;
    this.logger.error({ err: this.failure }, 'the index thread stopped');
  }

  private stop(why: string): void {
    if (this.stopped) return;
    this.stopped = new AppError(
      ErrorCode.Internal,
      `HNSW index: the index thread stopped: ${why}`,
    );
    for (const waiting of this.waiting.values()) waiting.reject(this.stopped);
    this.waiting.clear();
  }
}

/** An HNSW index of item vectors, held by a worker thread. */
export class IndexThread {
  /** Vector length. */
  readonly dim: number;
  /** Model version whose vectors this index holds. */
  readonly modelVersion: string;

  private readonly channel: IndexChannel;
  private readonly logger: Logger;
  private readonly ids: IndexLabels;

  private constructor(
    channel: IndexChannel,
    expected: ExpectedIndex,
    tuning: IndexTuning,
  ) {
    this.channel = channel;
    this.dim = expected.dim;
    this.modelVersion = expected.modelVersion;
    this.logger = tuning.logger ?? silentLogger();
    this.ids = new IndexLabels(tuning);
  }

  /**
   * An empty index in a new thread; options as {@link VectorIndex}'s.
   * Throws `bad_input` for bad options.
   */
  static create(options: VectorIndexOptions): IndexThread {
    checkIndexOptions(options);
    const { logger = silentLogger(), ...rest } = options;
    const channel = new IndexChannel(logger);
    const index = new IndexThread(channel, options, options);
    void index.changed(channel.call({ op: 'create', options: rest }), 'create');
    return index;
  }

  /**
   * Loads the index saved in `dir` into a new thread, under the rules
   * of {@link VectorIndex.load}: null, logged, when it is missing,
   * damaged or of another version or length; never throws for those.
   */
  static async load(
    dir: string,
    expected: ExpectedIndex,
    tuning: IndexTuning = {},
  ): Promise<IndexThread | null> {
    const { logger = silentLogger(), ...rest } = tuning;
    const channel = new IndexChannel(logger);
    const labels = await channel
      .call({ op: 'load', dir, expected, tuning: rest })
      .catch(async (err: unknown) => {
        await channel.close();
        throw err;
      });
    if (!labels) {
      await channel.close();
      return null;
    }
    const index = new IndexThread(channel, expected, tuning);
    for (const id of labels.live) index.ids.markLive(id);
    for (const id of labels.deleted) {
      index.ids.markLive(id);
      index.ids.markDeleted(id);
    }
    return index;
  }

  /** Live (searchable) entries. */
  get size(): number {
    return this.ids.live;
  }

  /** Entries deleted but still taking room in the graph. */
  get deletedCount(): number {
    return this.ids.deleted;
  }

  /**
   * The beam width searches of the graph as it stands use, as the
   * thread's {@link VectorIndex.ef} sets it.
   */
  get ef(): number {
    return this.ids.ef;
  }

  /** True when `id` is live in the index. */
  has(id: number): boolean {
    return this.ids.has(id);
  }

  /**
   * Why the thread stopped on its own (it failed or exited; logged when
   * it happened), so that every later call fails; undefined while it
   * runs or after close().
   */
  get failure(): AppError | undefined {
    return this.channel.failure;
  }

  /** As {@link IndexLabels.needsRebuild}. */
  needsRebuild(share?: number): boolean {
    return this.ids.needsRebuild(share);
  }

  /**
   * Adds or replaces vectors, as {@link VectorIndex.addMany}. Checked
   * here (`bad_input`, synchronously, nothing sent); settles once the
   * thread has added them.
   */
  addMany(entries: readonly IndexEntry[]): Promise<void> {
    const flat = this.flatten(entries);
    this.markLive(flat.ids);
    return this.changed(
      this.channel.call({ op: 'add', ...flat }, [flat.values.buffer]),
      'add',
    );
  }

  /** Adds or replaces the vector of `id`; see {@link IndexThread.addMany}. */
  add(id: number, vector: Float32Array): Promise<void> {
    return this.addMany([{ id, vector }]);
  }

  /**
   * Looks each entry up just before adding it, as
   * {@link VectorIndex.lookupAndAdd}: the `k` nearest of each among
   * what came before it.
   */
  lookupAndAdd(
    entries: readonly IndexEntry[],
    k: number,
  ): Promise<Neighbour[][]> {
    checkK(k);
    const flat = this.flatten(entries);
    this.markLive(flat.ids);
    const found = this.channel.call({ op: 'lookupAndAdd', k, ...flat }, [
      flat.values.buffer,
    ]);
    void this.changed(found, 'add');
    return found;
  }

  /** Hides `id` from searches. False when it was not live. */
  remove(id: number): boolean {
    checkLabel(id);
    if (!this.ids.markDeleted(id)) return false;
    void this.changed(this.channel.call({ op: 'remove', id }), 'delete');
    return true;
  }

  /** As {@link VectorIndex.search}; checks its inputs here. */
  search(
    vector: Float32Array,
    k: number,
    options: SearchOptions = {},
  ): Promise<Neighbour[]> {
    checkK(k);
    checkMaxEnergy(options.maxEnergy);
    checkVector(vector, this.dim, 'query vector');
    if (this.ids.live === 0) return Promise.resolve([]);
    const query = Float32Array.from(vector);
    return this.channel.call({ op: 'search', vector: query, k, options }, [
      query.buffer,
    ]);
  }

  /** The stored vector of live entry `id`, undefined when it has none. */
  async vectorOf(id: number): Promise<Float32Array | undefined> {
    if (!this.ids.has(id)) return undefined;
    return (await this.channel.call({ op: 'vectorOf', id })) ?? undefined;
  }

  /** Saves as {@link VectorIndex.save}, after every change sent so far. */
  save(dir: string): Promise<IndexManifest> {
    return this.channel.call({ op: 'save', dir });
  }

  /** Settles once the thread has handled every request sent so far. */
  async flush(): Promise<void> {
    await this.channel.call({ op: 'flush' });
  }

  /** Ends the thread and frees the graph; later calls fail. */
  close(): Promise<void> {
    return this.channel.close();
  }

  /** Checks entries and packs their vectors into one array. */
  private flatten(entries: readonly IndexEntry[]) {
    const values = new Float32Array(entries.length * this.dim);
    const ids = entries.map(({ id, vector }, i) => {
      checkLabel(id);
      checkVector(vector, this.dim, `vector of ${id}`);
      values.set(vector, i * this.dim);
      return id;
    });
    return { ids, values };
  }

  private markLive(ids: readonly number[]): void {
    for (const id of ids) this.ids.markLive(id);
  }

  /** Logs a failed change; the returned promise still rejects. */
  private changed<T>(sent: Promise<T>, action: string): Promise<void> {
    const done = sent.then(() => undefined);
    done.catch((err: unknown) => {
      this.logger.error(
        { err, 'model.version': this.modelVersion },
        `the index thread could not ${action}; rebuild the index`,
      );
    });
    return done;
  }
}

function errorFrom(error: ThreadError): AppError {
  if (error.code && Object.values<string>(ErrorCode).includes(error.code)) {
    return new AppError(error.code as ErrorCode, error.message, error.details);
  }
  return new AppError(
    ErrorCode.Internal,
    `HNSW index: ${error.name}: ${error.message}`,
  );
}
