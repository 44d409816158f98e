/**
 * `siamese-dedup split`: holds out a seeded share of a pair file, writing
 * a training file and a validation file in the same layout.
 */
import type { Command } from 'commander';

import { readPairs } from '../../data/read-pairs.js';
import { splitPairFile } from '../../data/split-pairs.js';
import { writePairFile } from '../../data/write-pairs.js';
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
