/**
 * The review simulation as a Markdown section: accuracy per arm over
 * seeds (mean, standard deviation, range), each queue arm's paired
 * difference from random picks, and a verdict that says plainly whether
 * the difference is larger than the noise between seeds.
 */
import type { SelectionPolicy } from './review-settings.js';
import type {
  ArmOutcome,
  ReasonTally,
  SeedOutcome,
  TrainingSchedule,
} from './review-simulation.js';
import type { PickReason } from './review-types.js';

/** What the report says about how the run was set up. */
export interface SimulationSetup {
  /** The command line that produced it. */
  command: string;
  /** Labelled file the pool came from, and the test file. */
  files: { labelled: string; test: string };
  /** Sizes: validation, weak training, pool, budget, round. */
  sizes: {
    validation: number;
    weak: number;
    pool: number;
    budget: number;
    round: number;
  };
  /** How the weak model is trained, and how each retrain fine-tunes. */
  training: { weak: TrainingSchedule; retrain: TrainingSchedule };
  /** Trainings of each arm's final model. */
  repeats: number;
  /** Encoder architecture, as text. */
  encoder: string;
  /** Model folder the architecture was taken from. */
  architectureFrom: string;
  /** The queue's policy. */
  policy: SelectionPolicy;
  /** Wall-clock seconds of the run. */
  seconds: number;
  /** Machine description. */
  machine: string;
}

/** Mean, sample standard deviation, and range. */
export interface Spread {
  mean: number;
  sd: number;
  min: number;
  max: number;
}

/** The spread of `values` (sd 0 for fewer than two). */
export function spreadOf(values: readonly number[]): Spread {
  const n = values.length;
  const mean = values.reduce((sum, v) => sum + v, 0) / Math.max(1, n);
  const variance =
    n < 2 ? 0 : values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / (n - 1);
  return {
    mean,
    sd: Math.sqrt(variance),
    min: Math.min(...values),
    max: Math.max(...values),
  };
}

/** What the paired differences say. */
export type Verdict = 'better' | 'worse' | 'no clear difference' | 'one seed';

/**
 * The verdict on paired differences (queue minus random, per seed):
 * `better` when the mean exceeds two standard errors and more than half
 * of the seeds improved, `worse` in the mirror case, `one seed` when
 * there is no spread to judge by, else `no clear difference`.
 */
export function verdict(differences: readonly number[]): Verdict {
  const n = differences.length;
  if (n < 2) return 'one seed';
  const { mean, sd } = spreadOf(differences);
  const se = sd / Math.sqrt(n);
  const up = differences.filter((d) => d > 0).length;
  const down = differences.filter((d) => d < 0).length;
  if (mean > 2 * se && up > n / 2) return 'better';
  if (-mean > 2 * se && down > n / 2) return 'worse';
  return 'no clear difference';
}

const pct = (x: number) => (100 * x).toFixed(1);
const pm = (s: Spread) =>
  `${pct(s.mean)} ± ${pct(s.sd)} (${pct(s.min)}–${pct(s.max)})`;

/** The Markdown body of the section. */
export function simulationSection(
  outcomes: readonly SeedOutcome[],
  setup: SimulationSetup,
): string {
  const names = outcomes[0]?.arms.map((a) => a.arm) ?? [];
  const byArm = (name: string): ArmOutcome[] =>
    outcomes.flatMap((o) => o.arms.filter((a) => a.arm === name));
  const shares = setup.policy.shares;
  const { weak, retrain } = setup.training;

  const lines = [
    '## Does the review queue help?',
    '',
    `Written by \`${setup.command}\` on ${new Date().toISOString()} ` +
      `(${setup.machine}; ${Math.round(setup.seconds)} s).`,
    '',
    `Pool, weak-model pairs and validation pairs are drawn from ` +
      `\`${setup.files.labelled}\` with the seed; accuracy is measured on ` +
      `\`${setup.files.test}\` at the threshold best on the ` +
      `${setup.sizes.validation} validation pairs.`,
    '',
    `The weak model has the architecture of \`${setup.architectureFrom}\` ` +
      `(${setup.encoder}) with fresh weights, trained on ` +
      `${setup.sizes.weak} pairs (${schedule(weak)}), as \`train\` ` +
      'trains a new model. It is weak because it has seen few pairs, ' +
      'not because it is small: the service fine-tunes a model of this ' +
      'size, and a model too small to use hard pairs would find them ' +
      'no more useful than random ones, whatever the queue did. Each ' +
      `arm has ${setup.sizes.budget} of the ${setup.sizes.pool} pool ` +
      'pairs labelled from gold, then a copy of the weak model is ' +
      `fine-tuned on its ${setup.sizes.weak} + ${setup.sizes.budget} ` +
      `pairs as the retrain job fine-tunes (${schedule(retrain)}; same ` +
      'seeds for every arm). Each final model is trained ' +
      `${setup.repeats} time(s), with training seeds seed, seed + 1000, ` +
      "...; the arm's accuracy is the mean, and the random arm draws a " +
      'fresh set of pairs for each training: one training swings by ' +
      'about a point with its seed and its draw. Queue arms pick ' +
      `${setup.sizes.round} pairs a round and are retrained between ` +
      'rounds, as the service retrains between batches of labels; ' +
      `their warm-up lasts until each class has ` +
      `${setup.policy.warmupLabels} labels, counting the weak model's ` +
      "pairs, as the service counts every stored label. The queue's " +
      `shares after the ` +
      `warm-up: uncertain ${shares.uncertain.toFixed(2)}, disagreement ` +
      `${shares.disagree.toFixed(2)}, random ${shares.random.toFixed(2)}; ` +
      'each uncertain or disagreement pick is drawn at random from the ' +
      `${pct(setup.policy.band)} % of open pairs at the head of its order ` +
      '(the service settings; see `src/review/selection.ts`). ' +
      '"Uncertainty only" takes every pick from the uncertain order, ' +
      'with no warm-up and no random share.',
    '',
    `Test accuracy in %, mean ± standard deviation over ` +
      `${outcomes.length} seeds (range). "Picker right" is how often the ` +
      'model that chose a pair judged it correctly: the lower, the more ' +
      'the arm asked about pairs the model gets wrong.',
    '',
    '| arm | test accuracy | test AUC | duplicates among picks | picker right |',
    '|---|---|---|---|---|',
    `| weak model (no new labels) | ${pm(spreadOf(outcomes.map((o) => o.weakAccuracy)))} | | | |`,
    ...names.map((name) => {
      const arms = byArm(name);
      return (
        `| ${name} | ${pm(spreadOf(arms.map((a) => a.accuracy)))} | ` +
        `${pm(spreadOf(arms.map((a) => a.auc)))} | ` +
        `${pct(spreadOf(arms.map((a) => a.duplicateShare)).mean)} | ` +
        `${pct(spreadOf(arms.map((a) => a.pickerAccuracy)).mean)} |`
      );
    }),
    '',
    ...comparison(outcomes, names),
    'Picks by the strategy that chose them, summed over seeds: share of ' +
      "the arm's picks, duplicates among them and how often the picking " +
      'model judged them right (%).',
    '',
    '| arm | strategy | share of picks | duplicates | picker right |',
    '|---|---|---|---|---|',
    ...names.flatMap((name) => reasonRows(name, byArm(name))),
    '',
    'Per seed (test accuracy %):',
    '',
    `| seed | weak | ${names.join(' | ')} |`,
    `|---|---|${names.map(() => '---').join('|')}|`,
    ...outcomes.map(
      (o) =>
        `| ${o.seed} | ${pct(o.weakAccuracy)} | ` +
        `${o.arms.map((a) => pct(a.accuracy)).join(' | ')} |`,
    ),
  ];
  return lines.join('\n');
}

