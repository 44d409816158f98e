/**
 * The labelling queue for reviewers: hands out uncertain candidate pairs
 * (reserved for a while), turns answers into labelled pairs that
 * retraining uses, undoes answers, and reports progress and agreement.
 * SQLite holds all of its state, so several processes may serve it.
 */
import type { Database } from 'better-sqlite3';

import { similarityFromEnergy } from '../encoder/types.js';
import { AppError, ErrorCode } from '../errors/app-error.js';
import { silentLogger, type Logger } from '../logging/logger.js';
import { isoNow, systemClock, type Clock } from '../store/clock.js';
import { PairStore } from '../store/pair-store.js';
import { withSqliteErrors } from '../store/sqlite-error.js';
import { CandidateFeed } from './candidate-feed.js';
import { CandidateStore, type CandidateView } from './candidate-store.js';
import { ReviewLedger, type Reservation } from './review-ledger.js';
import type { ReviewSettings } from './review-settings.js';
import type { ReviewSource } from './review-source.js';
import { reviewStats, type ReviewStats } from './review-stats.js';
import type {
  Decision,
  DecisionResult,
  ModelFacts,
  NextPairs,
  ReviewPair,
  UndoResult,
} from './review-types.js';
import { selectCandidates, type LabelCounts } from './selection.js';

/** Most pairs one request may reserve. */
export const MAX_PAIRS_PER_REQUEST = 20;

/** Longest note a reviewer may attach, in characters. */
export const MAX_NOTE_CHARS = 2000;

/** Unswept items a request sweeps before it reports an empty pool. */
const SWEEP_BEFORE_EMPTY = 500;

/** Reservations are forgotten this long after they ran out. */
const FORGET_EXPIRED_MS = 24 * 3600 * 1000;

/** What the queue is built from. */
export interface ReviewQueueParts {
  /** A migrated SQLite connection to the service's file; not closed here. */
  db: Database;
  /** The serving model and neighbour search. */
  source: ReviewSource;
  /** Selection, reservation and overlap settings. */
  settings: ReviewSettings;
  /** Logger; the queue logs decisions at debug. Default: silent. */
  logger?: Logger;
  /** Time source. Default: the system clock. */
  clock?: Clock;
  /** Random floats in [0, 1) for the selection. Default Math.random. */
  random?: () => number;
}

/** Hands out pairs to reviewers and records their answers. */
export class ReviewQueue {
  /** The candidate pairs. */
  readonly candidates: CandidateStore;
  /** Finds candidates and keeps them scored. */
  readonly feed: CandidateFeed;

  private readonly db: Database;
  private readonly source: ReviewSource;
  private readonly settings: ReviewSettings;
  private readonly logger: Logger;
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly ledger: ReviewLedger;
  private readonly pairs: PairStore;

  /** Works on the given parts; call start() for background sweeping. */
  constructor(parts: ReviewQueueParts) {
    this.db = parts.db;
    this.source = parts.source;
    this.settings = parts.settings;
    this.logger = parts.logger ?? silentLogger();
    this.clock = parts.clock ?? systemClock;
    this.random = parts.random ?? Math.random;
    this.candidates = new CandidateStore(parts.db, { clock: this.clock });
    this.ledger = new ReviewLedger(parts.db);
    this.pairs = new PairStore(parts.db, { clock: this.clock });
    this.feed = new CandidateFeed({
      db: parts.db,
      candidates: this.candidates,
      source: parts.source,
      neighbours: parts.settings.neighbours,
      logger: this.logger,
    });
  }

  /** Starts taking candidates from ingests and the background sweep. */
  start(): void {
    this.feed.start();
  }

  /** Stops the background work. The database stays open. */
  async stop(): Promise<void> {
    await this.feed.stop();
  }

