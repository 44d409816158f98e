/**
 * `siamese-dedup embed`: sentences on stdin, one JSON vector per line out.
 * The whole input is read and checked before anything is embedded, so a
 * bad line (not UTF-8, empty or white space only, or holding a control
 * character other than tab, as the HTTP API refuses) ends the command
 * with `stdin:<line>: ...` and exit code 1 before any vector is printed.
 */
import type { Command } from 'commander';

import { splitLines } from '../../data/text-lines.js';
import { SiameseEncoder } from '../../encoder/siamese-encoder.js';
import { FileFormatError } from '../../errors/app-error.js';
import { characterProblem } from '../../text/text-characters.js';
import { cliLogger, encoderOptions } from '../context.js';

/** Lines embedded together; bounds memory on long inputs. */
const CHUNK = 1024;

/** Name of the input in messages. */
const SOURCE = 'stdin';

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
      try {
        const sentences = await readSentences(process.stdin);
        for (let i = 0; i < sentences.length; i += CHUNK) {
          const vectors = await encoder.embed(sentences.slice(i, i + CHUNK));
          const text = vectors
            .map((v) => `${JSON.stringify(Array.from(v, round))}\n`)
            .join('');
          process.stdout.write(text);
        }
      } finally {
        encoder.dispose();
      }
    });
}

/**
 * Every line of `input`, checked: UTF-8, not blank, no control character
 * other than tab. Throws a `FileFormatError` naming `stdin` and the line.
 */
export async function readSentences(
  input: AsyncIterable<Uint8Array>,
): Promise<string[]> {
  const sentences: string[] = [];
  for await (const { number, text } of splitLines(input, SOURCE)) {
    if (text.trim() === '') {
      throw new FileFormatError(
        SOURCE,
        number,
        'the line is empty or only white space; expected one sentence a line',
      );
    }
    const problem = characterProblem(text);
    if (problem !== undefined) {
      throw new FileFormatError(SOURCE, number, `the line ${problem}`);
    }
    sentences.push(text);
  }
  return sentences;
}

function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
