/** Registers every sub-command; none takes a one-value option twice. */
import type { Command } from 'commander';

import { refuseRepeatedOptions } from '../option-parsers.js';
import { embedCommand } from './embed.js';
import { evalCommand } from './eval.js';
import { importCommand } from './import.js';
import { keysCommand } from './keys.js';
import { reportCommand } from './report.js';
import { serveCommand } from './serve.js';
import { simulateReviewCommand } from './simulate-review.js';
import { splitCommand } from './split.js';
import { trainCommand } from './train.js';
import { vectorsCommand } from './vectors.js';
import { workerCommand } from './worker.js';

export function registerCommands(program: Command): void {
  trainCommand(program);
  evalCommand(program);
  embedCommand(program);
  splitCommand(program);
  reportCommand(program);
  vectorsCommand(program);
  workerCommand(program);
  serveCommand(program);
  importCommand(program);
  keysCommand(program);
  simulateReviewCommand(program);
  refuseRepeatedOptions(program);
}
