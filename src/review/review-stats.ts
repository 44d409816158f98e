/**
 * Progress of the review queue: labels per reviewer, agreement between
 * reviewers on the pairs two of them labelled, how much is left, and
 * the model's accuracy on the randomly chosen pairs (an unbiased sample
 * of the pool, unlike the pairs chosen for being uncertain).
 */
import type { Database } from 'better-sqlite3';

import type { CandidateStore } from './candidate-store.js';
import { cohenKappa, type Agreement, type RatedPair } from './cohen-kappa.js';
import type { ModelFacts, PickReason } from './review-types.js';
import { inWarmup, type LabelCounts } from './selection.js';

/** One reviewer's standing decisions. */
export interface ReviewerCounts {
  /** Reviewer name. */
  reviewer: string;
  /** Pairs labelled duplicate. */
  duplicate: number;
  /** Pairs labelled different. */
  different: number;
  /** Pairs skipped. */
  skipped: number;
  /** Time of their newest decision, ISO-8601 UTC. */
  lastDecisionAt: string;
}

/** Everything the stats endpoint reports. */
export interface ReviewStats {
  /** Per reviewer, most labels first. */
  reviewers: ReviewerCounts[];
  /**
   * Cohen's kappa over pairs labelled by two reviewers; the first two
   * labels of each pair are the two ratings.
   */
  agreement: Agreement;
  /** Size of the queue. */
  queue: {
    /** Candidate pairs known. */
    candidates: number;
    /**
     * Candidates still wanting a label (overlap pairs want two), those
     * reserved right now included: a reservation may run out unanswered.
     */
    waiting: number;
    /** Live reservations. */
    reserved: number;
  };
  /** Labels in the pair store (every source), by class. */
  labels: LabelCounts;
  /** `warmup` while either class has few labels, else `steady`. */
  phase: 'warmup' | 'steady';
  /** The serving model, or null while none serves. */
  model: { version: string; threshold: number } | null;
  /** Standing labels by the strategy that chose the pair. */
  byReason: Record<PickReason, number>;
  /** The model against reviewers on randomly chosen pairs. */
  estimate: {
    /** Randomly chosen pairs labelled. */
    pairs: number;
    /** Share where the model's guess matched the label; null for none. */
    modelAccuracy: number | null;
  };
}

/** What {@link reviewStats} needs besides the database. */
export interface StatsContext {
  /** The serving model, if any. */
  model: ModelFacts | undefined;
  /** Labels per class in the pair store. */
  labels: LabelCounts;
  /** Share of pairs that need two reviewers. */
  overlap: number;
  /** Labels per class that end the warm-up. */
  warmupLabels: number;
  /** Current time, ISO-8601 UTC. */
  now: string;
  /** The candidate store. */
  candidates: CandidateStore;
}

interface CountRow {
  reviewer: string;
  duplicate: number;
  different: number;
  skipped: number;
  last: string;
}

interface LabelRow {
  candidate_id: number;
  decision: 'duplicate' | 'different';
}

interface ReasonRow {
  reason: PickReason;
  n: number;
}

const STANDING_LABEL = "decision <> 'skip' AND undone_at IS NULL";

/** Reads the queue's statistics. */
export function reviewStats(db: Database, context: StatsContext): ReviewStats {
  const random = db
    .prepare<[], { n: number; agreed: number | null }>(
      'SELECT count(*) AS n, ' +
        "sum((energy <= threshold) = (decision = 'duplicate')) AS agreed " +
        `FROM review_decisions WHERE reason = 'random' AND ${STANDING_LABEL}`,
    )
    .get() ?? { n: 0, agreed: null };

  const model = context.model;
  return {
    reviewers: reviewerCounts(db),
    agreement: cohenKappa(doublyRated(db)),
    queue: {
      candidates: context.candidates.count(),
      waiting: model
        ? context.candidates.countWanting(model.version, context.overlap)
        : 0,
      reserved:
        db
          .prepare<[string], number>(
            'SELECT count(*) FROM review_reservations WHERE reserved_until > ?',
          )
          .pluck()
          .get(context.now) ?? 0,
    },
    labels: context.labels,
    phase: inWarmup(context.labels, context.warmupLabels) ? 'warmup' : 'steady',
    model: model
      ? { version: model.version, threshold: model.threshold }
      : null,
    byReason: reasonCounts(db),
    estimate: {
      pairs: random.n,
      modelAccuracy: random.n === 0 ? null : (random.agreed ?? 0) / random.n,
    },
  };
}

function reviewerCounts(db: Database): ReviewerCounts[] {
  return db
    .prepare<[], CountRow>(
      'SELECT reviewer, ' +
        "sum(decision = 'duplicate') AS duplicate, " +
        "sum(decision = 'different') AS different, " +
        "sum(decision = 'skip') AS skipped, max(created_at) AS last " +
        'FROM review_decisions WHERE undone_at IS NULL GROUP BY reviewer ' +
        'ORDER BY duplicate + different DESC, reviewer',
    )
    .all()
    .map((row) => ({
      reviewer: row.reviewer,
      duplicate: row.duplicate,
      different: row.different,
      skipped: row.skipped,
      lastDecisionAt: row.last,
    }));
}

/** The first two standing labels of every pair that has two or more. */
function doublyRated(db: Database): RatedPair[] {
  const rows = db
    .prepare<[], LabelRow>(
      'SELECT candidate_id, decision FROM review_decisions ' +
        `WHERE ${STANDING_LABEL} AND candidate_id IN (` +
        'SELECT candidate_id FROM review_decisions ' +
        `WHERE ${STANDING_LABEL} GROUP BY candidate_id ` +
        'HAVING count(*) >= 2) ORDER BY candidate_id, id',
    )
    .all();

  const byPair = new Map<number, (0 | 1)[]>();
  for (const row of rows) {
    const labels = byPair.get(row.candidate_id) ?? [];
    labels.push(row.decision === 'duplicate' ? 1 : 0);
    byPair.set(row.candidate_id, labels);
  }
  return [...byPair.values()].map(
    (labels) => [labels[0] ?? 0, labels[1] ?? 0] as const,
  );
}

function reasonCounts(db: Database): Record<PickReason, number> {
  const counts: Record<PickReason, number> = {
    warmup: 0,
    uncertain: 0,
    disagree: 0,
    random: 0,
    skipped: 0,
  };
  const rows = db
    .prepare<[], ReasonRow>(
      'SELECT reason, count(*) AS n FROM review_decisions ' +
        `WHERE ${STANDING_LABEL} GROUP BY reason`,
    )
    .all();
  for (const row of rows) counts[row.reason] = row.n;
  return counts;
}
