/**
 * Does the review queue help? An offline experiment on pairs whose gold
 * label is known: start from a weak model, let a selection rule pick a
 * labelling budget of pairs from a pool, label them from gold, retrain,
 * and measure held-out accuracy; compare with pairs picked at random.
 *
 * Per seed: the labelled file is shuffled into validation pairs, the
 * weak model's training pairs, and the pool. The weak model is a fresh
 * encoder trained on its few pairs, weak for want of data rather than
 * of capacity: a model too small to use hard examples cannot show
 * whether picking them helps. Each arm starts from the weak model's
 * weights. The queue arms pick in rounds, as the service does
 * between retrains: pool energies come from the latest retrained model,
 * and the label counts that end the warm-up include the weak model's
 * pairs, as the service counts every stored label. Every arm's final
 * model is the weak model fine-tuned on its training pairs plus the
 * picked ones, with the same epochs and validation pairs; its threshold
 * is the one best on validation. Accuracy is measured on the test file
 * at that threshold. One training's accuracy swings by about a point
 * with the training seed and with which 500 random pairs were drawn,
 * more than picking well gains, so each final model is trained
 * `repeats` times (the random arm drawing afresh each time) and the
 * arm's accuracy is their mean.
 */
import { mulberry32, shuffleInPlace } from '../data/seeded-random.js';
import { SiameseEncoder } from '../encoder/siamese-encoder.js';
import {
  pairEnergies,
  trainEncoder,
  type TrainingPair,
} from '../encoder/trainer.js';
import type { EncoderConfig } from '../encoder/types.js';
import type { TokenRows } from '../encoder/word-inputs.js';
import { jaccardSimilarity } from '../eval/baselines.js';
import { accuracyAt, rocAuc } from '../eval/binary-metrics.js';
import type { SelectionPolicy } from './review-settings.js';
import type { PickReason } from './review-types.js';
import { selectCandidates, type LabelCounts } from './selection.js';

/** A pair with a known label. */
export interface GoldPair {
  /** First text. */
  a: string;
  /** Second text. */
  b: string;
  /** 1 duplicate, 0 not. */
  label: 0 | 1;
}

/** How a set of picks is made: at random, or by a selection policy. */
export type ArmRule =
  { kind: 'random' } | { kind: 'queue'; policy: SelectionPolicy };

/** One way of choosing the pairs to label. */
export interface Arm {
  /** Name shown in the report. */
  name: string;
  /** How it picks. */
  rule: ArmRule;
}

/** Settings of the experiment. */
export interface SimulationOptions {
  /** Labelled pairs the pool, the weak model and validation come from. */
  labelled: readonly GoldPair[];
  /** Held-out pairs accuracy is measured on. */
  test: readonly GoldPair[];
  /** The ways of picking to compare. */
  arms: readonly Arm[];
  /** One run per seed. */
  seeds: readonly number[];
  /** Pairs the weak model is trained on. */
  weakPairs: number;
  /** How the weak model is trained, from fresh weights. */
  weakTraining: TrainingSchedule;
  /** Pairs set aside for early stopping and the threshold. */
  validationPairs: number;
  /** Pairs each arm may have labelled. */
  budget: number;
  /** Pairs picked between retrains by the queue arms. */
  round: number;
  /** How each retrain fine-tunes a copy of the weak model. */
  retraining: TrainingSchedule;
  /**
   * Trainings of each arm's final model, with seeds `seed`, `seed +
   * 1000`, ...; the arm's accuracy is their mean. The random arm draws
   * its picks anew for each.
   */
  repeats: number;
  /** Architecture of the encoder. */
  encoder: Partial<EncoderConfig>;
  /** Told about each step, for progress output. */
  onStep?: (message: string) => void;
}

/**
 * How long and how fast one training runs; it keeps the weights of the
 * epoch best on the validation pairs.
 */
export interface TrainingSchedule {
  /** Most passes over the training pairs. */
  epochs: number;
  /** Epochs without a validation gain before training stops. */
  patience: number;
  /** Adam learning rate. */
  learningRate: number;
}

/** What one arm achieved with one seed. */
export interface ArmOutcome {
  /** The arm's name. */
  arm: string;
  /**
   * Test accuracy at the validation-best threshold, the mean over the
   * arm's trainings.
   */
  accuracy: number;
  /** Test ROC AUC (threshold-free), the mean over the arm's trainings. */
  auc: number;
  /** Test accuracy of each training, in order. */
  accuracies: number[];
  /** Share of picked pairs whose gold label is duplicate. */
  duplicateShare: number;
  /**
   * Share of picked pairs the picking model judged right: low means the
   * arm found pairs the model gets wrong.
   */
  pickerAccuracy: number;
  /** Picks by the strategy that chose them. */
  reasons: Partial<Record<PickReason, ReasonTally>>;
}

/** What one strategy's picks were like. */
export interface ReasonTally {
  /** Pairs it picked. */
  picks: number;
  /** Of those, pairs whose gold label is duplicate. */
  duplicates: number;
  /** Of those, pairs the picking model judged right. */
  right: number;
}

