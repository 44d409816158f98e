/**
 * Which pairs to ask reviewers about. A pure function of the pool, the
 * labels collected so far and a random source, so the service and the
 * offline simulation choose the same way.
 *
 * The rule, slot by slot:
 * 1. With probability `shares.random`, a pair drawn uniformly from the
 *    pool. These picks are an unbiased sample: the model's accuracy on
 *    them estimates its accuracy on the whole pool.
 * 2. Otherwise, during the warm-up (either class has fewer than
 *    `warmupLabels` labels), a random pair from the stratum of the class
 *    with fewer labels: likely duplicates (energy <= threshold) or likely
 *    different pairs. Each pick counts as a label of the class guessed,
 *    so one batch is split between the two.
 * 3. After the warm-up, the pair whose energy is nearest the threshold
 *    (share `uncertain`), or a pair the encoder and the word overlap
 *    judge differently (share `disagree`; see {@link disagreementOrder}).
 * Pairs the reviewer skipped come last, once the rest of the pool is
 * used up.
 */
import type { SelectionPolicy } from './review-settings.js';
import type { PickReason } from './review-types.js';

/** A pair the queue may offer. */
export interface PoolCandidate {
  /** Candidate id. */
  id: number;
  /** The model's energy for the pair. */
  energy: number;
  /** Word-set Jaccard similarity of the two texts, in [0, 1]. */
  lexical: number;
  /** True when this reviewer skipped the pair before. */
  skipped: boolean;
}

/** Labels collected so far, by class. */
export interface LabelCounts {
  /** Pairs labelled duplicate. */
  duplicate: number;
  /** Pairs labelled different. */
  different: number;
}

/** What the selection knows besides the pool. */
export interface SelectionState {
  /** The model's duplicate threshold on energy. */
  threshold: number;
  /** Labels collected so far. */
  labels: LabelCounts;
}

/** One chosen pair and why it was chosen. */
export interface Pick {
  /** Candidate id. */
  id: number;
  /** Which strategy chose it. */
  reason: PickReason;
}

/** True while either class has fewer labels than the warm-up asks. */
export function inWarmup(labels: LabelCounts, warmupLabels: number): boolean {
  return Math.min(labels.duplicate, labels.different) < warmupLabels;
}

/**
 * Chooses up to `count` distinct pairs of `pool` (see the module notes).
 * `random` returns floats in [0, 1). Returns fewer when the pool runs
 * out, none for an empty pool. Skipped pairs keep their pool order.
 */
export function selectCandidates(
  pool: readonly PoolCandidate[],
  count: number,
  state: SelectionState,
  policy: SelectionPolicy,
  random: () => number,
): Pick[] {
  const fresh = pool.filter((c) => !c.skipped);
  const orders = new LazyOrders(fresh, state.threshold, random);
  const taken = new Set<number>();
  const tally = { ...state.labels };
  const picks: Pick[] = [];
  const { shares } = policy;

  while (picks.length < count && taken.size < fresh.length) {
    let pick: Pick;
    if (random() < shares.random) {
      pick = { id: orders.anyFree(taken, random), reason: 'random' };
    } else if (inWarmup(tally, policy.warmupLabels)) {
      const want =
        tally.duplicate <= tally.different ? 'duplicate' : 'different';
      pick = { id: orders.fromStratum(want, taken), reason: 'warmup' };
      tally[want] += 1;
    } else {
      pick = laterPick(orders, taken, shares, random);
    }
    taken.add(pick.id);
    picks.push(pick);
  }

  for (const candidate of pool) {
    if (picks.length >= count) break;
    if (candidate.skipped) picks.push({ id: candidate.id, reason: 'skipped' });
  }
  return picks;
}

function laterPick(
  orders: LazyOrders,
  taken: ReadonlySet<number>,
  shares: SelectionPolicy['shares'],
  random: () => number,
): Pick {
  const both = shares.uncertain + shares.disagree;
  if (both <= 0) return { id: orders.anyFree(taken, random), reason: 'random' };

  if (random() * both < shares.uncertain) {
    return { id: orders.next('uncertain', taken), reason: 'uncertain' };
  }
  return { id: orders.next('disagree', taken), reason: 'disagree' };
}

type Stratum = 'duplicate' | 'different';

/** Orders of the pool, each sorted the first time it is needed. */
class LazyOrders {
  private readonly pool: readonly PoolCandidate[];
  private readonly threshold: number;
  private readonly random: () => number;
  private readonly sorted = new Map<string, number[]>();

  constructor(
    pool: readonly PoolCandidate[],
    threshold: number,
    random: () => number,
  ) {
    this.pool = pool;
    this.threshold = threshold;
    this.random = random;
  }

