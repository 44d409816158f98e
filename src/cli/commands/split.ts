/**
 * `siamese-dedup split`: holds out a seeded share of a pair file, writing
 * a training file and a validation file in the same layout. It refuses,
 * before reading or writing anything, an output that is the input file
 * or a folder, and two outputs that are one file.
 */
import fs from 'node:fs';

import type { Command } from 'commander';

import { sameFile } from '../../data/file-identity.js';
import { readPairs } from '../../data/read-pairs.js';
import { splitPairFile } from '../../data/split-pairs.js';
import { writePairFile } from '../../data/write-pairs.js';
import { AppError, ErrorCode } from '../../errors/app-error.js';
import { openShare, positiveInt } from '../option-parsers.js';

interface SplitFlags {
  pairs: string;
  share: number;
  seed: number;
  train: string;
  val: string;
}

export function splitCommand(program: Command): void {
  program
    .command('split')
    .description('hold out a share of a pair file for validation')
    .requiredOption('--pairs <file>', 'pair file to split')
    .requiredOption('--train <file>', 'where to write the training part')
    .requiredOption('--val <file>', 'where to write the held-out part')
    .option(
      '--share <x>',
      'held-out share, 0 < x < 1',
      openShare('--share'),
      0.1,
    )
    .option('--seed <s>', 'seed of the split', positiveInt('--seed'), 1)
    .action(async (flags: SplitFlags) => {
      checkOutputs(flags);
      const file = await readPairs(flags.pairs);
      const parts = splitPairFile(file, flags.share, flags.seed);
      await writePairFile(flags.train, parts.train);
      await writePairFile(flags.val, parts.validation);
      process.stderr.write(
        `${parts.train.pairs.length} pairs to ${flags.train}, ` +
          `${parts.validation.pairs.length} to ${flags.val}\n`,
      );
    });
}

/**
 * Throws `bad_input` when --train or --val names the input file or a
 * folder, or both name one file: the split would destroy its own data.
 */
function checkOutputs(flags: SplitFlags): void {
  const outputs: [string, string][] = [
    ['--train', flags.train],
    ['--val', flags.val],
  ];
  for (const [flag, file] of outputs) {
    if (sameFile(file, flags.pairs)) {
      throw new AppError(
        ErrorCode.BadInput,
        `${flag} ${file} is the input file ${flags.pairs}; write the ` +
          'parts to other files, or the split would overwrite its input',
        { flag, file },
      );
    }
    if (fs.statSync(file, { throwIfNoEntry: false })?.isDirectory()) {
      throw new AppError(
        ErrorCode.BadInput,
        `${flag} ${file} is a folder; expected a file name`,
        { flag, file },
      );
    }
  }
  if (sameFile(flags.train, flags.val)) {
    throw new AppError(
      ErrorCode.BadInput,
      `--train ${flags.train} and --val ${flags.val} are the same file; ` +
        'give two different files, or one part would overwrite the other',
      { train: flags.train, val: flags.val },
    );
  }
}
