/**
 * Chooses and loads the model that serves requests: the active model
 * version in SQLite, else MODEL_DIR, else the model shipped in
 * models/default. A model found on disk is registered and activated, so
 * the next start finds it as the active version.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

import type { Config } from '../config/config.js';
import { defaultModelDir } from '../config/paths.js';
import { SiameseEncoder } from '../encoder/siamese-encoder.js';
import type { SentenceEncoder } from '../encoder/types.js';
import { AppError, ErrorCode } from '../errors/app-error.js';
import type { Logger } from '../logging/logger.js';
import type { ModelStore } from '../store/model-store.js';

/** Loads a model folder; SiameseEncoder.load unless a test swaps it. */
export type EncoderLoader = (
  dir: string,
  config: Config,
  logger: Logger,
) => Promise<SentenceEncoder>;

/** Loads a SiameseEncoder with the word vectors and backend configured. */
export const loadSiameseEncoder: EncoderLoader = (dir, config, logger) =>
  SiameseEncoder.load(dir, {
    vectorsFile: config.VECTORS_CACHE,
    backend: config.TF_BACKEND,
    log: logger,
  });

/** Where the serving model comes from. */
export interface EncoderChoice {
  /** An encoder already loaded; used as is and registered if new. */
  encoder?: SentenceEncoder;
  /** Folder recorded for an injected encoder. Default MODEL_DIR or
   * models/default. */
  modelPath?: string;
  /** Loads model folders. Default {@link loadSiameseEncoder}. */
  load?: EncoderLoader;
}

/**
 * Returns the encoder to serve and makes sure its version is registered
 * and active. Throws `model_invalid` when no model can be found or the
 * active version's folder holds another version.
 */
export async function openServingEncoder(
  config: Config,
  models: ModelStore,
  logger: Logger,
  choice: EncoderChoice = {},
): Promise<SentenceEncoder> {
  const load = choice.load ?? loadSiameseEncoder;
  const active = models.active();

  if (!choice.encoder && active) {
    const encoder = await load(active.path, config, logger);
    if (encoder.version !== active.version) {
      encoder.dispose();
      throw new AppError(
        ErrorCode.ModelInvalid,
        `the active model version is "${active.version}" but its folder ` +
          `${active.path} holds version "${encoder.version}"`,
        { 'model.version': active.version },
      );
    }
    return encoder;
  }

  const dir = path.resolve(
    choice.modelPath ?? config.MODEL_DIR ?? defaultModelDir,
  );
  const encoder =
    choice.encoder ?? (await load(checkedDir(dir), config, logger));
  activate(models, encoder, dir);
  return encoder;
}

/** Registers `encoder`'s version if new and makes it the active one. */
function activate(
  models: ModelStore,
  encoder: SentenceEncoder,
  dir: string,
): void {
  if (!models.get(encoder.version)) {
    models.register({
      version: encoder.version,
      path: dir,
      threshold: encoder.threshold,
      metrics: savedMetrics(dir),
    });
  }
  if (models.active()?.version !== encoder.version) {
    models.activate(encoder.version);
  }
}

/**
 * The evaluation a model folder carries in metrics.json, so that
 * `GET /v1/models` shows it; undefined when there is none or it does
 * not parse (the model itself is still usable).
 */
function savedMetrics(dir: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(
      readFileSync(path.join(dir, 'metrics.json'), 'utf8'),
    );
    return typeof parsed === 'object' && parsed !== null
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function checkedDir(dir: string): string {
  if (existsSync(dir)) return dir;
  throw new AppError(
    ErrorCode.ModelInvalid,
    `no model to serve: ${dir} does not exist. Set MODEL_DIR to a ` +
      'trained model folder, or train one with `siamese-dedup train`.',
    { dir },
  );
}
