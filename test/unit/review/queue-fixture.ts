/**
 * A review queue over a real SQLite file in its own temp folder, with a
 * stand-in source (fixed model facts, no neighbour search), a clock the
 * test moves, and a seeded random source.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { mulberry32 } from '../../../src/data/seeded-random.js';
import { CandidateStore } from '../../../src/review/candidate-store.js';
import { ReviewQueue } from '../../../src/review/review-queue.js';
import type { ReviewSettings } from '../../../src/review/review-settings.js';
import type { ReviewSource } from '../../../src/review/review-source.js';
import type { ModelFacts } from '../../../src/review/review-types.js';
import { ItemStore } from '../../../src/store/item-store.js';
import {
  openDatabase,
  type Database,
} from '../../../src/store/open-database.js';

/** The model every fixture queue sees. */
export const MODEL: ModelFacts = { version: 'v1', threshold: 0.5, margin: 1 };

/** A queue, its database and the handles a test needs. */
export interface QueueFixture {
  db: Database;
  file: string;
  queue: ReviewQueue;
  items: ItemStore;
  candidates: CandidateStore;
  /** Moves the clock forward by `seconds`. */
  advance(seconds: number): void;
  /** Makes the source report no model (or `MODEL` again). */
  setModel(model: ModelFacts | undefined): void;
  /** Closes the database and removes the folder. */
  cleanup(): Promise<void>;
}

/** Settings with the given overrides; selection by uncertainty only. */
export function settings(
  overrides: Partial<ReviewSettings> = {},
): ReviewSettings {
  return {
    policy: {
      warmupLabels: 0,
      shares: { uncertain: 1, disagree: 0, random: 0 },
      band: 0,
    },
    reservationSeconds: 600,
    overlap: 0,
    neighbours: 5,
    ...overrides,
  };
}

/** Opens a fresh queue. */
export function openQueue(options: Partial<ReviewSettings> = {}): QueueFixture {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'siamese-review-'));
  const file = path.join(dir, 'review.sqlite');
  const db = openDatabase(file);
  let now = Date.parse('2026-01-01T00:00:00.000Z');
  let model: ModelFacts | undefined = MODEL;
  const source: ReviewSource = {
    model: () => model,
    neighbours: () => Promise.resolve([]),
  };
  const clock = () => new Date(now);
  const queue = new ReviewQueue({
    db,
    source,
    settings: settings(options),
    clock,
    random: mulberry32(11),
  });

  return {
    db,
    file,
    queue,
    items: new ItemStore(db, { clock }),
    candidates: new CandidateStore(db, { clock }),
    advance: (seconds) => {
      now += seconds * 1000;
    },
    setModel: (next) => {
      model = next;
    },
    async cleanup() {
      await queue.stop();
      if (db.open) db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Stores `n` pairs of fresh items as candidates, energies spread from
 * 0 to 1, and returns the candidate ids in order of insertion.
 */
export function addCandidates(fixture: QueueFixture, n: number): number[] {
  const ids = fixture.items.insertMany(
    Array.from({ length: 2 * n }, (_, i) => ({ text: `question number ${i}` })),
  );
  fixture.candidates.addMany(
    Array.from({ length: n }, (_, i) => ({
      a: { id: ids[2 * i] as number, text: `question number ${2 * i}` },
      b: { id: ids[2 * i + 1] as number, text: `question number ${2 * i + 1}` },
      energy: n === 1 ? 0.5 : i / (n - 1),
      modelVersion: MODEL.version,
      origin: 'neighbour' as const,
    })),
  );
  return fixture.db
    .prepare<[], number>('SELECT id FROM review_candidates ORDER BY id')
    .pluck()
    .all();
}
