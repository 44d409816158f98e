/**
 * The `load` benchmark part: mixed traffic on the real app, 80 %
 * search, 15 % ingest of single items, 5 % labels, at the connection
 * count a short ramp finds best; then --load-seconds of it. Throughput,
 * latency, errors by request kind, and the server's resident memory
 * and live tfjs tensors sampled every second, which must stay flat.
 */
import fs from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

import * as tf from '@tensorflow/tfjs';

import {
  corpusOf,
  describeCorpus,
  describeSources,
  quoraLabels,
  realTexts,
} from './bench-corpus.js';
import type { BenchOptions } from './bench-options.js';
import type { BenchPart } from './bench-part.js';
import {
  describeSettings,
  ingestOverHttp,
  startBenchServer,
  tempDataDir,
} from './bench-server.js';
import { searchBodies } from './http-bench.js';
import type { LoadResult, LoadSpec, RequestKind } from './load-protocol.js';
import { runLoad, startLoad } from './load-runner.js';
import {
  fixed,
  int,
  mib,
  ms,
  table,
  verdict,
  type Target,
} from './report-format.js';

/** Connection counts the ramp tries. */
const RAMP = [1, 2, 4, 8, 16];

/** Share of the best ramp throughput that counts as holding it. */
const HOLD_SHARE = 0.95;

/** Errors allowed during the run. */
export const ERROR_TARGET: Target = { value: 0, kind: 'max' };

/** One sample of the server's state. */
interface Sample {
  seconds: number;
  rss: number;
  tensors: number;
}

function sample(since: number): Sample {
  return {
    seconds: (performance.now() - since) / 1000,
    rss: process.memoryUsage().rss,
    tensors: tf.memory().numTensors,
  };
}

/** The request mix: 16 searches, 3 ingests and 1 label in every 20. */
async function mix(
  options: BenchOptions,
  stored: readonly string[],
): Promise<RequestKind[]> {
  const real = await realTexts();
  const fresh = corpusOf(stored, options.loadItems + 20_000).texts.slice(
    options.loadItems,
  );
  const labels = await quoraLabels(2000);
  return [
    {
      name: 'search',
      path: '/v1/search',
      bodies: searchBodies(real.queries),
      share: 16,
    },
    {
      name: 'ingest',
      path: '/v1/items',
      bodies: fresh.map((text) => JSON.stringify({ text })),
      share: 3,
    },
    {
      name: 'label',
      path: '/v1/pairs',
      bodies: labels.map((p) =>
        JSON.stringify({ a: p.a, b: p.b, label: p.label, who: 'bench' }),
      ),
      share: 1,
    },
  ];
}

const errorsOf = (load: LoadResult) => load.errors + load.non2xx;

/** Fewest connections within HOLD_SHARE of the best error-free rate. */
function choose(ramp: { connections: number; load: LoadResult }[]): number {
  const clean = ramp.filter((r) => errorsOf(r.load) === 0);
  const pool = clean.length ? clean : ramp;
  const best = Math.max(...pool.map((r) => r.load.rate));
  return (
    pool.find((r) => r.load.rate >= HOLD_SHARE * best)?.connections ??
    RAMP[0] ??
    1
  );
}

function statusCell(load: LoadResult, kind: string): string {
  const counts = load.statuses[kind] ?? {};
  return Object.entries(counts)
    .map(([status, n]) => `${status}: ${int(n)}`)
    .join(', ');
}

