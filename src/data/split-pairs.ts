/**
 * Splits pairs into a training part and a held-out validation part,
 * reproducibly from a seed.
 */
import { AppError, ErrorCode } from '../errors/app-error.js';
import type { Pair, PairFile } from './pair-types.js';
import { scoreRange } from './read-pairs.js';
import { mulberry32, shuffleInPlace } from './seeded-random.js';

/** The two parts of a split, each in the order of the input. */
export interface PairSplit<T> {
  /** Pairs to train on. */
  train: T[];
  /** Pairs held out. */
  validation: T[];
}

/** The two parts of a split pair file, each of the input's kind. */
export interface PairFileSplit {
  /** Pairs to train on. */
  train: PairFile;
  /** Pairs held out. */
  validation: PairFile;
}

/**
 * Puts a `share` (0 < share < 1) of the pairs into `validation` and the
 * rest into `train`. Pairs with a `group` (a ranking file's query) move
 * together, so no query is seen in both parts; there `share` counts
 * queries, not pairs. The units are shuffled with mulberry32(`seed`) and
 * each part keeps the input order. Both parts get at least one unit;
 * throws an `AppError` (`bad_input`) for a share outside (0, 1) or
 * fewer than two units.
 */
export function splitPairs<P extends readonly Pair[]>(
  pairs: P,
  share: number,
  seed: number,
): PairSplit<P[number]> {
  if (!(share > 0 && share < 1)) {
    throw new AppError(
      ErrorCode.BadInput,
      `split share must be between 0 and 1 (exclusive), got ${share}`,
      { share },
    );
  }

  const units = [...new Set(pairs.map(unitOf))];
  if (units.length < 2) {
    throw new AppError(
      ErrorCode.BadInput,
      `cannot split ${units.length} pair group(s) in two; need at least 2`,
      { units: units.length },
    );
  }

  shuffleInPlace(units, mulberry32(seed));
  const held = Math.min(
    units.length - 1,
    Math.max(1, Math.round(share * units.length)),
  );
  const validationUnits = new Set(units.slice(0, held));

  const split: PairSplit<P[number]> = { train: [], validation: [] };
  for (const pair of pairs) {
    const part = validationUnits.has(unitOf(pair)) ? 'validation' : 'train';
    split[part].push(pair);
  }
  return split;
}

/** A pair's unit of splitting: its group, else the pair itself. */
function unitOf(pair: Pair): string | Pair {
  return pair.group === undefined ? pair : `group:${pair.group}`;
}

/**
 * {@link splitPairs} on a whole pair file: two pair files of the same
 * kind, ready for `writePairFile`, with their score range or query count
 * worked out again for each part.
 */
export function splitPairFile(
  data: PairFile,
  share: number,
  seed: number,
): PairFileSplit {
  if (data.kind === 'binary') {
    const { train, validation } = splitPairs(data.pairs, share, seed);
    return {
      train: { ...data, pairs: train },
      validation: { ...data, pairs: validation },
    };
  }

  if (data.kind === 'graded') {
    const { train, validation } = splitPairs(data.pairs, share, seed);
    return {
      train: { ...data, pairs: train, scoreRange: scoreRange(train) },
      validation: {
        ...data,
        pairs: validation,
        scoreRange: scoreRange(validation),
      },
    };
  }

  const { train, validation } = splitPairs(data.pairs, share, seed);
  const groups = (pairs: readonly Pair[]): number =>
    new Set(pairs.map((pair) => pair.group)).size;
  return {
    train: { ...data, pairs: train, groups: groups(train) },
    validation: { ...data, pairs: validation, groups: groups(validation) },
  };
}
