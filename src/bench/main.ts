/**
 * `npm run bench [-- --part <name>[,<name>]] [flags]`: runs the
 * registered benchmark parts (all by default) and writes each one's
 * section of BENCHMARKS.md, leaving the other sections as they are.
 * `--help` lists the parts and flags.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';

import { projectRoot } from '../config/paths.js';
import { writeSection } from '../eval/markdown-sections.js';
import { BENCH_FLAG_TABLE, benchOptions } from './bench-options.js';
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

const HELP = `Usage: npm run bench [-- <flags>]

Runs benchmark parts and writes each one's section of BENCHMARKS.md,
with the command, the machine, the date, the settings and the numbers
against their targets. Everything runs on this machine over loopback.

Parts (all, in this order, unless --part picks some):
  encoder   training pairs/s and embedding questions/s of the encoder
  index     HNSW build time, query p50/p99 and recall@10 against exact
            search at several ef, memory; 10k, 100k (real sentence
            embeddings) and 1M (random unit vectors)
  http      the real app on loopback at 10k and 100k items: ingest
            items/s through POST /v1/items/batch, POST /v1/search
            under autocannon, and start-up of \`serve\` until /readyz
  load      60 s of 80 % search, 15 % ingest, 5 % labels at the
            connection count a short ramp found best; memory and
            tfjs tensors at start and end
  retrain   new labels to the new model serving over a 20k corpus,
            lookup p99 meanwhile (embedded worker thread, no Redis)

Flags:
  --part <names>          parts to run, comma-separated (alias --only)
  --quick                 small sizes and short runs, for development
  --model <dir>           model folder (default models/default)
  --out <file>            file to write (default BENCHMARKS.md)
  --index-sizes <n,...>   index part sizes (10000,100000,1000000)
  --real-max <n>          largest index of real embeddings (100000)
  --build-seconds <s>     bound on one index build (900)
  --queries <n>           queries per index size (1000)
  --http-sizes <n,...>    http part corpus sizes (10000,100000)
  --search-seconds <s>    search load per http size (20)
  --load-items <n>        load part corpus size (100000)
  --load-seconds <s>      load part mixed traffic (60)
  --ramp-seconds <s>      each step of the load ramp (5)
  --retrain-items <n>     retrain part corpus size (20000)
  --retrain-labels <n>    labels that start the retrain (1000)
  --retrain-seconds <s>   bound on waiting for the new model (600)
`;

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
      part: { type: 'string', multiple: true, default: [] },
      out: { type: 'string', default: path.join(projectRoot, 'BENCHMARKS.md') },
      help: { type: 'boolean', default: false },
      ...BENCH_FLAG_TABLE,
    },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return;
  }
  const options = benchOptions(values);
  const parts = selectParts([...values.part, ...values.only]);
  const log = (line: string) => process.stderr.write(`${line}\n`);

  for (const part of parts) {
    const started = new Date();
    const loadBefore = loadAverage();
    log(`bench: ${part.name}`);
    const result = await part.run(log, options);
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
