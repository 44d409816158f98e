/**
 * `siamese-dedup simulate-review`: does the review queue choose better
 * pairs to label than chance? Runs the offline simulation on Quora pairs
 * with known labels and writes its section of EVALUATION.md.
 */
import os from 'node:os';
import path from 'node:path';

import type { Command } from 'commander';

import { loadConfig } from '../../config/config.js';
import { sharedDataDir } from '../../config/paths.js';
import { readPairs } from '../../data/read-pairs.js';
import { initBackend } from '../../encoder/backend.js';
import { AppError, ErrorCode } from '../../errors/app-error.js';
import { writeSection } from '../../eval/markdown-sections.js';
import { reviewSettings } from '../../review/review-settings.js';
import {
  simulateReview,
  type Arm,
  type GoldPair,
} from '../../review/review-simulation.js';
import { simulationSection } from '../../review/simulation-report.js';
import { cliLogger, encoderOptions } from '../context.js';
import { positiveInt } from '../option-parsers.js';

interface SimulateFlags {
  data: string;
  out: string;
  seeds: string;
  budget: number;
  round: number;
  weakPairs: number;
  weakEpochs: number;
  validation: number;
  epochs: number;
  patience: number;
  repeats: number;
  units: number;
  projection: number;
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
      '--weak-pairs <n>',
      'pairs the weak model is trained on',
      positiveInt('--weak-pairs'),
      500,
    )
    .option(
      '--weak-epochs <n>',
      'epochs of the weak model',
      positiveInt('--weak-epochs'),
      1,
    )
    .option(
      '--validation <n>',
      'validation pairs (early stopping, threshold)',
      positiveInt('--validation'),
      1000,
    )
    .option(
      '--epochs <n>',
      'most epochs per retrain',
      positiveInt('--epochs'),
      10,
    )
    .option(
      '--patience <n>',
      'epochs without gain before a retrain stops',
      positiveInt('--patience'),
      3,
    )
    .option(
      '--repeats <n>',
      "trainings of each arm's final model, accuracy averaged",
      positiveInt('--repeats'),
      3,
    )
    .option(
      '--units <n>',
      'LSTM units of the encoder',
      positiveInt('--units'),
      16,
    )
    .option(
      '--projection <n>',
      'output size of the encoder',
      positiveInt('--projection'),
      16,
    )
    .option('--json', 'also print the per-seed results as JSON on stdout')
    .action(async (flags: SimulateFlags) => {
      const started = performance.now();
      const log = cliLogger();
      await initBackend(encoderOptions(log).backend, log);
      const seeds = parseSeeds(flags.seeds);
      const policy = reviewSettings(loadConfig()).policy;
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
        weakEpochs: flags.weakEpochs,
        validationPairs: flags.validation,
        budget: flags.budget,
        round: flags.round,
        epochs: flags.epochs,
        patience: flags.patience,
        repeats: flags.repeats,
        encoder: { units: flags.units, projection: flags.projection },
        onStep: (message) => process.stderr.write(`${message}\n`),
      });

      const cpu = os.cpus();
      const body = simulationSection(outcomes, {
        command:
          `siamese-dedup simulate-review --seeds ${seeds.join(',')} ` +
          `--repeats ${flags.repeats}`,
        files: { labelled: LABELLED, test: TEST },
        sizes: {
          validation: flags.validation,
          weak: flags.weakPairs,
          pool: labelled.length - flags.validation - flags.weakPairs,
          budget: flags.budget,
          round: flags.round,
        },
        epochs: {
          weak: flags.weakEpochs,
          retrain: flags.epochs,
          patience: flags.patience,
        },
        repeats: flags.repeats,
        encoder: `${flags.units} LSTM units, ${flags.projection}-d output`,
        policy,
        seconds: (performance.now() - started) / 1000,
        machine: `${cpu[0]?.model ?? 'unknown CPU'}, ${cpu.length} cores`,
      });
      writeSection(flags.out, 'Evaluation', 'review-simulation', body);
      if (flags.json) process.stdout.write(`${JSON.stringify(outcomes)}\n`);
      process.stderr.write(`wrote ${flags.out}\n`);
    });
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
