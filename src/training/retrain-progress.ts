/**
 * Progress of a retrain as one number: each stage owns a slice of
 * 0..100 in proportion to the time it usually takes.
 */
import type { RetrainProgress, RetrainStage } from './retrain-types.js';

/** Where each stage starts and ends on the 0..100 scale. */
export const STAGE_SPANS: Readonly<Record<RetrainStage, [number, number]>> = {
  preparing: [0, 5],
  training: [5, 75],
  evaluating: [75, 80],
  saving: [80, 82],
  embedding: [82, 95],
  indexing: [95, 99],
  activating: [99, 100],
};

/** Turns "stage and share of it done" into reports, dropping repeats. */
export class ProgressReporter {
  private last: RetrainProgress | undefined;

  /** Sends reports to `send`; at most one per whole percent and stage. */
  constructor(private readonly send?: (progress: RetrainProgress) => void) {}

  /** Reports `done` (0 to 1) of `stage`. */
  report(stage: RetrainStage, done = 0): void {
    const [from, to] = STAGE_SPANS[stage];
    const share = Math.min(1, Math.max(0, done));
    const percent = Math.floor(from + (to - from) * share);
    if (this.last?.stage === stage && this.last.percent === percent) return;

    this.last = { stage, percent };
    this.send?.(this.last);
  }
}
