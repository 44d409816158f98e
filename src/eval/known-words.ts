/**
 * The rule training applies to every sentence, for evaluation too: a
 * sentence must hold at least one word the model has a vector for, else
 * its embedding says nothing about it and its score is noise.
 */
import type { Pair, PairFile } from '../data/pair-types.js';
import { pairFileOf } from '../data/read-pairs.js';
import type { WordInputs } from '../encoder/word-inputs.js';
import { FileFormatError } from '../errors/app-error.js';

/** What {@link requireKnownWords} kept. */
export interface KnownWordPairs {
  /** The file with only pairs whose sentences both hold a known word. */
  file: PairFile;
  /** Pairs dropped (always 0 unless `skipInvalid`). */
  skipped: number;
}

/**
 * Checks that both sentences of every pair in `file` hold a word with a
 * vector in `inputs`. Throws a `FileFormatError` (file and line) for the
 * first that does not, or with `skipInvalid` drops such pairs and counts
 * them; the message is the one `train` gives.
 */
export function requireKnownWords(
  file: PairFile,
  inputs: WordInputs,
  skipInvalid = false,
): KnownWordPairs {
  const kept: Pair[] = [];
  for (const pair of file.pairs) {
    const unknown = [pair.a, pair.b].find(
      (text) => inputs.knownCount(inputs.rows(text)) === 0,
    );
    if (unknown === undefined) {
      kept.push(pair);
    } else if (!skipInvalid) {
      throw new FileFormatError(
        file.file,
        pair.line,
        `no word of "${unknown.slice(0, 60)}" has a word vector; ` +
          'fix the row or pass --skip-invalid to drop such rows',
      );
    }
  }

  const skipped = file.pairs.length - kept.length;
  return {
    file: skipped === 0 ? file : pairFileOf(file.kind, file.file, kept),
    skipped,
  };
}
