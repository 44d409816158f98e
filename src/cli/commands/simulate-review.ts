/**
 * `siamese-dedup simulate-review`: does the review queue choose better
 * pairs to label than chance? Runs the offline simulation on Quora pairs
 * with known labels and writes its section of EVALUATION.md.
 */
import os from 'node:os';
import path from 'node:path';

import type { Command } from 'commander';

import { loadConfig, type Config } from '../../config/config.js';
import { defaultModelDir, sharedDataDir } from '../../config/paths.js';
import { readPairs } from '../../data/read-pairs.js';
import { initBackend } from '../../encoder/backend.js';
import { readModel } from '../../encoder/model-files.js';
import type { EncoderConfig } from '../../encoder/types.js';
import { AppError, ErrorCode } from '../../errors/app-error.js';
import { writeSection } from '../../eval/markdown-sections.js';
import { reviewSettings } from '../../review/review-settings.js';
import {
  simulateReview,
  type Arm,
  type GoldPair,
  type TrainingSchedule,
} from '../../review/review-simulation.js';
import { simulationSection } from '../../review/simulation-report.js';
import { retrainSchedule } from '../../training/retrain.js';
import { cliLogger, encoderOptions } from '../context.js';
import { positiveInt, positiveNumber } from '../option-parsers.js';

interface SimulateFlags {
  data: string;
  out: string;
  seeds: string;
  budget: number;
  round: number;
  model?: string;
  units?: number;
  projection?: number;
  weakPairs: number;
  weakEpochs: number;
  weakPatience: number;
  weakLr: number;
  validation: number;
  epochs?: number;
  patience?: number;
  lr?: number;
  repeats: number;
  json?: boolean;
}

const LABELLED = 'quora/dev.tsv';
const TEST = 'quora/test-a.tsv';

export function simulateReviewCommand(program: Command): void {
  program
    .command('simulate-review')
    .description(
      'compare review-queue picks with random picks; write EVALUATION.md',
    )
    .option('--data <dir>', 'shared data folder', sharedDataDir)
    .option('--out <file>', 'Markdown file to write', 'EVALUATION.md')
    .option('--seeds <list>', 'comma-separated seeds', '1,2,3,4,5')
    .option(
      '--budget <n>',
      'pairs labelled per arm',
      positiveInt('--budget'),
      500,
    )
    .option(
      '--round <n>',
      'queue picks per retrain',
      positiveInt('--round'),
      100,
    )
    .option(
      '--model <dir>',
      'model whose architecture the weak model takes (fresh weights); ' +
        'default MODEL_DIR, else the shipped model',
    )
    .option(
      '--units <n>',
      "LSTM units, instead of the model's",
      positiveInt('--units'),
    )
    .option(
      '--projection <n>',
      "output size, instead of the model's",
      positiveInt('--projection'),
    )
    .option(
      '--weak-pairs <n>',
      'pairs the weak model is trained on',
      positiveInt('--weak-pairs'),
      500,
    )
    .option(
      '--weak-epochs <n>',
      'most epochs of the weak model',
      positiveInt('--weak-epochs'),
      TRAIN_DEFAULTS.epochs,
    )
    .option(
      '--weak-patience <n>',
      'epochs without gain before the weak model stops',
      positiveInt('--weak-patience'),
      TRAIN_DEFAULTS.patience,
    )
    .option(
      '--weak-lr <rate>',
      'learning rate of the weak model',
      positiveNumber('--weak-lr'),
      TRAIN_DEFAULTS.learningRate,
    )
    .option(
      '--validation <n>',
      'validation pairs (early stopping, threshold)',
      positiveInt('--validation'),
      1000,
    )
    .option(
      '--epochs <n>',
      'most epochs per retrain; default RETRAIN_EPOCHS',
      positiveInt('--epochs'),
    )
    .option(
      '--patience <n>',
      'epochs without gain before a retrain stops; default --epochs, ' +
        'as the service never stops a retrain early',
      positiveInt('--patience'),
    )
    .option(
      '--lr <rate>',
      'learning rate of each retrain; default RETRAIN_LEARNING_RATE',
      positiveNumber('--lr'),
    )
    .option(
      '--repeats <n>',
      "trainings of each arm's final model, accuracy averaged",
      positiveInt('--repeats'),
      3,
    )
    .option('--json', 'also print the per-seed results as JSON on stdout')
    .action(async (flags: SimulateFlags) => {
      const started = performance.now();
      const log = cliLogger();
      await initBackend(encoderOptions(log).backend, log);
      const seeds = parseSeeds(flags.seeds);
      const config = loadConfig();
      const policy = reviewSettings(config).policy;
      const modelDir = flags.model ?? config.MODEL_DIR ?? defaultModelDir;
      const encoder = architecture(modelDir, flags);
      const retrain = retraining(config, flags);
      const weakTraining = {
        epochs: flags.weakEpochs,
        patience: flags.weakPatience,
        learningRate: flags.weakLr,
      };
      const labelled = await goldPairs(path.join(flags.data, LABELLED));
      const test = await goldPairs(path.join(flags.data, TEST));
      const arms: Arm[] = [
        { name: 'random', rule: { kind: 'random' } },
        { name: 'queue', rule: { kind: 'queue', policy } },
        {
          name: 'uncertainty only',
          rule: {
            kind: 'queue',
            policy: {
              ...policy,
              warmupLabels: 0,
              shares: { uncertain: 1, disagree: 0, random: 0 },
            },
          },
        },
      ];

      const outcomes = await simulateReview({
        labelled,
        test,
        arms,
        seeds,
        weakPairs: flags.weakPairs,
        weakTraining,
        validationPairs: flags.validation,
        budget: flags.budget,
        round: flags.round,
        retraining: retrain,
        repeats: flags.repeats,
        encoder,
        onStep: (message) => process.stderr.write(`${message}\n`),
      });

      const cpu = os.cpus();
      const body = simulationSection(outcomes, {
        command: `siamese-dedup ${process.argv.slice(2).join(' ')}`,
        files: { labelled: LABELLED, test: TEST },
        sizes: {
          validation: flags.validation,
          weak: flags.weakPairs,
          pool: labelled.length - flags.validation - flags.weakPairs,
          budget: flags.budget,
          round: flags.round,
        },
        training: { weak: weakTraining, retrain },
        repeats: flags.repeats,
        encoder: describeArchitecture(encoder),
        architectureFrom: path.relative(process.cwd(), modelDir) || '.',
        policy,
        seconds: (performance.now() - started) / 1000,
        machine: `${cpu[0]?.model ?? 'unknown CPU'}, ${cpu.length} cores`,
      });
      writeSection(flags.out, 'Evaluation', 'review-simulation', body);
      if (flags.json) process.stdout.write(`${JSON.stringify(outcomes)}\n`);
      process.stderr.write(`wrote ${flags.out}\n`);
    });
}

