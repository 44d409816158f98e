/**
 * Turns pair files into training pairs: 0/1 labels stay as they are,
 * graded scores are scaled to [0, 1] by the file's scale, and
 * every sentence must contain at least one word the vectors know.
 */
import { readPairs } from '../data/read-pairs.js';
import type { PairFile } from '../data/pair-types.js';
import { FileFormatError } from '../errors/app-error.js';
import type { TrainingPair } from './trainer.js';
import type { WordInputs } from './word-inputs.js';

/** Options for {@link loadTrainingPairs}. */
export interface LoadOptions {
  /** Keep at most this many pairs of each file (a seeded slice is the
   * caller's business; this takes the first N). */
  limit?: number;
  /** Drop pairs with a sentence of no known word instead of failing. */
  skipInvalid?: boolean;
}

/** Reads pair files and converts them to training pairs. */
export async function loadTrainingPairs(
  files: readonly string[],
  inputs: WordInputs,
  options: LoadOptions = {},
): Promise<{ pairs: TrainingPair[]; skipped: number }> {
  const pairs: TrainingPair[] = [];
  let skipped = 0;
  for (const file of files) {
    const parsed = await readPairs(file);
    const converted = convert(parsed);
    const kept = options.limit ? converted.slice(0, options.limit) : converted;
    for (const pair of kept) {
      const unknown = [pair.a, pair.b].find(
        (text) => inputs.knownCount(inputs.rows(text)) === 0,
      );
      if (unknown === undefined) {
        pairs.push(pair);
      } else if (options.skipInvalid) {
        skipped++;
      } else {
        throw new FileFormatError(
          file,
          pair.line,
          `no word of "${unknown.slice(0, 60)}" has a word vector; ` +
            'fix the row or pass --skip-invalid to drop such rows',
        );
      }
    }
  }
  return { pairs, skipped };
}

function convert(file: PairFile): (TrainingPair & { line: number })[] {
  if (file.kind !== 'graded') {
    return file.pairs.map((p) => ({
      a: p.a,
      b: p.b,
      label: p.label,
      binary: true,
      line: p.line,
    }));
  }
  const scale = scaleOf(file);
  return file.pairs.map((p) => ({
    a: p.a,
    b: p.b,
    label: Math.min(
      1,
      Math.max(0, (p.score - scale[0]) / (scale[1] - scale[0])),
    ),
    binary: false,
    line: p.line,
  }));
}

/**
 * The scale a graded file's scores live on: the 1-5 scale of SICK when
 * every score is in [1, 5], the 0-5 scale of STS when every score is in
 * [0, 5], otherwise the range observed in the file.
 */
function scaleOf(
  file: Extract<PairFile, { kind: 'graded' }>,
): [number, number] {
  const { min, max } = file.scoreRange;
  if (min >= 1 && max <= 5) return [1, 5];
  if (min >= 0 && max <= 5) return [0, 5];
  return max > min ? [min, max] : [min, min + 1];
}
