/**
 * Agreement between two raters on yes/no labels: Cohen's kappa, the
 * observed agreement corrected for the agreement expected by chance
 * from each rater's own rate of saying yes.
 */

/** Two raters' labels of the same items, 1 for duplicate, 0 for not. */
export type RatedPair = readonly [first: 0 | 1, second: 0 | 1];

/** Agreement on a set of doubly labelled items. */
export interface Agreement {
  /** Items labelled by both raters. */
  items: number;
  /** Share of items on which the raters agree; null without items. */
  observed: number | null;
  /** Agreement expected by chance; null without items. */
  expected: number | null;
  /**
   * Cohen's kappa, (observed - expected) / (1 - expected); null without
   * items, or when chance agreement is certain (both raters gave one
   * and the same label to everything), where kappa is undefined.
   */
  kappa: number | null;
}

/** Cohen's kappa of `ratings` (see {@link Agreement}). */
export function cohenKappa(ratings: readonly RatedPair[]): Agreement {
  const n = ratings.length;
  if (n === 0) {
    return { items: 0, observed: null, expected: null, kappa: null };
  }

  let agree = 0;
  let firstYes = 0;
  let secondYes = 0;
  for (const [first, second] of ratings) {
    if (first === second) agree += 1;
    firstYes += first;
    secondYes += second;
  }

  const observed = agree / n;
  const p1 = firstYes / n;
  const p2 = secondYes / n;
  const expected = p1 * p2 + (1 - p1) * (1 - p2);
  const kappa =
    1 - expected < 1e-12 ? null : (observed - expected) / (1 - expected);
  return { items: n, observed, expected, kappa };
}
