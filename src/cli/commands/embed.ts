/** `siamese-dedup embed`: sentences on stdin, one JSON vector per line out. */
import readline from 'node:readline';

import type { Command } from 'commander';

import { SiameseEncoder } from '../../encoder/siamese-encoder.js';
import { cliLogger, encoderOptions } from '../context.js';

/** Lines embedded together; bounds memory on long inputs. */
const CHUNK = 1024;

export function embedCommand(program: Command): void {
  program
    .command('embed')
    .description('embed sentences read from stdin, one per line')
    .option('--model <dir>', 'model directory (default: the shipped model)')
    .action(async (opts: { model?: string }) => {
      const log = cliLogger();
      const encoder = await SiameseEncoder.load(
        opts.model,
        encoderOptions(log),
      );
      const lines = readline.createInterface({ input: process.stdin });
      let chunk: string[] = [];

      const flush = async () => {
        const vectors = await encoder.embed(chunk);
        const text = vectors
          .map((v) => JSON.stringify(Array.from(v, round)))
          .join('\n');
        if (text) process.stdout.write(`${text}\n`);
        chunk = [];
      };

      for await (const line of lines) {
        chunk.push(line);
        if (chunk.length >= CHUNK) await flush();
      }
      await flush();
      encoder.dispose();
    });
}

function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
