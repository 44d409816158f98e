/**
 * `npm run bench [-- --only <name>[,<name>]] [--out <file>]`: runs the
 * registered benchmark parts (all by default) and writes each one's
 * section of BENCHMARKS.md, leaving the other sections as they are.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';

import { projectRoot } from '../config/paths.js';
import { writeSection } from '../eval/markdown-sections.js';
import type { BenchPart } from './bench-part.js';
import { loadAverage, runParagraph } from './machine.js';
import { BENCH_PARTS } from './parts.js';

/** How the user started this run, for the record in each section. */
function commandLine(args: string[]): string {
  const rest = args.length ? ` ${args.join(' ')}` : '';
  return process.env.npm_lifecycle_event === 'bench'
    ? `npm run bench${rest ? ` --${rest}` : ''}`
    : `node dist/bench/main.js${rest}`;
}

function selectParts(only: string[]): BenchPart[] {
  if (only.length === 0) return BENCH_PARTS;
  const names = only.flatMap((o) => o.split(',')).filter(Boolean);
  return names.map((name) => {
    const part = BENCH_PARTS.find((p) => p.name === name);
    if (!part) {
      const known = BENCH_PARTS.map((p) => p.name).join(', ');
      throw new Error(`no benchmark part "${name}"; known parts: ${known}`);
    }
    return part;
  });
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const { values } = parseArgs({
    args,
    options: {
      only: { type: 'string', multiple: true, default: [] },
      out: { type: 'string', default: path.join(projectRoot, 'BENCHMARKS.md') },
    },
  });
  const parts = selectParts(values.only);
  const log = (line: string) => process.stderr.write(`${line}\n`);

  for (const part of parts) {
    const started = new Date();
    const loadBefore = loadAverage();
    log(`bench: ${part.name}`);
    const result = await part.run(log);
    const seconds = (Date.now() - started.getTime()) / 1000;

    const intro = runParagraph({
      command: commandLine(args),
      started,
      seconds,
      backends: result.backends,
      loadBefore,
      loadAfter: loadAverage(),
    });
    writeSection(
      values.out,
      'Benchmarks',
      part.name,
      `## ${part.title}\n\n${intro}\n\n${result.body}`,
    );
    log(
      `bench: ${part.name} done in ${seconds.toFixed(0)} s; wrote ${values.out}`,
    );
  }
}

try {
  await main();
} catch (err) {
  process.stderr.write(`bench: ${(err as Error).message}\n`);
  process.exitCode = 1;
}