  /**
   * Up to `count` pairs (1 to {@link MAX_PAIRS_PER_REQUEST}) for
   * `reviewer`: the ones they already hold first (their reservations
   * are extended), then new picks. An empty list means the pool is dry
   * for this reviewer. Throws `not_ready` while no model serves.
   */
  async next(reviewer: string, count = 1): Promise<NextPairs> {
    checkCount(count);
    const model = this.requireModel();
    await this.refill(reviewer, model);

    const now = this.clock();
    const nowIso = now.toISOString();
    const until = this.reservationEnd(now);
    const reserve = this.db.transaction(() => {
      this.ledger.purgeExpired(
        new Date(now.getTime() - FORGET_EXPIRED_MS).toISOString(),
      );
      const held = this.ledger.held(reviewer, nowIso).slice(0, count);
      this.ledger.extend(reviewer, nowIso, until);

      const pool = this.candidates.pool({
        reviewer,
        modelVersion: model.version,
        overlap: this.settings.overlap,
        now: nowIso,
      });
      const picks = selectCandidates(
        pool,
        count - held.length,
        { threshold: model.threshold, labels: this.labelCounts() },
        this.settings.policy,
        this.random,
      );
      this.ledger.reserve(reviewer, picks, nowIso, until);
      return {
        ids: [...held.map((r) => r.candidateId), ...picks.map((p) => p.id)],
        remaining: pool.length - picks.length,
      };
    });

    const { ids, remaining } = withSqliteErrors(
      { action: 'reserve review pairs' },
      () => reserve.immediate(),
    );
    const views = this.candidates.views(ids);
    const pairs = ids.flatMap((id) => {
      const view = views.get(id);
      return view ? [toReviewPair(view, model, until)] : [];
    });
    return { pairs, remaining };
  }

  /**
   * Records `reviewer`'s answer to the pair they hold. `duplicate` and
   * `different` store a label (source `reviewer`, who = reviewer) that
   * retraining uses; `skip` stores none and the pair returns to the
   * pool (for this reviewer only once nothing else is left). Throws
   * `not_found` for an unknown pair, `reservation_expired` when the
   * reviewer's reservation ran out, `not_reserved` when they hold none
   * (another reviewer may), and `conflict` when they labelled it already.
   */
  decide(
    reviewer: string,
    pairId: number,
    decision: Decision,
    note?: string | null,
  ): DecisionResult {
    const cleanNote = checkNote(note);
    const model = this.requireModel();

    const answer = this.db.transaction((): DecisionResult => {
      const now = isoNow(this.clock);
      const view = this.requireCandidate(pairId);
      const held = this.requireReservation(pairId, reviewer, now);

      const labelId =
        decision === 'skip'
          ? null
          : this.pairs.add({
              a: { itemId: view.aItemId },
              b: { itemId: view.bItemId },
              label: decision === 'duplicate' ? 1 : 0,
              source: 'reviewer',
              who: reviewer,
            });
      this.ledger.record({
        candidateId: pairId,
        reviewer,
        decision,
        reason: held.reason,
        energy: view.energy,
        threshold: model.threshold,
        modelVersion: view.modelVersion,
        note: cleanNote,
        pairId: labelId,
        createdAt: now,
      });
      this.ledger.release(pairId, reviewer);
      return { pairId, decision, labelId };
    });

    const result = withSqliteErrors({ action: 'record a review' }, () =>
      answer.immediate(),
    );
    this.logger.debug(
      { reviewer, pairId, decision, labelId: result.labelId },
      'review decision recorded',
    );
    return result;
  }

  /**
   * Undoes `reviewer`'s newest decision that still stands (one per call,
   * as far back as they like): removes the label it wrote and reserves
   * the pair for them again. Throws `not_found` when nothing is left.
   */
  undo(reviewer: string): UndoResult {
    const model = this.requireModel();
    const now = this.clock();
    const until = this.reservationEnd(now);

    const revert = this.db.transaction(() => {
      const last = this.ledger.lastStanding(reviewer);
      if (!last) {
        throw new AppError(
          ErrorCode.NotFound,
          `reviewer "${reviewer}" has no decision left to undo`,
          { reviewer },
        );
      }
      if (last.pairId !== null) this.removeLabel(last.pairId, reviewer);
      this.ledger.markUndone(last.id, now.toISOString());
      this.ledger.reserve(
        reviewer,
        [{ id: last.candidateId, reason: last.reason }],
        now.toISOString(),
        until,
      );
      return last;
    });

    const last = withSqliteErrors({ action: 'undo a review' }, () =>
      revert.immediate(),
    );
    const view = this.candidates
      .views([last.candidateId])
      .get(last.candidateId);
    this.logger.debug(
      { reviewer, pairId: last.candidateId, decision: last.decision },
      'review decision undone',
    );
    return {
      decision: last.decision,
      removedLabelId: last.pairId,
      pair: view ? toReviewPair(view, model, until) : null,
    };
  }

  /** Counts per reviewer, agreement on overlap pairs, and queue size. */
  stats(): ReviewStats {
    const model = this.source.model();
    const labels = this.labelCounts();
    return reviewStats(this.db, {
      model,
      labels,
      overlap: this.settings.overlap,
      warmupLabels: this.settings.policy.warmupLabels,
      now: isoNow(this.clock),
      candidates: this.candidates,
    });
  }