/** A training schedule in words. */
function schedule(s: TrainingSchedule): string {
  const stop =
    s.patience >= s.epochs
      ? `${s.epochs} epoch(s), keeping the best on validation`
      : `at most ${s.epochs} epochs, stopping after ${s.patience} ` +
        'without gain';
  return `${stop}, learning rate ${s.learningRate}`;
}

const REASONS: readonly PickReason[] = [
  'warmup',
  'uncertain',
  'disagree',
  'random',
  'skipped',
];

/** One table row per strategy that picked for `name`, over all seeds. */
function reasonRows(name: string, arms: readonly ArmOutcome[]): string[] {
  const sums = new Map<PickReason, ReasonTally>();
  for (const arm of arms) {
    for (const reason of REASONS) {
      const tally = arm.reasons[reason];
      if (!tally) continue;
      const sum = sums.get(reason) ?? { picks: 0, duplicates: 0, right: 0 };
      sum.picks += tally.picks;
      sum.duplicates += tally.duplicates;
      sum.right += tally.right;
      sums.set(reason, sum);
    }
  }

  const total = [...sums.values()].reduce((n, t) => n + t.picks, 0);
  return [...sums].map(
    ([reason, t]) =>
      `| ${name} | ${reason} | ${pct(t.picks / Math.max(1, total))} | ` +
      `${pct(t.duplicates / Math.max(1, t.picks))} | ` +
      `${pct(t.right / Math.max(1, t.picks))} |`,
  );
}

const VERDICT_TEXT: Record<Verdict, (arm: string) => string> = {
  better: (arm) =>
    `${arm} beat random picks: the mean gain is more than two standard ` +
    'errors of the difference, and most seeds gained.',
  worse: (arm) =>
    `${arm} did worse than random picks: the mean loss is more than two ` +
    'standard errors of the difference, and most seeds lost.',
  'no clear difference': () =>
    'no clear difference: the gap is within the noise between seeds.',
  'one seed': () => 'a single seed, so no judgement on the noise.',
};

/** Paired differences of each queue arm against the random arm. */
function comparison(
  outcomes: readonly SeedOutcome[],
  names: readonly string[],
): string[] {
  const random = names.find((name) => name.startsWith('random'));
  if (!random) return [];

  return names
    .filter((name) => name !== random)
    .map((name) => {
      const diffs = outcomes.map((o) => {
        const arm = o.arms.find((a) => a.arm === name);
        const base = o.arms.find((a) => a.arm === random);
        return (arm?.accuracy ?? 0) - (base?.accuracy ?? 0);
      });
      const s = spreadOf(diffs);
      const wins = diffs.filter((d) => d > 0).length;
      const call = verdict(diffs);
      const sign = s.mean >= 0 ? '+' : '';
      return (
        `**${name} vs ${random}:** ${sign}${pct(s.mean)} points ` +
        `(sd ${pct(s.sd)}, standard error ` +
        `${pct(s.sd / Math.sqrt(diffs.length))}; better on ${wins} of ` +
        `${diffs.length} seeds) — ` +
        VERDICT_TEXT[call](name)
      );
    })
    .flatMap((line) => [line, '']);
}