/** One seed's run. */
export interface SeedOutcome {
  /** The seed. */
  seed: number;
  /** The weak model's test accuracy (at its validation-best threshold). */
  weakAccuracy: number;
  /** Each arm's outcome, in arm order. */
  arms: ArmOutcome[];
}

/** Labelled texts with their word rows and Jaccard similarity. */
interface Prepared extends GoldPair {
  aRows: TokenRows;
  bRows: TokenRows;
  lexical: number;
}

interface Split {
  validation: TrainingPair[];
  weak: TrainingPair[];
  pool: Prepared[];
}

/** Runs the experiment; one outcome per seed, in seed order. */
export async function simulateReview(
  options: SimulationOptions,
): Promise<SeedOutcome[]> {
  const outcomes: SeedOutcome[] = [];
  for (const seed of options.seeds) {
    outcomes.push(await runSeed(options, seed));
  }
  return outcomes;
}

async function runSeed(
  options: SimulationOptions,
  seed: number,
): Promise<SeedOutcome> {
  const step = options.onStep ?? (() => undefined);
  const weak = await SiameseEncoder.create(options.encoder, seed);
  try {
    const split = splitFor(options, seed, weak);
    const test = prepare(options.test, weak);
    step(`seed ${seed}: training the weak model`);
    await trainEncoder(weak, split.weak, split.validation, {
      ...options.weakTraining,
      seed,
    });
    const weakScore = evaluate(weak, test);

    const arms: ArmOutcome[] = [];
    for (const [index, arm] of options.arms.entries()) {
      step(`seed ${seed}: arm ${arm.name}`);
      const random = mulberry32(seed * 1000 + index + 1);
      arms.push(await runArm(options, arm, seed, weak, split, test, random));
    }
    return { seed, weakAccuracy: weakScore.accuracy, arms };
  } finally {
    weak.dispose();
  }
}

/** Shuffles the labelled pairs into validation, weak and pool parts. */
function splitFor(
  options: SimulationOptions,
  seed: number,
  encoder: SiameseEncoder,
): Split {
  const order = shuffleInPlace(
    options.labelled.map((_, i) => i),
    mulberry32(seed),
  );
  const take = (from: number, to: number) =>
    order.slice(from, to).map((i) => options.labelled[i] as GoldPair);

  const v = options.validationPairs;
  const w = v + options.weakPairs;
  return {
    validation: take(0, v).map(toTraining),
    weak: take(v, w).map(toTraining),
    pool: prepare(take(w, order.length), encoder),
  };
}

async function runArm(
  options: SimulationOptions,
  arm: Arm,
  seed: number,
  weak: SiameseEncoder,
  split: Split,
  test: Prepared[],
  random: () => number,
): Promise<ArmOutcome> {
  const rule = arm.rule;
  const queued =
    rule.kind === 'queue'
      ? await pickByQueue(options, rule.policy, seed, weak, split, random)
      : undefined;

  const runs: { picked: Picked; accuracy: number; auc: number }[] = [];
  for (let repeat = 0; repeat < options.repeats; repeat += 1) {
    // Random picks are drawn afresh for each training, so that the arm
    // measures random picking rather than one lucky or unlucky draw.
    const picked =
      queued ?? pickRandom(split.pool, weak, options.budget, random);
    const trainSeed = seed + REPEAT_SEED_STEP * repeat;
    const model = await retrain(
      options,
      trainSeed,
      weak,
      split,
      picked.indices,
    );
    try {
      runs.push({ picked, ...evaluate(model, test) });
    } finally {
      model.dispose();
    }
  }

  // The queue's one set of picks counts once, each random draw once.
  const sets = queued ? [queued] : runs.map((run) => run.picked);
  const all = sets.flatMap((set) => set.indices);
  return {
    arm: arm.name,
    accuracy: mean(runs.map((run) => run.accuracy)),
    auc: mean(runs.map((run) => run.auc)),
    accuracies: runs.map((run) => run.accuracy),
    duplicateShare: mean(all.map((i) => split.pool[i]?.label ?? 0)),
    pickerAccuracy:
      sumOf(sets.map((set) => set.right)) / Math.max(1, all.length),
    reasons: mergeReasons(sets.map((set) => set.reasons)),
  };
}

/**
 * Step between the training seeds of one arm's repeated trainings; the
 * first is the run's own seed, so one repeat trains as before.
 */
const REPEAT_SEED_STEP = 1000;

function mergeReasons(
  all: readonly Partial<Record<PickReason, ReasonTally>>[],
): Partial<Record<PickReason, ReasonTally>> {
  const merged: Partial<Record<PickReason, ReasonTally>> = {};
  for (const reasons of all) {
    for (const [reason, tally] of Object.entries(reasons)) {
      const sum = (merged[reason as PickReason] ??= {
        picks: 0,
        duplicates: 0,
        right: 0,
      });
      sum.picks += tally.picks;
      sum.duplicates += tally.duplicates;
      sum.right += tally.right;
    }
  }
  return merged;
}

interface Picked {
  /** Pool indices, in the order picked. */
  indices: number[];
  /** How many the picking model judged right. */
  right: number;
  /** Picks by strategy. */
  reasons: Partial<Record<PickReason, ReasonTally>>;
}