/** The load part of `npm run bench`. */
export const loadPart: BenchPart = {
  name: 'load',
  title: 'Mixed load: search, ingest and labels',
  async run(log, options) {
    const real = await realTexts();
    const corpus = corpusOf(real.stored, options.loadItems);
    const dataDir = tempDataDir('load');
    const server = await startBenchServer({
      modelDir: options.modelDir,
      dataDir,
    });
    try {
      log(`load: ingesting ${options.loadItems} items`);
      await ingestOverHttp(server, corpus.texts, log);
      const kinds = await mix(options, real.stored);
      const spec = (connections: number, seconds: number): LoadSpec => ({
        url: server.url,
        connections,
        seconds,
        kinds,
      });

      const ramp = [];
      for (const connections of RAMP) {
        log(`load: ramp, ${connections} connection(s)`);
        ramp.push({
          connections,
          load: await runLoad(spec(connections, options.rampSeconds)),
        });
      }
      const chosen = choose(ramp);

      log(`load: ${options.loadSeconds} s at ${chosen} connections`);
      await sleep(1000);
      const since = performance.now();
      const samples = [sample(since)];
      const running = startLoad(spec(chosen, options.loadSeconds));
      const timer = setInterval(() => samples.push(sample(since)), 1000);
      let load: LoadResult;
      try {
        load = await running.done;
      } finally {
        clearInterval(timer);
      }
      // Let the last requests' work finish before the final sample.
      await sleep(1000);
      samples.push(sample(since));
      const items = server.service.status().indexSize;

      return {
        body: render({
          options,
          corpusLine: `${describeCorpus(corpus)} ${describeSources(real.files)}`,
          ramp,
          chosen,
          load,
          samples,
          items,
        }),
        backends: [tf.getBackend()],
      };
    } finally {
      await server.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  },
};

function render(input: {
  options: BenchOptions;
  corpusLine: string;
  ramp: { connections: number; load: LoadResult }[];
  chosen: number;
  load: LoadResult;
  samples: Sample[];
  items: number;
}): string {
  const { options, ramp, chosen, load, samples } = input;
  const first = samples[0] as Sample;
  const last = samples.at(-1) as Sample;
  const maxRss = Math.max(...samples.map((s) => s.rss));
  const maxTensors = Math.max(...samples.map((s) => s.tensors));
  const errors = errorsOf(load);
  const out: string[] = [];

  out.push(
    'The real service in the benchmark process (as in the http part), ' +
      `settings ${describeSettings()}; model \`${options.modelDir}\`. ` +
      `Corpus at the start: ${int(options.loadItems)} items, ` +
      `${input.corpusLine} Each connection of autocannon (a child ` +
      'process) repeats a fixed interleaved sequence of 20 requests: 16 ' +
      'POST /v1/search (k 10, real texts kept out of the corpus), 3 POST ' +
      '/v1/items (new texts), 1 POST /v1/pairs (a labelled quora/dev.tsv ' +
      'pair given as texts); one request in flight per connection.' +
      (options.quick ? ' **`--quick` run: small sizes, not a result.**' : ''),
  );

  out.push('### Ramp');
  out.push(
    table(
      ['connections', 'requests/s', 'p50 ms', 'p99 ms', 'errors'],
      ramp.map((r) => [
        r.connections === chosen
          ? `**${r.connections}**`
          : String(r.connections),
        int(r.load.rate),
        ms(r.load.latency.p50),
        ms(r.load.latency.p99),
        int(errorsOf(r.load)),
      ]),
    ),
  );
  out.push(
    `${fixed(options.rampSeconds, 0)} s per step. Chosen: the fewest ` +
      `connections (${chosen}) whose rate is within ` +
      `${Math.round(HOLD_SHARE * 100)} % of the best error-free rate; ` +
      'more connections only queue requests on the request thread and ' +
      'the index thread and lengthen latency.',
  );

  out.push(`### ${fixed(load.seconds, 0)} s at ${chosen} connections`);
  out.push(
    table(
      ['measure', 'value', 'target'],
      [
        ['requests/s', int(load.rate), ''],
        ['responses', int(load.responses), ''],
        [
          'p50 / p99 / max ms',
          `${ms(load.latency.p50)} / ` +
            `${ms(load.latency.p99)} / ${ms(load.latency.max)}`,
          '',
        ],
        [
          'errors (connection errors, timeouts, non-2xx)',
          int(errors),
          `0: ${verdict(errors, ERROR_TARGET)}`,
        ],
        ['search statuses', statusCell(load, 'search'), ''],
        ['ingest statuses', statusCell(load, 'ingest'), ''],
        ['label statuses', statusCell(load, 'label'), ''],
        [
          'resident memory, start / end / max',
          `${mib(first.rss)} / ${mib(last.rss)} / ${mib(maxRss)}`,
          '',
        ],
        [
          'tf.memory().numTensors, start / end / max',
          `${int(first.tensors)} / ${int(last.tensors)} / ${int(maxTensors)}`,
          `flat: ${last.tensors === first.tensors ? 'met' : '**not met**'}`,
        ],
        ['items in the index at the end', int(input.items), ''],
      ],
    ),
  );
  out.push(
    'Latency is measured by the client over all three kinds together. ' +
      'Memory and tensors are sampled every second in the server ' +
      'process (it also holds the benchmark\u2019s texts), the last ' +
      'sample one second after the load ended. Resident memory grows ' +
      'with the corpus (SQLite pages, index entries) as items are added.',
  );
  return out.join('\n\n');
}