  /** The first untaken id of an order; the caller knows one is left. */
  next(order: 'uncertain' | 'disagree', taken: ReadonlySet<number>): number {
    return firstFree(this.order(order), taken);
  }

  /** A random untaken id of the stratum, else of the other stratum. */
  fromStratum(stratum: Stratum, taken: ReadonlySet<number>): number {
    const other: Stratum = stratum === 'duplicate' ? 'different' : 'duplicate';
    for (const name of [stratum, other]) {
      const ids = this.order(name).filter((id) => !taken.has(id));
      if (ids.length > 0) return pickOne(ids, this.random);
    }
    return this.anyFree(taken, this.random);
  }

  /** A uniformly random untaken id. */
  anyFree(taken: ReadonlySet<number>, random: () => number): number {
    return pickOne(
      this.pool.map((c) => c.id).filter((id) => !taken.has(id)),
      random,
    );
  }

  private order(name: string): number[] {
    let ids = this.sorted.get(name);
    if (!ids) {
      ids = this.build(name);
      this.sorted.set(name, ids);
    }
    return ids;
  }

  private build(name: string): number[] {
    const t = this.threshold;
    switch (name) {
      case 'duplicate':
        return this.pool.filter((c) => c.energy <= t).map((c) => c.id);
      case 'different':
        return this.pool.filter((c) => c.energy > t).map((c) => c.id);
      case 'uncertain':
        return [...this.pool]
          .sort(
            (x, y) =>
              Math.abs(x.energy - t) - Math.abs(y.energy - t) || x.id - y.id,
          )
          .map((c) => c.id);
      default:
        return disagreementOrder(this.pool, t);
    }
  }
}

/**
 * Least gap between a pair's percentile by closeness and by word overlap
 * for the two signals to count as disagreeing: one puts the pair in its
 * upper half, the other in its lower half, or further apart.
 */
export const DISAGREEMENT_GAP = 0.5;

/**
 * Ids of pairs the encoder and word overlap judge differently. Each pair
 * gets the gap between its percentile by closeness (low energy first) and
 * by Jaccard similarity. Pairs with a gap of at least DISAGREEMENT_GAP
 * come first, those with energy nearest `threshold` first: the largest
 * gaps alone are mostly pairs the encoder already gets right (a
 * paraphrase with new words, a shared template with a different
 * subject), while a disagreement near the threshold is one the model
 * cannot settle. The other pairs follow, largest gap first.
 */
export function disagreementOrder(
  pool: readonly PoolCandidate[],
  threshold: number,
): number[] {
  const closeness = percentRanks(pool.map((c) => -c.energy));
  const overlap = percentRanks(pool.map((c) => c.lexical));
  const scored = pool.map((c, i) => ({
    id: c.id,
    gap: Math.abs((closeness[i] ?? 0) - (overlap[i] ?? 0)),
    doubt: Math.abs(c.energy - threshold),
  }));
  const split = scored.filter((e) => e.gap >= DISAGREEMENT_GAP);
  const rest = scored.filter((e) => e.gap < DISAGREEMENT_GAP);
  split.sort((x, y) => x.doubt - y.doubt || x.id - y.id);
  rest.sort((x, y) => y.gap - x.gap || x.id - y.id);
  return [...split, ...rest].map((entry) => entry.id);
}

/**
 * Percentile rank of each value in [0, 1], ties given the mean of their
 * ranks (so the many pairs with no shared word rank alike). A single
 * value ranks 0.5.
 */
export function percentRanks(values: readonly number[]): number[] {
  const n = values.length;
  const ranks = new Array<number>(n).fill(0.5);
  if (n < 2) return ranks;

  const order = values.map((_, i) => i).sort((x, y) => values[x]! - values[y]!);
  let start = 0;
  while (start < n) {
    let end = start;
    const value = values[order[start]!];
    while (end + 1 < n && values[order[end + 1]!] === value) end += 1;
    const mean = (start + end) / 2 / (n - 1);
    for (let k = start; k <= end; k += 1) ranks[order[k]!] = mean;
    start = end + 1;
  }
  return ranks;
}

function firstFree(ids: readonly number[], taken: ReadonlySet<number>): number {
  const id = ids.find((candidate) => !taken.has(candidate));
  if (id === undefined) throw new Error('selection ran out of candidates');
  return id;
}

function pickOne(ids: readonly number[], random: () => number): number {
  const id = ids[Math.floor(random() * ids.length)];
  if (id === undefined) throw new Error('selection ran out of candidates');
  return id;
}
