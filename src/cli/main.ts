#!/usr/bin/env node
/**
 * The `siamese-dedup` command line. Each sub-command lives in its own file
 * under commands/; this file wires them up and turns errors into exit codes.
 */
import { Command, CommanderError } from 'commander';

import { AppError } from '../errors/app-error.js';
import { registerCommands } from './commands/index.js';

const program = new Command()
  .name('siamese-dedup')
  .description(
    'Find duplicate and paraphrased sentences with a siamese LSTM encoder',
  )
  // One line of hint, not the whole help, after a usage error: the error
  // line itself names the option and what it expects.
  .showHelpAfterError('(add --help for usage)')
  .exitOverride();

registerCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    process.exitCode = err.exitCode === 0 ? 0 : 1;
  } else if (err instanceof AppError) {
    process.stderr.write(`siamese-dedup: ${err.message}\n`);
    process.exitCode = 1;
  } else {
    process.stderr.write(
      `siamese-dedup: unexpected error: ${(err as Error).stack ?? String(err)}\n`,
    );
    process.exitCode = 2;
  }
}
