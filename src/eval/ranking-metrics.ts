/**
 * Metrics for ranking tasks such as SemEval-2016 task 3 subtask B, where
 * each query has a handful of candidates to order: mean average precision
 * (MAP, the task's official measure) and mean reciprocal rank (MRR).
 *
 * The rules follow the task's official scorer (under them the search
 * engine's own order scores MAP 0.7135 and MRR 0.7667 on the dev file):
 * - candidates are ordered by score, most alike first; equal scores keep
 *   the order they were given in (a stable sort), so pass each query's
 *   candidates in search-engine order to break ties by that order;
 * - a query's average precision is the mean of the precision at each
 *   relevant candidate within the cutoff;
 * - a query with no relevant candidate (within the cutoff) scores 0 and
 *   still counts in the mean, as in the official scorer, whose option to
 *   drop such queries is off by default. 30 of the 267 training queries
 *   and 7 of the 50 dev queries have none, so this caps MAP below 1.
 *
 * One difference on purpose: the official scorer leaves a query in its
 * original order when all its scores are negative; here every query is
 * sorted, since energies passed as `{ energy }` are negated.
 */
import { AppError, ErrorCode } from '../errors/app-error.js';
import { checkedSimilarities, type Labels, type Scores } from './scores.js';

/** Settings of {@link rankingMetrics}. */
export interface RankingOptions {
  /**
   * Only the first `cutoff` candidates of each query count (the official
   * scorer uses 10, which covers every SemEval 3B query). Default: all.
   */
  cutoff?: number;
}

/** MAP, MRR and the query counts behind them. */
export interface RankingReport {
  /** Mean average precision over all queries, in [0, 1]. */
  map: number;
  /** Mean reciprocal rank of the first relevant candidate, in [0, 1]. */
  mrr: number;
  /** Number of queries. */
  queries: number;
  /** Queries with no relevant candidate within the cutoff; each adds 0
   * to MAP and MRR. */
  queriesWithoutRelevant: number;
}

/**
 * MAP and MRR of candidates grouped by query: `groups[i]` is the query
 * of candidate i, `scores` and `labels` (1 = relevant) are per candidate.
 * Throws an `AppError` (`bad_input`) for unequal lengths, no candidates,
 * or a cutoff that is not a positive whole number.
 */
export function rankingMetrics(
  groups: readonly string[],
  scores: Scores,
  labels: Labels,
  options: RankingOptions = {},
): RankingReport {
  const similarities = checkedSimilarities(scores, labels);
  if (groups.length !== labels.length) {
    throw new AppError(
      ErrorCode.BadInput,
      `got ${groups.length} query ids but ${labels.length} labels`,
    );
  }
  const cutoff = options.cutoff ?? Number.POSITIVE_INFINITY;
  if (!(cutoff >= 1) || (cutoff !== Infinity && !Number.isInteger(cutoff))) {
    throw new AppError(
      ErrorCode.BadInput,
      `cutoff must be a whole number of at least 1, got ${cutoff}`,
    );
  }

  let apSum = 0;
  let rrSum = 0;
  let without = 0;
  const byQuery = groupIndices(groups);
  for (const indices of byQuery.values()) {
    const ranked = rankedLabels(indices, similarities, labels, cutoff);
    const result = queryScores(ranked);
    apSum += result.averagePrecision;
    rrSum += result.reciprocalRank;
    if (result.averagePrecision === 0) without += 1;
  }

  return {
    map: apSum / byQuery.size,
    mrr: rrSum / byQuery.size,
    queries: byQuery.size,
    queriesWithoutRelevant: without,
  };
}

/** Mean average precision; see {@link rankingMetrics}. */
export function meanAveragePrecision(
  groups: readonly string[],
  scores: Scores,
  labels: Labels,
  options: RankingOptions = {},
): number {
  return rankingMetrics(groups, scores, labels, options).map;
}

/** Mean reciprocal rank; see {@link rankingMetrics}. */
export function meanReciprocalRank(
  groups: readonly string[],
  scores: Scores,
  labels: Labels,
  options: RankingOptions = {},
): number {
  return rankingMetrics(groups, scores, labels, options).mrr;
}

/** Candidate indices per query, in input order. */
function groupIndices(groups: readonly string[]): Map<string, number[]> {
  const byQuery = new Map<string, number[]>();
  groups.forEach((group, index) => {
    const list = byQuery.get(group);
    if (list === undefined) byQuery.set(group, [index]);
    else list.push(index);
  });
  return byQuery;
}

/** Labels of one query's candidates, most alike first, cut off. */
function rankedLabels(
  indices: readonly number[],
  similarities: readonly number[],
  labels: Labels,
  cutoff: number,
): (0 | 1)[] {
  // Array.prototype.sort is stable, which keeps input order for ties.
  const order = [...indices].sort(
    (x, y) => (similarities[y] as number) - (similarities[x] as number),
  );
  return order.slice(0, cutoff).map((index) => labels[index] as 0 | 1);
}

/** Average precision and reciprocal rank of one ranked list. */
function queryScores(ranked: readonly (0 | 1)[]): {
  averagePrecision: number;
  reciprocalRank: number;
} {
  let found = 0;
  let precisionSum = 0;
  let reciprocalRank = 0;

  ranked.forEach((label, position) => {
    if (label !== 1) return;
    found += 1;
    precisionSum += found / (position + 1);
    if (found === 1) reciprocalRank = 1 / (position + 1);
  });

  const averagePrecision = found === 0 ? 0 : precisionSum / found;
  return { averagePrecision, reciprocalRank };
}
