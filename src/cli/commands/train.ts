/**
 * `siamese-dedup train`: trains an encoder on pair files with the
 * contrastive loss and writes a model directory (weights, configuration,
 * calibrated threshold, metrics and model card).
 */
import fs from 'node:fs';
import path from 'node:path';

import { InvalidArgumentError, Option, type Command } from 'commander';

import { projectRoot } from '../../config/paths.js';
import { SiameseEncoder } from '../../encoder/siamese-encoder.js';
import { modelCard } from '../../encoder/model-card.js';
import { trainEncoder, type EpochReport } from '../../encoder/trainer.js';
import { loadTrainingPairs } from '../../encoder/training-data.js';
import type { EncoderConfig } from '../../encoder/types.js';
import { AppError, ErrorCode } from '../../errors/app-error.js';
import { progressBar } from '../progress.js';
import {
  cliLogger,
  encoderOptions,
  positiveInt,
  positiveNumber,
} from '../context.js';
import { collect } from '../option-parsers.js';

interface TrainFlags {
  pairs: string[];
  val: string[];
  out: string;
  force?: boolean;
  epochs: number;
  margin?: number;
  seed: number;
  batchSize: number;
  lr: number;
  patience: number;
  init?: string;
  units?: number;
  bidirectional?: boolean;
  pooling?: EncoderConfig['pooling'];
  projection?: number;
  normalize?: boolean;
  meanWeights?: 'uniform' | 'frequency';
  maxLength?: number;
  lexicalDim?: number;
  limit?: number;
  skipInvalid?: boolean;
}

export function trainCommand(program: Command): void {
  program
    .command('train')
    .description('train an encoder on labelled pairs')
    .requiredOption(
      '--pairs <file>',
      'training pairs (TSV, CSV or JSONL); repeat for more files, ' +
        'or give a file twice to weigh its pairs double',
      collect,
    )
    .requiredOption(
      '--val <file>',
      'validation pairs for early stopping and the threshold; repeatable',
      collect,
    )
    .requiredOption('--out <dir>', 'model directory to write')
    .option('--force', 'replace a model or files already at --out')
    .option(
      '--epochs <n>',
      'most passes over the data',
      positiveInt('--epochs'),
      10,
    )
    .option('--margin <m>', 'contrastive margin', positiveNumber('--margin'))
    .option(
      '--seed <s>',
      'seed of weights and shuffling',
      positiveInt('--seed'),
      1,
    )
    .option(
      '--batch-size <n>',
      'pairs per batch',
      positiveInt('--batch-size'),
      128,
    )
    .option('--lr <rate>', 'Adam learning rate', positiveNumber('--lr'), 0.001)
    .option(
      '--patience <n>',
      'epochs without gain before stopping',
      positiveInt('--patience'),
      2,
    )
    .option('--init <dir>', 'fine-tune this model instead of starting fresh')
    .option('--units <n>', 'LSTM units per direction', positiveInt('--units'))
    .option('--bidirectional', 'add a right-to-left LSTM')
    .addOption(
      new Option('--pooling <how>', 'pool LSTM outputs').choices([
        'mean',
        'max',
        'last',
      ]),
    )
    .option(
      '--projection <n>',
      'output size (0: none)',
      wholeNumber('--projection'),
    )
    .option('--normalize', 'L2-normalise outputs')
    .addOption(
      new Option(
        '--mean-weights <how>',
        'weigh words in the word-vector mean (frequency: rare words count more)',
      ).choices(['uniform', 'frequency']),
    )
    .option(
      '--max-length <n>',
      'tokens kept per sentence',
      positiveInt('--max-length'),
    )
    .option(
      '--lexical-dim <n>',
      'size of the hashed bag of words appended to the output (0: none)',
      wholeNumber('--lexical-dim'),
    )
    .option(
      '--limit <n>',
      'use only the first N pairs of each file',
      positiveInt('--limit'),
    )
    .option('--skip-invalid', 'drop pairs with a sentence of no known word')
    .action(async (flags: TrainFlags) => {
      await runTrain(flags);
    });
}

