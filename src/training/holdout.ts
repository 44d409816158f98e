/**
 * Splitting labelled pairs by key. A pair's side depends only on its
 * content key and a fixed salt, never on which other pairs exist, so
 * it stays on the same side in every retrain: a pair held out once was
 * never trained on by any model, and models are always judged on pairs
 * none of them saw.
 */
import { createHash } from 'node:crypto';

/** Salt of the split that holds pairs out for the promotion decision. */
export const HOLDOUT_SALT = 'holdout/1';

/** Salt of the split that sets calibration pairs apart from training. */
export const CALIBRATION_SALT = 'calibration/1';

/** A number in [0, 1) fixed by `key` and `salt`. */
export function keyFraction(key: string, salt: string): number {
  const digest = createHash('sha256').update(`${salt}:${key}`).digest();
  return digest.readUInt32BE(0) / 2 ** 32;
}

/** The two sides of a split. */
export interface KeySplit<T> {
  /** Pairs outside the share. */
  kept: T[];
  /** About `share` of the pairs. */
  held: T[];
}

/**
 * Holds out the pairs whose key fraction under `salt` is below `share`
 * (about that share of them), keeping the input order on both sides.
 */
export function splitByKey<T extends { key: string }>(
  pairs: readonly T[],
  share: number,
  salt: string,
): KeySplit<T> {
  const kept: T[] = [];
  const held: T[] = [];
  for (const pair of pairs) {
    (keyFraction(pair.key, salt) < share ? held : kept).push(pair);
  }
  return { kept, held };
}
