/**
 * From stored labels to training pairs: every label ever given is kept
 * in SQLite, so one pair may carry several, and they may disagree. This
 * file groups them by what the pair says and settles on one label.
 */
import { createHash } from 'node:crypto';

import { normalisePairText } from '../store/pair-key.js';
import type { TrainingPair as StoredLabel } from '../store/pair-types.js';

/** One distinct pair with its settled label. */
export interface ResolvedPair {
  /** Content key: the same for every label of the same two texts. */
  key: string;
  /** Text of side a, as first labelled. */
  a: string;
  /** Text of side b. */
  b: string;
  /** The settled label. */
  label: 0 | 1;
  /** Labels that said duplicate. */
  positives: number;
  /** Labels that said not duplicate. */
  negatives: number;
}

/** Distinct pairs and what resolving them found. */
export interface ResolvedPairs {
  /** One entry per distinct pair, in order of first label. */
  pairs: ResolvedPair[];
  /** Labels read. */
  labels: number;
  /** Distinct pairs whose labels disagreed. */
  conflicts: number;
}

/**
 * The content key of a pair: a hash of its two texts, normalised as
 * pair keys are (NFKC, lower case, runs of space as one) and sorted.
 * It is coarser than the store's pair key, which names item sides by
 * id: a pair labelled once by item ids and once by the same texts gets
 * one key here, so it can neither be counted twice nor sit on both
 * sides of the hold-out split.
 */
export function contentKey(a: string, b: string): string {
  const [first, second] = [normalisePairText(a), normalisePairText(b)].sort();
  return createHash('sha256')
    .update(`${first}\u0000${second}`)
    .digest('hex')
    .slice(0, 32);
}

/**
 * Settles each pair's labels, which arrive oldest first. Rule: the
 * majority wins; a tie goes to the latest label. A reviewer correcting
 * one earlier label thus wins 1-1, while a single dissent against two
 * agreeing reviewers does not.
 */
export function resolveLabels(labels: readonly StoredLabel[]): ResolvedPairs {
  const byKey = new Map<string, ResolvedPair & { latest: 0 | 1 }>();

  for (const row of labels) {
    const key = contentKey(row.a, row.b);
    const pair = byKey.get(key) ?? {
      key,
      a: row.a,
      b: row.b,
      label: row.label,
      positives: 0,
      negatives: 0,
      latest: row.label,
    };
    if (row.label === 1) pair.positives += 1;
    else pair.negatives += 1;
    pair.latest = row.label;
    byKey.set(key, pair);
  }

  let conflicts = 0;
  const pairs = [...byKey.values()].map(({ latest, ...pair }) => {
    if (pair.positives > 0 && pair.negatives > 0) conflicts += 1;
    const label: 0 | 1 =
      pair.positives === pair.negatives
        ? latest
        : pair.positives > pair.negatives
          ? 1
          : 0;
    return { ...pair, label };
  });
  return { pairs, labels: labels.length, conflicts };
}
