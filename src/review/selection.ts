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
 * 3. After the warm-up, a pair the model is unsure of (share
 *    `uncertain`; see {@link uncertaintyOrder}), or one the encoder and
 *    the word overlap judge differently (share `disagree`; see
 *    {@link disagreementOrder}). Either is drawn at random from the
 *    open pairs at the head of its order, a band of `policy.band` of the
 *    open pool, rather than strictly the first: the pairs nearest the
 *    threshold are many versions of the one case the model cannot
 *    settle, and a batch of them teaches little more than a few would.
 *    The band is a share of the pairs still open, so the small requests
 *    of the review page and the large batches of the simulation draw
 *    from bands of the same size.
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
      pick = { id: orders.anyFree(taken), reason: 'random' };
    } else if (inWarmup(tally, policy.warmupLabels)) {
      const want =
        tally.duplicate <= tally.different ? 'duplicate' : 'different';
      pick = { id: orders.fromStratum(want, taken), reason: 'warmup' };
      tally[want] += 1;
    } else {
      // The band shrinks with the open pool, so that each pick, in one
      // call or many, is drawn from the same share of what is left.
      const width = Math.max(
        1,
        Math.round(policy.band * (fresh.length - taken.size)),
      );
      pick = laterPick(orders, taken, shares, width, random);
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
  width: number,
  random: () => number,
): Pick {
  const both = shares.uncertain + shares.disagree;
  if (both <= 0) return { id: orders.anyFree(taken), reason: 'random' };

  if (random() * both >= shares.uncertain) {
    const id = orders.fromHead('disagree', taken, width);
    if (id !== undefined) return { id, reason: 'disagree' };
  }
  // Also where no disagreement is left: the uncertain order has every
  // pair, so it never runs out.
  const id = orders.fromHead('uncertain', taken, width);
  if (id === undefined) throw new Error('selection ran out of candidates');
  return { id, reason: 'uncertain' };
}

type Stratum = 'duplicate' | 'different';
type OrderName = Stratum | 'uncertain' | 'disagree';

/** Orders of the pool, each sorted the first time it is needed. */
class LazyOrders {
  private readonly pool: readonly PoolCandidate[];
  private readonly threshold: number;
  private readonly random: () => number;
  private readonly sorted = new Map<OrderName, number[]>();

  constructor(
    pool: readonly PoolCandidate[],
    threshold: number,
    random: () => number,
  ) {
    this.pool = pool;
    this.threshold = threshold;
    this.random = random;
  }

  /**
   * A random one of the first `width` untaken ids of an order, or
   * undefined when none is left.
   */
  fromHead(
    name: 'uncertain' | 'disagree',
    taken: ReadonlySet<number>,
    width: number,
  ): number | undefined {
    const head: number[] = [];
    for (const id of this.order(name)) {
      if (head.length >= width) break;
      if (!taken.has(id)) head.push(id);
    }
    return head.length > 0 ? pickOne(head, this.random) : undefined;
  }

  /** A random untaken id of the stratum, else of the other stratum. */
  fromStratum(stratum: Stratum, taken: ReadonlySet<number>): number {
    const other: Stratum = stratum === 'duplicate' ? 'different' : 'duplicate';
    for (const name of [stratum, other]) {
      const ids = this.order(name).filter((id) => !taken.has(id));
      if (ids.length > 0) return pickOne(ids, this.random);
    }
    return this.anyFree(taken);
  }

  /** A uniformly random untaken id. */
  anyFree(taken: ReadonlySet<number>): number {
    return pickOne(
      this.pool.map((c) => c.id).filter((id) => !taken.has(id)),
      this.random,
    );
  }

  private order(name: OrderName): number[] {
    let ids = this.sorted.get(name);
    if (!ids) {
      ids = this.build(name);
      this.sorted.set(name, ids);
    }
    return ids;
  }

  private build(name: OrderName): number[] {
    const t = this.threshold;
    switch (name) {
      case 'duplicate':
        return this.pool.filter((c) => c.energy <= t).map((c) => c.id);
      case 'different':
        return this.pool.filter((c) => c.energy > t).map((c) => c.id);
      case 'uncertain':
        return uncertaintyOrder(this.pool, t);
      case 'disagree':
        return disagreementOrder(this.pool, t);
    }
  }
}

/**
 * Ids of `pool`, the pairs the model is least sure of first: by how many
 * pairs of the pool lie between a pair's energy and `threshold`, not by
 * the energy difference itself. Energies crowd on one side of the
 * threshold more than on the other, and a plain difference would take
 * most pairs from the crowded side; counting pairs takes about as many
 * from each.
 */
export function uncertaintyOrder(
  pool: readonly PoolCandidate[],
  threshold: number,
): number[] {
  return byDoubt(pool, threshold).map((entry) => entry.candidate.id);
}

/**
 * Ids of the pairs the encoder and word overlap judge differently, the
 * ones the encoder is least sure of first (as in
 * {@link uncertaintyOrder}). Word overlap calls as many pairs duplicates
 * as the encoder does, those with the highest Jaccard similarity; a
 * pair disagrees when one calls it a duplicate and the other does not.
 * Near the threshold, word overlap is a second opinion where the
 * encoder has none. Far from it, the pairs are mostly ones the encoder
 * gets right (a paraphrase in new words, one template with another
 * subject) and teach it little, so these come last.
 */
export function disagreementOrder(
  pool: readonly PoolCandidate[],
  threshold: number,
): number[] {
  const duplicates = pool.filter((c) => c.energy <= threshold).length;
  const byOverlap = pool.map((c) => c.lexical).sort((x, y) => y - x);
  // Ties at the cut count as duplicates by word overlap alike.
  const cut = duplicates > 0 ? byOverlap[duplicates - 1] : undefined;

  return byDoubt(pool, threshold)
    .filter(({ candidate }) => {
      const byWords = cut !== undefined && candidate.lexical >= cut;
      return byWords !== candidate.energy <= threshold;
    })
    .map((entry) => entry.candidate.id);
}

interface Doubt {
  candidate: PoolCandidate;
  /** Pairs of the pool between this one's energy and the threshold. */
  distance: number;
}

/** The pool by distance in pairs from the threshold, ties by id. */
function byDoubt(pool: readonly PoolCandidate[], threshold: number): Doubt[] {
  const sorted = [...pool].sort((x, y) => x.energy - y.energy || x.id - y.id);
  const below = sorted.filter((c) => c.energy <= threshold).length;
  // The threshold sits between position below - 1 and below.
  return sorted
    .map((candidate, i) => ({
      candidate,
      distance: Math.abs(i + 0.5 - below),
    }))
    .sort((x, y) => x.distance - y.distance || x.candidate.id - y.candidate.id);
}

function pickOne(ids: readonly number[], random: () => number): number {
  const id = ids[Math.floor(random() * ids.length)];
  if (id === undefined) throw new Error('selection ran out of candidates');
  return id;
}