function pickRandom(
  pool: readonly Prepared[],
  weak: SiameseEncoder,
  budget: number,
  random: () => number,
): Picked {
  const indices = shuffleInPlace(
    pool.map((_, i) => i),
    random,
  ).slice(0, budget);
  const energies = energiesOf(
    weak,
    indices.map((i) => pool[i] as Prepared),
  );
  const right = indices.filter(
    (i, k) => (energies[k] ?? 0) <= weak.threshold === (pool[i]?.label === 1),
  ).length;
  const duplicates = indices.filter((i) => pool[i]?.label === 1).length;
  return {
    indices,
    right,
    reasons: { random: { picks: indices.length, duplicates, right } },
  };
}

/** Picks in rounds, retraining between them as the service would. */
async function pickByQueue(
  options: SimulationOptions,
  policy: SelectionPolicy,
  seed: number,
  weak: SiameseEncoder,
  split: Split,
  random: () => number,
): Promise<Picked> {
  const picked: number[] = [];
  const taken = new Set<number>();
  // The weak model's pairs are labels already in the store: the service
  // counts every stored label when it decides whether the warm-up is over.
  const labels: LabelCounts = {
    duplicate: split.weak.filter((p) => p.label === 1).length,
    different: split.weak.filter((p) => p.label === 0).length,
  };
  const reasons: Partial<Record<PickReason, ReasonTally>> = {};
  let right = 0;
  let model = weak;

  try {
    while (picked.length < options.budget) {
      const open = split.pool.flatMap((_, i) => (taken.has(i) ? [] : [i]));
      if (open.length === 0) break;
      const energies = energiesOf(
        model,
        open.map((i) => split.pool[i] as Prepared),
      );
      const candidates = open.map((i, k) => ({
        id: i,
        energy: energies[k] ?? 0,
        lexical: split.pool[i]?.lexical ?? 0,
        skipped: false,
      }));
      const want = Math.min(options.round, options.budget - picked.length);
      const state = { threshold: model.threshold, labels };
      const picks = selectCandidates(candidates, want, state, policy, random);

      const energyOf = new Map(candidates.map((c) => [c.id, c.energy]));
      for (const pick of picks) {
        const gold = split.pool[pick.id]?.label === 1;
        const guess = (energyOf.get(pick.id) ?? 0) <= model.threshold;
        if (guess === gold) right += 1;
        labels[gold ? 'duplicate' : 'different'] += 1;
        const tally = (reasons[pick.reason] ??= {
          picks: 0,
          duplicates: 0,
          right: 0,
        });
        tally.picks += 1;
        if (gold) tally.duplicates += 1;
        if (guess === gold) tally.right += 1;
        picked.push(pick.id);
        taken.add(pick.id);
      }

      if (picked.length < options.budget) {
        const next = await retrain(options, seed, weak, split, picked);
        if (model !== weak) model.dispose();
        model = next;
      }
    }
  } finally {
    if (model !== weak) model.dispose();
  }
  return { indices: picked, right, reasons };
}

/** A copy of the weak model fine-tuned on its pairs plus `picked`. */
async function retrain(
  options: SimulationOptions,
  seed: number,
  weak: SiameseEncoder,
  split: Split,
  picked: readonly number[],
): Promise<SiameseEncoder> {
  const model = weak.clone();
  const train = [
    ...split.weak,
    ...picked.map((i) => toTraining(split.pool[i] as GoldPair)),
  ];
  await trainEncoder(model, train, split.validation, {
    ...options.retraining,
    seed,
  });
  return model;
}

function evaluate(
  model: SiameseEncoder,
  test: readonly Prepared[],
): { accuracy: number; auc: number } {
  const energy = [...energiesOf(model, test)];
  const labels = test.map((pair) => pair.label);
  return {
    accuracy: accuracyAt({ energy }, labels, model.threshold),
    auc: rocAuc({ energy }, labels),
  };
}

function energiesOf(
  model: SiameseEncoder,
  pairs: readonly Prepared[],
): Float64Array {
  return pairEnergies(
    model,
    pairs.map((p) => p.aRows),
    pairs.map((p) => p.bRows),
  );
}

function prepare(
  pairs: readonly GoldPair[],
  encoder: SiameseEncoder,
): Prepared[] {
  const aRows = encoder.rows(pairs.map((p) => p.a));
  const bRows = encoder.rows(pairs.map((p) => p.b));
  return pairs.map((pair, i) => ({
    ...pair,
    aRows: aRows[i] as TokenRows,
    bRows: bRows[i] as TokenRows,
    lexical: jaccardSimilarity(pair.a, pair.b),
  }));
}

function toTraining(pair: GoldPair): TrainingPair {
  return { a: pair.a, b: pair.b, label: pair.label, binary: true };
}

function mean(values: readonly number[]): number {
  if (values.length === 0) return 0;
  return sumOf(values) / values.length;
}

function sumOf(values: readonly number[]): number {
  return values.reduce((sum, v) => sum + v, 0);
}
