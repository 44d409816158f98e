/**
 * The promotion rule: a candidate replaces the serving model only when
 * it is not worse, by more than a tolerance, on the sets the rule names.
 */
import type { ModelScore, ScoresOnSets } from './retrain-types.js';

/** The configured rule. */
export interface PromotionRule {
  /** Sets to compare: held-out labels, reference pairs, or both. */
  rule: 'both' | 'holdout' | 'reference';
  /** Accuracy the candidate may lose on each set, 0 to 1. */
  tolerance: number;
}

/** The decision and a sentence saying why. */
export interface PromotionDecision {
  /** True to promote. */
  promote: boolean;
  /** The comparisons, e.g. `holdout 0.712 vs 0.690`. */
  reason: string;
}

/**
 * Compares best-threshold accuracies set by set. A rule naming the
 * reference pairs when none are configured falls back to the held-out
 * labels, and says so.
 */
export function decidePromotion(
  active: ScoresOnSets,
  candidate: ScoresOnSets,
  rule: PromotionRule,
): PromotionDecision {
  const sets: ['holdout' | 'reference', ModelScore, ModelScore][] = [];
  const notes: string[] = [];

  if (rule.rule !== 'reference') {
    sets.push(['holdout', candidate.holdout, active.holdout]);
  }
  if (rule.rule !== 'holdout') {
    if (candidate.reference && active.reference) {
      sets.push(['reference', candidate.reference, active.reference]);
    } else {
      notes.push('no reference pairs configured');
      if (rule.rule === 'reference') {
        sets.push(['holdout', candidate.holdout, active.holdout]);
      }
    }
  }

  const worse: string[] = [];
  const parts = sets.map(([name, cand, act]) => {
    if (cand.accuracy < act.accuracy - rule.tolerance) worse.push(name);
    return `${name} ${cand.accuracy.toFixed(4)} vs ${act.accuracy.toFixed(4)}`;
  });

  const verdict =
    worse.length === 0
      ? 'candidate not worse'
      : `candidate worse on ${worse.join(' and ')}`;
  const tolerance = `tolerance ${rule.tolerance}`;
  return {
    promote: worse.length === 0,
    reason: [verdict, ...parts, tolerance, ...notes].join('; '),
  };
}
