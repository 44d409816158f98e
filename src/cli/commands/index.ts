/** Registers every sub-command. */
import type { Command } from 'commander';

import { embedCommand } from './embed.js';
import { splitCommand } from './split.js';
import { trainCommand } from './train.js';
import { vectorsCommand } from './vectors.js';

export function registerCommands(program: Command): void {
  trainCommand(program);
  embedCommand(program);
  splitCommand(program);
  vectorsCommand(program);
}