async function runTrain(flags: TrainFlags): Promise<void> {
  if (!flags.force) refuseTakenOut(flags.out);
  const log = cliLogger();
  const options = encoderOptions(log);
  const encoder = flags.init
    ? await SiameseEncoder.load(flags.init, options)
    : await SiameseEncoder.create(architecture(flags), flags.seed, options);
  if (flags.init && flags.margin) encoder.config.margin = flags.margin;

  const loadOptions = { limit: flags.limit, skipInvalid: flags.skipInvalid };
  const train = await loadTrainingPairs(
    flags.pairs,
    encoder.inputs,
    loadOptions,
  );
  const val = await loadTrainingPairs(flags.val, encoder.inputs, loadOptions);
  if (train.pairs.length === 0 || val.pairs.length === 0) {
    throw new AppError(ErrorCode.BadInput, 'no training or validation pairs');
  }
  process.stderr.write(
    `training on ${train.pairs.length} pairs, validating on ` +
      `${val.pairs.length}` +
      (train.skipped + val.skipped
        ? ` (skipped ${train.skipped + val.skipped})`
        : '') +
      '\n',
  );

  const bar = progressBar(
    'epoch {epoch} [{bar}] {value}/{total} | loss {loss} | {rate} pairs/s',
  );
  const record = (epochs: EpochReport[], bestEpoch: number) => ({
    files: flags.pairs.map(relativeToProject),
    validationFiles: flags.val.map(relativeToProject),
    pairs: train.pairs.length,
    validationPairs: val.pairs.length,
    limit: flags.limit ?? null,
    seed: flags.seed,
    batchSize: flags.batchSize,
    learningRate: flags.lr,
    initialisedFrom: flags.init ? relativeToProject(flags.init) : null,
    bestEpoch,
    epochs,
  });
  const reports: EpochReport[] = [];

  const result = await trainEncoder(encoder, train.pairs, val.pairs, {
    epochs: flags.epochs,
    batchSize: flags.batchSize,
    learningRate: flags.lr,
    seed: flags.seed,
    patience: flags.patience,
    log,
    onProgress: (p) => {
      const values = {
        epoch: `${p.epoch}/${p.epochs}`,
        loss: p.loss.toFixed(4),
        rate: Math.round(p.pairsPerSecond),
      };
      if (p.batch === 1) bar.start(p.batches, values);
      bar.update(p.batch, values);
    },
    onEpoch: (report) => {
      bar.stop();
      reports.push(report);
      process.stderr.write(`${describeEpoch(report)}\n`);
      // Each better epoch is saved at once: the checkpoint survives a crash.
      if (report.improved) {
        encoder.threshold = report.validation.threshold;
        saveModel(encoder, flags.out, record(reports, report.epoch));
      }
    },
  });

  saveModel(encoder, flags.out, record(result.epochs, result.bestEpoch));
  process.stderr.write(
    `best epoch ${result.bestEpoch}, threshold ` +
      `${result.threshold.toFixed(4)}; model written to ` +
      `${path.resolve(flags.out)}\n`,
  );
  encoder.dispose();
}

/**
 * Refuses an --out folder that already holds something: a model there
 * took minutes or hours to train, and the checkpoints of this run would
 * replace it at the first epoch.
 */
function refuseTakenOut(out: string): void {
  const dir = path.resolve(out);
  if (!fs.existsSync(dir)) return;
  const held = fs.statSync(dir).isDirectory() ? fs.readdirSync(dir) : [out];
  if (held.length === 0) return;
  const what = held.includes('model.json')
    ? 'holds a model'
    : `is not an empty folder (${held.slice(0, 3).join(', ')})`;
  throw new AppError(
    ErrorCode.BadInput,
    `--out ${dir} ${what}; pass --force to replace it, or choose another ` +
      'folder',
  );
}

/** Parses a whole number of at least 0, naming the option when it is not. */
function wholeNumber(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isInteger(n) || n < 0) {
      throw new InvalidArgumentError(
        `${name} must be a whole number of at least 0, got "${value}"`,
      );
    }
    return n;
  };
}

/** Paths as recorded in model.json: relative to the project root. */
function relativeToProject(file: string): string {
  return path.relative(projectRoot, path.resolve(file));
}

function architecture(flags: TrainFlags): Partial<EncoderConfig> {
  const config: Partial<EncoderConfig> = {};
  if (flags.units) config.units = flags.units;
  if (flags.bidirectional) config.bidirectional = true;
  if (flags.pooling) config.pooling = flags.pooling;
  if (flags.projection !== undefined) config.projection = flags.projection;
  if (flags.normalize) config.normalize = true;
  if (flags.meanWeights) config.meanWeights = flags.meanWeights;
  if (flags.maxLength) config.maxLength = flags.maxLength;
  if (flags.lexicalDim !== undefined) config.lexicalDim = flags.lexicalDim;
  if (flags.margin) config.margin = flags.margin;
  return config;
}

function saveModel(
  encoder: SiameseEncoder,
  dir: string,
  training: Record<string, unknown>,
): void {
  encoder.version = path.basename(path.resolve(dir));
  encoder.manifest.training = training;
  encoder.manifest.createdAt = new Date().toISOString();
  encoder.save(dir, { card: modelCard(encoder.manifest) });
}

function describeEpoch(report: EpochReport): string {
  const v = report.validation;
  const parts = [
    `epoch ${report.epoch}: loss ${report.trainLoss.toFixed(4)}`,
    `val score ${v.score.toFixed(4)}`,
  ];
  if (v.accuracy !== undefined) parts.push(`acc ${v.accuracy.toFixed(4)}`);
  if (v.spearman !== undefined) parts.push(`spearman ${v.spearman.toFixed(4)}`);
  parts.push(`${Math.round(report.pairsPerSecond)} pairs/s`);
  return parts.join(', ') + (report.improved ? ' (best so far, saved)' : '');
}
