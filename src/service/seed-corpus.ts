/**
 * The seed corpus: questions loaded into an empty store on first start,
 * so a new installation answers searches at once. SEED_CORPUS names the
 * file; unset means the example shipped in examples/, "" means none.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';

import type { Config } from '../config/config.js';
import { projectRoot } from '../config/paths.js';
import { streamItems } from '../data/read-items.js';
import { AppError, ErrorCode } from '../errors/app-error.js';
import type { Logger } from '../logging/logger.js';
import { EMBED_BATCH } from './index-building.js';
import type { IngestInput } from './service-types.js';

/** The example corpus used when SEED_CORPUS is unset. */
export const DEFAULT_SEED_CORPUS = path.join(
  projectRoot,
  'examples',
  'quora-questions.tsv',
);

/**
 * The seed file to load, or undefined for none: SEED_CORPUS resolved
 * against the working folder; when unset, the shipped example if it is
 * present. Throws `bad_config` when a configured file does not exist.
 */
export function seedCorpusFile(config: Config): string | undefined {
  if (config.SEED_CORPUS === '') return undefined;
  if (config.SEED_CORPUS === undefined) {
    return existsSync(DEFAULT_SEED_CORPUS) ? DEFAULT_SEED_CORPUS : undefined;
  }

  const file = path.resolve(config.SEED_CORPUS);
  if (!existsSync(file)) {
    throw new AppError(
      ErrorCode.BadConfig,
      `SEED_CORPUS=${config.SEED_CORPUS}: no such file. Point it at a ` +
        'TSV, CSV, JSONL or .txt item file, or set it to "" for none.',
      { file },
    );
  }
  return file;
}

/**
 * Reads `file` and hands its items to `ingest` in batches of 512.
 * Returns how many were loaded.
 */
export async function loadSeedCorpus(
  file: string,
  maxChars: number,
  ingest: (batch: IngestInput[]) => Promise<unknown>,
  logger: Logger,
): Promise<number> {
  const started = performance.now();
  let batch: IngestInput[] = [];
  let count = 0;

  for await (const item of streamItems(file, { maxTextLength: maxChars })) {
    batch.push({
      text: item.text,
      externalId: item.externalId,
      metadata: item.metadata,
    });
    if (batch.length >= EMBED_BATCH) {
      await ingest(batch);
      count += batch.length;
      batch = [];
    }
  }
  if (batch.length > 0) await ingest(batch);
  count += batch.length;

  const ms = Math.round(performance.now() - started);
  logger.info({ file, count, ms }, 'loaded the seed corpus');
  return count;
}
