/**
 * The order-independent key of a pair: the same for (a, b) and (b, a),
 * so that every label ever given to one pair can be found together. An
 * item side is keyed by its id, a text side by a hash of its normalised
 * text (Unicode NFKC, lower case, runs of white space as one space).
 */
import { createHash } from 'node:crypto';

import type { PairSide } from './pair-types.js';

/** The text as compared in pair keys. */
export function normalisePairText(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/gu, ' ').trim();
}

/** Key of one side: `i:<item id>` or `t:<sha256 of normalised text>`. */
export function sideKey(side: PairSide): string {
  if ('itemId' in side) return `i:${side.itemId}`;
  const hash = createHash('sha256')
    .update(normalisePairText(side.text))
    .digest('hex');
  return `t:${hash.slice(0, 32)}`;
}

/** Key of the pair, e.g. `i:12|t:9f86...`, sides in sorted order. */
export function pairKey(a: PairSide, b: PairSide): string {
  const [first, second] = [sideKey(a), sideKey(b)].sort();
  return `${first}|${second}`;
}