/**
 * How `siamese-dedup train` trains a new model by default; the weak
 * model is trained so, only on fewer pairs.
 */
const TRAIN_DEFAULTS = { epochs: 10, patience: 2, learningRate: 0.001 };

/**
 * The architecture of the model at `dir`, with the size flags given
 * instead of its own. Only the configuration is read: the weak model
 * starts from fresh weights.
 */
function architecture(dir: string, flags: SimulateFlags): EncoderConfig {
  const config = { ...readModel(dir).manifest.config };
  if (flags.units !== undefined) config.units = flags.units;
  if (flags.projection !== undefined) config.projection = flags.projection;
  return config;
}

/** The retrain job's schedule, with any flag given instead. */
function retraining(config: Config, flags: SimulateFlags): TrainingSchedule {
  const service = retrainSchedule(config);
  const epochs = flags.epochs ?? service.epochs;
  return {
    epochs,
    // As the retrain job: no early stop unless asked for.
    patience: flags.patience ?? epochs,
    learningRate: flags.lr ?? service.learningRate,
  };
}

/** The architecture in words, for the report. */
function describeArchitecture(config: EncoderConfig): string {
  const parts = [
    `${config.units} LSTM units${config.bidirectional ? ' each way' : ''}`,
    `${config.pooling} pooling`,
  ];
  if (config.wordSkip) {
    parts.push(`${config.meanWeights ?? 'uniform'}-weighted word mean`);
  }
  if (config.lexicalDim > 0) parts.push(`${config.lexicalDim}-d word bag`);
  parts.push(
    config.projection > 0
      ? `${config.projection}-d projection`
      : 'no projection',
  );
  if (config.normalize) parts.push('normalised');
  return parts.join(', ');
}

/** The binary pairs of `file`; throws `bad_file` for another kind. */
async function goldPairs(file: string): Promise<GoldPair[]> {
  const pairs = await readPairs(file);
  if (pairs.kind !== 'binary') {
    throw new AppError(
      ErrorCode.BadFile,
      `${file}: expected duplicate labels (0/1), found ${pairs.kind} pairs`,
    );
  }
  return pairs.pairs.map((p) => ({ a: p.a, b: p.b, label: p.label }));
}

function parseSeeds(list: string): number[] {
  const seeds = list.split(',').map((s) => Number(s.trim()));
  if (seeds.length === 0 || seeds.some((s) => !Number.isInteger(s) || s < 1)) {
    throw new AppError(
      ErrorCode.BadInput,
      `--seeds must list positive integers, e.g. 1,2,3; got "${list}"`,
    );
  }
  return seeds;
}
