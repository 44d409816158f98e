/**
 * The reference pairs: a fixed, public set every candidate is judged on
 * besides the service's own held-out labels, so a model that learns the
 * local labels but forgets what a paraphrase is does not get promoted.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';

import type { Config } from '../config/config.js';
import { projectRoot } from '../config/paths.js';
import { readPairs } from '../data/read-pairs.js';
import { AppError, ErrorCode } from '../errors/app-error.js';
import type { LabelledTexts } from './model-scores.js';

/** The file used when REFERENCE_PAIRS is unset. */
export const DEFAULT_REFERENCE_PAIRS = path.join(
  projectRoot,
  'examples',
  'reference-pairs.tsv',
);

/**
 * The reference file to use, or undefined for none: REFERENCE_PAIRS
 * resolved against the working folder, `none` for none; when unset,
 * the shipped file if present. Throws `bad_config` for a configured
 * file that does not exist.
 */
export function referencePairsFile(config: Config): string | undefined {
  const setting = config.REFERENCE_PAIRS;
  if (setting === 'none') return undefined;
  if (setting === undefined) {
    return existsSync(DEFAULT_REFERENCE_PAIRS)
      ? DEFAULT_REFERENCE_PAIRS
      : undefined;
  }

  const file = path.resolve(setting);
  if (!existsSync(file)) {
    throw new AppError(
      ErrorCode.BadConfig,
      `REFERENCE_PAIRS=${setting}: no such file. Point it at a pair file ` +
        'with 0/1 labels, or set it to "none".',
      { file },
    );
  }
  return file;
}

/**
 * Reads the 0/1 pairs of `file`. Throws `bad_file` when it holds
 * graded or ranking pairs, or no pairs.
 */
export async function loadReferencePairs(
  file: string,
): Promise<LabelledTexts[]> {
  const parsed = await readPairs(file);
  if (parsed.kind !== 'binary' || parsed.pairs.length === 0) {
    throw new AppError(
      ErrorCode.BadFile,
      `${file}: reference pairs need 0/1 labels; found ` +
        `${parsed.pairs.length} ${parsed.kind} pairs`,
      { file },
    );
  }
  return parsed.pairs.map(({ a, b, label }) => ({ a, b, label }));
}