  /** Rescores for a new model, and sweeps when the pool looks dry. */
  private async refill(reviewer: string, model: ModelFacts): Promise<void> {
    await this.feed.rescore(model.version);
    let budget = SWEEP_BEFORE_EMPTY;
    while (budget > 0 && this.feed.hasUnswept(model.version)) {
      const open = this.candidates.pool({
        reviewer,
        modelVersion: model.version,
        overlap: this.settings.overlap,
        now: isoNow(this.clock),
      });
      if (open.some((c) => !c.skipped)) return;
      const swept = await this.feed.sweep();
      if (swept === 0) return;
      budget -= swept;
    }
  }

  private labelCounts(): LabelCounts {
    return {
      duplicate: this.pairs.count({ label: 1 }),
      different: this.pairs.count({ label: 0 }),
    };
  }

  private requireModel(): ModelFacts {
    const model = this.source.model();
    if (model) return model;
    throw new AppError(
      ErrorCode.NotReady,
      'no model is serving yet; the review queue needs its energies',
    );
  }

  private requireCandidate(pairId: number): CandidateView {
    const view = this.candidates.views([pairId]).get(pairId);
    if (view) return view;
    throw new AppError(
      ErrorCode.NotFound,
      `review pair ${pairId} does not exist`,
      { pairId },
    );
  }

  private requireReservation(
    pairId: number,
    reviewer: string,
    now: string,
  ): Reservation {
    const label = this.ledger.label(pairId, reviewer);
    if (label) {
      throw new AppError(
        ErrorCode.Conflict,
        `you already labelled pair ${pairId} as ${label.decision}; undo it ` +
          'to change the label',
        { pairId },
      );
    }

    const held = this.ledger.reservation(pairId, reviewer);
    if (held && held.reservedUntil > now) return held;
    if (held) {
      throw new AppError(
        ErrorCode.ReservationExpired,
        `your reservation of pair ${pairId} ran out at ` +
          `${held.reservedUntil} (REVIEW_RESERVATION_SECONDS=` +
          `${this.settings.reservationSeconds}); ask for pairs again`,
        { pairId },
      );
    }
    const others = this.ledger.heldByOthers(pairId, reviewer, now);
    throw new AppError(
      ErrorCode.NotReserved,
      others > 0
        ? `pair ${pairId} is reserved for another reviewer, not for you`
        : `you hold no reservation of pair ${pairId}; ask for pairs with ` +
            'GET /v1/review/next',
      { pairId },
    );
  }

  /** Deletes a label this reviewer wrote through the queue. */
  private removeLabel(pairId: number, reviewer: string): void {
    this.db
      .prepare<[number, string]>(
        "DELETE FROM pairs WHERE id = ? AND source = 'reviewer' AND who = ?",
      )
      .run(pairId, reviewer);
  }

  private reservationEnd(now: Date): string {
    const ms = this.settings.reservationSeconds * 1000;
    return new Date(now.getTime() + ms).toISOString();
  }
}

/** The API view of a candidate reserved until `until`. */
function toReviewPair(
  view: CandidateView,
  model: ModelFacts,
  until: string,
): ReviewPair {
  return {
    pairId: view.id,
    a: { id: view.aItemId, text: view.aText },
    b: { id: view.bItemId, text: view.bText },
    energy: view.energy,
    similarity: similarityFromEnergy(view.energy, model.margin),
    guess: view.energy <= model.threshold ? 'duplicate' : 'different',
    reservedUntil: until,
  };
}

function checkCount(count: number): void {
  if (!Number.isInteger(count) || count < 1 || count > MAX_PAIRS_PER_REQUEST) {
    throw new AppError(
      ErrorCode.BadInput,
      `count must be an integer from 1 to ${MAX_PAIRS_PER_REQUEST}; ` +
        `got ${String(count)}`,
      { field: 'count' },
    );
  }
}

/** The note trimmed, null when empty; `bad_input` when too long. */
function checkNote(note: string | null | undefined): string | null {
  const trimmed = note?.trim() ?? '';
  if (trimmed.length > MAX_NOTE_CHARS) {
    throw new AppError(
      ErrorCode.BadInput,
      `note is ${trimmed.length} characters long; the limit is ` +
        `${MAX_NOTE_CHARS}`,
      { field: 'note' },
    );
  }
  return trimmed === '' ? null : trimmed;
}
