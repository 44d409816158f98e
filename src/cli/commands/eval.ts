/**
 * `siamese-dedup eval`: scores a model and the lexical baselines on a pair
 * file. `--json` prints one JSON object (rates as fractions) on stdout.
 * Like `train`, it refuses a sentence with no word the model knows,
 * naming file and line, unless --skip-invalid drops such pairs. Control
 * characters are kept, as for training (see ReadOptions.refuseControls).
 */
import type { Command } from 'commander';

import { readPairs } from '../../data/read-pairs.js';
import { loadVectors, SiameseEncoder } from '../../encoder/siamese-encoder.js';
import { evaluateFile, type FileScores } from '../../eval/evaluate.js';
import { requireKnownWords } from '../../eval/known-words.js';
import { cliLogger, encoderOptions } from '../context.js';

interface EvalFlags {
  model?: string;
  pairs: string;
  json?: boolean;
  calibrate?: string;
  skipInvalid?: boolean;
}

export function evalCommand(program: Command): void {
  program
    .command('eval')
    .description('evaluate a model and baselines on a pair file')
    .option('--model <dir>', 'model directory (default: the shipped model)')
    .requiredOption('--pairs <file>', 'pair file to evaluate on')
    .option(
      '--calibrate <file>',
      'binary pair file on which baseline thresholds are tuned ' +
        '(default: the evaluated file itself)',
    )
    .option('--json', 'print one JSON object')
    .option('--skip-invalid', 'drop pairs with a sentence of no known word')
    .action(async (flags: EvalFlags) => {
      const log = cliLogger();
      const options = encoderOptions(log);
      const read = await readPairs(flags.pairs);
      const calibrationRead = flags.calibrate
        ? await readPairs(flags.calibrate)
        : undefined;
      const encoder = await SiameseEncoder.load(flags.model, options);

      const skip = flags.skipInvalid ?? false;
      const checked = requireKnownWords(read, encoder.inputs, skip);
      const checkedCalibration =
        calibrationRead &&
        requireKnownWords(calibrationRead, encoder.inputs, skip);
      const file = checked.file;
      const calibration = checkedCalibration?.file;
      const skipped = checked.skipped + (checkedCalibration?.skipped ?? 0);
      if (skipped > 0) {
        process.stderr.write(
          `skipped ${skipped} pairs with a sentence of no known word\n`,
        );
      }
      const vectors = loadVectors(options.vectorsFile, log);

      const report = evaluateFile(encoder, file, vectors, calibration);
      encoder.dispose();
      if (flags.json) {
        process.stdout.write(`${JSON.stringify(report)}\n`);
        return;
      }
      const rows: [string, FileScores][] = [
        [`model ${report.model}`, report],
        ...Object.entries(report.baselines),
      ];
      process.stdout.write(
        `${report.file} (${report.kind}, ${report.n} pairs)\n` +
          formatTable(rows) +
          '\n',
      );
    });
}

/** A fixed-width table of the measures each row has. */
export function formatTable(rows: [string, FileScores][]): string {
  const keys = [
    'accuracy',
    'best_accuracy',
    'f1',
    'ap',
    'auc',
    'map',
    'mrr',
    'pearson',
    'spearman',
  ].filter((key) => rows.some(([, s]) => key in s));
  const header = ['', ...keys].map((k) => k.padEnd(14)).join('');
  const lines = rows.map(([name, scores]) =>
    [
      name.padEnd(14),
      ...keys.map((key) => {
        const value = (scores as unknown as Record<string, number>)[key];
        return (value === undefined ? '-' : value.toFixed(4)).padEnd(14);
      }),
    ].join(''),
  );
  return [header, ...lines].join('\n');
}
