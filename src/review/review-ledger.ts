/**
 * Reservations and decisions in SQLite: who holds which pair until
 * when, and what each reviewer decided. Callers run these inside their
 * own transactions where several must happen together.
 */
import type { Database } from 'better-sqlite3';

import type { Decision, PickReason } from './review-types.js';

/** A reservation row. */
export interface Reservation {
  /** The candidate held. */
  candidateId: number;
  /** Who holds it. */
  reviewer: string;
  /** Why it was chosen. */
  reason: PickReason;
  /** When it was reserved, ISO-8601 UTC. */
  reservedAt: string;
  /** When it runs out, ISO-8601 UTC. */
  reservedUntil: string;
}

/** A decision to record. */
export interface NewDecision {
  /** The candidate decided. */
  candidateId: number;
  /** Who decided. */
  reviewer: string;
  /** What they said. */
  decision: Decision;
  /** Why the queue chose the pair. */
  reason: PickReason;
  /** The energy shown. */
  energy: number;
  /** The model's threshold at the time. */
  threshold: number;
  /** The model version that gave the energy. */
  modelVersion: string;
  /** The reviewer's note, or null. */
  note: string | null;
  /** The label written to the pair store, or null for a skip. */
  pairId: number | null;
  /** When, ISO-8601 UTC. */
  createdAt: string;
}

/** A recorded decision. */
export interface DecisionRecord extends NewDecision {
  /** Row id; grows with every decision. */
  id: number;
  /** When it was undone, or null. */
  undoneAt: string | null;
}

const RESERVATION_COLUMNS =
  'candidate_id AS candidateId, reviewer, reason, ' +
  'reserved_at AS reservedAt, reserved_until AS reservedUntil';

const DECISION_COLUMNS =
  'id, candidate_id AS candidateId, reviewer, decision, reason, energy, ' +
  'threshold, model_version AS modelVersion, note, pair_id AS pairId, ' +
  'created_at AS createdAt, undone_at AS undoneAt';

/** Reads and writes reservations and decisions. */
export class ReviewLedger {
  private readonly db: Database;

  /** Works on `db`, which must be migrated (see openDatabase). */
  constructor(db: Database) {
    this.db = db;
  }

  /** The reviewer's live reservations, oldest first. */
  held(reviewer: string, now: string): Reservation[] {
    return this.db
      .prepare<[string, string], Reservation>(
        `SELECT ${RESERVATION_COLUMNS} FROM review_reservations ` +
          'WHERE reviewer = ? AND reserved_until > ? ' +
          'ORDER BY reserved_at, candidate_id',
      )
      .all(reviewer, now);
  }

  /** The reviewer's reservation of a candidate, live or expired. */
  reservation(candidateId: number, reviewer: string): Reservation | undefined {
    return this.db
      .prepare<[number, string], Reservation>(
        `SELECT ${RESERVATION_COLUMNS} FROM review_reservations ` +
          'WHERE candidate_id = ? AND reviewer = ?',
      )
      .get(candidateId, reviewer);
  }

  /** How many live reservations others hold on a candidate. */
  heldByOthers(candidateId: number, reviewer: string, now: string): number {
    return (
      this.db
        .prepare<[number, string, string], number>(
          'SELECT count(*) FROM review_reservations ' +
            'WHERE candidate_id = ? AND reviewer <> ? AND reserved_until > ?',
        )
        .pluck()
        .get(candidateId, reviewer, now) ?? 0
    );
  }

  /**
   * Reserves candidates for `reviewer` from `now` until `until`,
   * replacing any expired reservation of the same pair by them.
   */
  reserve(
    reviewer: string,
    picks: readonly { id: number; reason: PickReason }[],
    now: string,
    until: string,
  ): void {
    const put = this.db.prepare<[number, string, string, string, string]>(
      'INSERT INTO review_reservations ' +
        '(candidate_id, reviewer, reason, reserved_at, reserved_until) ' +
        'VALUES (?, ?, ?, ?, ?) ON CONFLICT (candidate_id, reviewer) ' +
        'DO UPDATE SET reason = excluded.reason, ' +
        'reserved_at = excluded.reserved_at, ' +
        'reserved_until = excluded.reserved_until',
    );
    for (const pick of picks)
      put.run(pick.id, reviewer, pick.reason, now, until);
  }

  /** Moves the expiry of the reviewer's live reservations to `until`. */
  extend(reviewer: string, now: string, until: string): void {
    this.db
      .prepare<[string, string, string]>(
        'UPDATE review_reservations SET reserved_until = ? ' +
          'WHERE reviewer = ? AND reserved_until > ?',
      )
      .run(until, reviewer, now);
  }

  /** Drops the reviewer's reservation of a candidate. */
  release(candidateId: number, reviewer: string): void {
    this.db
      .prepare<[number, string]>(
        'DELETE FROM review_reservations ' +
          'WHERE candidate_id = ? AND reviewer = ?',
      )
      .run(candidateId, reviewer);
  }

  /** Forgets reservations that ran out before `before`. */
  purgeExpired(before: string): number {
    return this.db
      .prepare<[string]>(
        'DELETE FROM review_reservations WHERE reserved_until < ?',
      )
      .run(before).changes;
  }

  /** Records a decision and returns its id. */
  record(decision: NewDecision): number {
    const d = decision;
    return Number(
      this.db
        .prepare<
          [
            number,
            string,
            string,
            string,
            number,
            number,
            string,
            string | null,
            number | null,
            string,
          ]
        >(
          'INSERT INTO review_decisions (candidate_id, reviewer, decision, ' +
            'reason, energy, threshold, model_version, note, pair_id, ' +
            'created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
        )
        .run(
          d.candidateId,
          d.reviewer,
          d.decision,
          d.reason,
          Math.max(0, d.energy),
          d.threshold,
          d.modelVersion,
          d.note,
          d.pairId,
          d.createdAt,
        ).lastInsertRowid,
    );
  }

  /** The reviewer's standing label of a candidate, if any. */
  label(candidateId: number, reviewer: string): DecisionRecord | undefined {
    return this.db
      .prepare<[number, string], DecisionRecord>(
        `SELECT ${DECISION_COLUMNS} FROM review_decisions ` +
          'WHERE candidate_id = ? AND reviewer = ? ' +
          "AND decision <> 'skip' AND undone_at IS NULL",
      )
      .get(candidateId, reviewer);
  }

  /** The reviewer's newest decision that is not undone, if any. */
  lastStanding(reviewer: string): DecisionRecord | undefined {
    return this.db
      .prepare<[string], DecisionRecord>(
        `SELECT ${DECISION_COLUMNS} FROM review_decisions ` +
          'WHERE reviewer = ? AND undone_at IS NULL ORDER BY id DESC LIMIT 1',
      )
      .get(reviewer);
  }

  /** Marks a decision undone and detaches it from its label. */
  markUndone(id: number, now: string): void {
    this.db
      .prepare<[string, number]>(
        'UPDATE review_decisions SET undone_at = ?, pair_id = NULL ' +
          'WHERE id = ?',
      )
      .run(now, id);
  }
}
