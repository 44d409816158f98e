/**
 * Keeps a serving process on the active model version. A worker promotes
 * a model by making it active in SQLite, with its vectors stored and
 * its index saved beside the old one; each serving process then loads
 * the model and the saved index, embeds the items ingested since, and
 * swaps them in at once (DedupService.activateModel). Lookups go on
 * with the old model until the swap. The same path rolls back or
 * forward to any registered version.
 */
import type { Config } from '../config/config.js';
import type { SentenceEncoder } from '../encoder/types.js';
import { AppError, ErrorCode } from '../errors/app-error.js';
import { tuningFromConfig } from '../index/index-options.js';
import { IndexThread } from '../index/index-thread.js';
import type { Logger } from '../logging/logger.js';
import { indexDirFor } from '../service/data-files.js';
import type { DedupService } from '../service/dedup-service.js';
import {
  loadSiameseEncoder,
  type EncoderLoader,
} from '../service/serving-encoder.js';
import type { ModelVersion } from '../store/model-store.js';

/** Seconds before a version that failed to load is tried again. */
export const FAILED_RETRY_SECONDS = 60;

/** What a sync did. */
export type SyncOutcome = 'unchanged' | 'swapped';

/** Options of {@link ModelFollower}. */
export interface ModelFollowerOptions {
  /** The started service whose model to keep current. */
  service: DedupService;
  /** Settings (DATA_DIR, HNSW tuning). */
  config: Config;
  /** Logger. */
  logger: Logger;
  /** Loads model folders. Default: SiameseEncoder.load. */
  load?: EncoderLoader;
}

/** Swaps a serving process to the active version, one swap at a time. */
export class ModelFollower {
  private chain: Promise<unknown> = Promise.resolve();
  private failed: { version: string; at: number } | undefined;

  /** Follows through `options.service`. */
  constructor(private readonly options: ModelFollowerOptions) {}

  /**
   * Swaps to the version active in SQLite when it is not the one
   * serving. A version that failed to load is retried after
   * FAILED_RETRY_SECONDS, not at every call. Never runs two swaps at
   * once; calls queue up.
   */
  sync(): Promise<SyncOutcome> {
    return this.serialise(async () => {
      const active = this.options.service.models.active();
      if (!active || active.version === this.serving()) return 'unchanged';
      if (this.recentlyFailed(active.version)) return 'unchanged';
      await this.swapTo(active);
      return 'swapped';
    });
  }

  /**
   * Makes `version` active and serving here (other processes follow on
   * their next sync): a rollback or roll-forward. Throws `not_found` for
   * an unregistered version, `model_invalid` when it cannot be loaded.
   */
  activate(version: string): Promise<ModelVersion> {
    return this.serialise(async () => {
      const { models } = this.options.service;
      const model = models.get(version);
      if (!model) {
        throw new AppError(
          ErrorCode.NotFound,
          `model version "${version}" is not registered`,
          { 'model.version': version },
        );
      }
      if (model.version !== this.serving()) await this.swapTo(model);
      return models.get(version) ?? model;
    });
  }

  private serving(): string | null {
    return this.options.service.status().modelVersion;
  }

  private recentlyFailed(version: string): boolean {
    const failed = this.failed;
    if (failed?.version !== version) return false;
    return Date.now() - failed.at < FAILED_RETRY_SECONDS * 1000;
  }

  /** Loads `model` and its index and swaps them in. */
  private async swapTo(model: ModelVersion): Promise<void> {
    const { service, config, logger } = this.options;
    const log = logger.child({ 'model.version': model.version });
    const started = performance.now();
    let encoder: SentenceEncoder | undefined;
    let index: IndexThread | null = null;

    try {
      encoder = await this.load(model, log);
      index = await IndexThread.load(
        indexDirFor(config.dataDir, model.version),
        { modelVersion: model.version, dim: encoder.dim },
        { ...tuningFromConfig(config), logger: log },
      );
      const origin = index ? 'saved' : 'built';
      index ??= await service.buildIndexFor(encoder);
      await service.activateModel(encoder, index);

      const ms = Math.round(performance.now() - started);
      log.info({ ms, index: origin }, 'now serving the active model');
      this.failed = undefined;
    } catch (err) {
      if (index) service.discardIndex(index);
      if (encoder && this.serving() !== model.version) encoder.dispose();
      this.failed = { version: model.version, at: Date.now() };
      log.error({ err }, 'could not switch to the model');
      throw err;
    }
  }

  private async load(
    model: ModelVersion,
    log: Logger,
  ): Promise<SentenceEncoder> {
    const load = this.options.load ?? loadSiameseEncoder;
    const encoder = await load(model.path, this.options.config, log);
    if (encoder.version !== model.version) {
      encoder.dispose();
      throw new AppError(
        ErrorCode.ModelInvalid,
        `model version "${model.version}" is registered at ${model.path}, ` +
          `but that folder holds version "${encoder.version}"`,
        { 'model.version': model.version },
      );
    }
    return encoder;
  }

  private serialise<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.chain.then(fn, fn);
    this.chain = run.catch(() => undefined);
    return run;
  }
}
