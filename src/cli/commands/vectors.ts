/** `siamese-dedup vectors`: build the binary word-vector cache now. */
import type { Command } from 'commander';

import {
  buildGloveCache,
  defaultVectorCache,
} from '../../vectors/word-vectors.js';

export function vectorsCommand(program: Command): void {
  program
    .command('vectors')
    .description('convert the GloVe vectors to the binary cache (once)')
    .option('--out <file>', 'cache file', process.env.VECTORS_CACHE)
    .action((opts: { out?: string }) => {
      const file = opts.out || defaultVectorCache;
      const started = Date.now();
      buildGloveCache(file);
      process.stderr.write(
        `wrote ${file} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
      );
    });
}
