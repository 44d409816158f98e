/**
 * The `http` benchmark part: the real app on loopback at each corpus
 * size. Real texts are ingested through POST /v1/items/batch (items/s,
 * one batch request at a time on a DATA_DIR of its own, then two at a
 * time on the DATA_DIR the rest uses),
 * POST /v1/search is loaded with autocannon from a child process at one
 * and at several connections (p50, p99, requests/s, errors), and at the
 * largest size `siamese-dedup serve` is started on the saved DATA_DIR
 * and timed until /readyz answers 200.
 */
import fs from 'node:fs';

import * as tf from '@tensorflow/tfjs';

import {
  corpusOf,
  describeCorpus,
  describeSources,
  realTexts,
  type Corpus,
} from './bench-corpus.js';
import type { BenchOptions } from './bench-options.js';
import type { BenchPart } from './bench-part.js';
import {
  describeSettings,
  ingestOverHttp,
  startBenchServer,
  tempDataDir,
  type IngestTiming,
} from './bench-server.js';
import type { LoadResult } from './load-protocol.js';
import { runLoad } from './load-runner.js';
import {
  fixed,
  int,
  ms,
  table,
  verdict,
  type Target,
} from './report-format.js';
import { timeServeStartup, type StartupTiming } from './serve-startup.js';

/** Ingest rate through the API: at least 1,000 items/s. */
export const INGEST_TARGET: Target = { value: 1000, kind: 'min' };
/** Search p99 at the largest size: at most 10 ms. */
export const SEARCH_P99_TARGET: Target = { value: 10, kind: 'max' };
/** `serve` start-up with a saved index, until ready: at most 3 s. */
export const STARTUP_TARGET: Target = { value: 3, kind: 'max' };

/** Connections of the search load: one client alone, then several. */
const CONNECTIONS = [1, 8];

/** Batch requests in flight: the second ingest fills the searched corpus. */
const INGEST_IN_FLIGHT = [1, 2] as const;

/** Starts of `serve` timed, one after another. */
const STARTS = 2;

/** Results at one corpus size. */
interface SizeResult {
  size: number;
  corpus: Corpus;
  ingests: IngestTiming[];
  searches: { connections: number; load: LoadResult }[];
  startups: StartupTiming[];
}

/** Search bodies: real texts kept out of the corpus. */
export function searchBodies(queries: readonly string[]): string[] {
  return queries.map((text) => JSON.stringify({ text, k: 10 }));
}

async function measureSize(
  size: number,
  options: BenchOptions,
  timeStartup: boolean,
  log: (line: string) => void,
): Promise<SizeResult> {
  const real = await realTexts();
  const corpus = corpusOf(real.stored, size);
  const [alone, together] = INGEST_IN_FLIGHT;
  const ingests = [await ingestAlone(corpus.texts, options, alone, log)];
  const dataDir = tempDataDir('http');
  try {
    const server = await startBenchServer({
      modelDir: options.modelDir,
      dataDir,
    });
    const searches = [];
    try {
      log(`http: ingesting ${size} items, ${together} batches in flight`);
      ingests.push(await ingestOverHttp(server, corpus.texts, log, together));
      for (const connections of CONNECTIONS) {
        log(`http: search load, ${connections} connection(s)`);
        const load = await runLoad({
          url: server.url,
          connections,
          seconds: options.searchSeconds,
          kinds: [
            {
              name: 'search',
              path: '/v1/search',
              bodies: searchBodies(real.queries),
              share: 1,
            },
          ],
        });
        searches.push({ connections, load });
      }
    } finally {
      await server.close();
    }

    const startups = [];
    for (let i = 0; timeStartup && i < STARTS; i++) {
      log(`http: timing serve start-up ${i + 1} of ${STARTS}`);
      startups.push(await timeServeStartup(dataDir, options.modelDir));
    }
    return { size, corpus, ingests, searches, startups };
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Ingests `texts` into a fresh DATA_DIR, removed afterwards. */
async function ingestAlone(
  texts: readonly string[],
  options: BenchOptions,
  inFlight: number,
  log: (line: string) => void,
): Promise<IngestTiming> {
  const dataDir = tempDataDir('http-ingest');
  try {
    const server = await startBenchServer({
      modelDir: options.modelDir,
      dataDir,
    });
    try {
      log(`http: ingesting ${texts.length} items, ${inFlight} in flight`);
      return await ingestOverHttp(server, texts, log, inFlight);
    } finally {
      await server.close();
    }
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

function errorsOf(load: LoadResult): number {
  return load.errors + load.non2xx;
}

function render(
  results: SizeResult[],
  options: BenchOptions,
  files: string[],
): string {
  const out: string[] = [];
  const largest = results.at(-1);
  out.push(
    'The real service in the benchmark process (DedupService and the ' +
      'Express app of `createApp`, listening on 127.0.0.1, the review ' +
      "queue's candidate sweep running beside them as in `serve`), with a fresh " +
      `temporary DATA_DIR per size and settings ${describeSettings()}. ` +
      `Model \`${options.modelDir}\`. autocannon runs in a child ` +
      'process, so client and server each have an event loop; on a ' +
      'two-core machine they share the cores.' +
      (options.quick ? ' **`--quick` run: small sizes, not a result.**' : ''),
  );
  out.push(
    'Corpora: ' +
      results
        .map((r) => `${int(r.size)} items: ${describeCorpus(r.corpus)}`)
        .join(' ') +
      ` ${describeSources(files)}`,
  );

  out.push('### Ingest through POST /v1/items/batch');
  out.push(
    table(
      [
        'items',
        'batch',
        'in flight',
        'wall',
        'items/s wall',
        'CPU cores',
        'target',
      ],
      results.flatMap((r) =>
        r.ingests.map((ingest) => {
          const rate = ingest.items / ingest.time.wall;
          return [
            int(r.size),
            int(ingest.batch),
            String(ingest.inFlight),
            `${fixed(ingest.time.wall, 1)} s`,
            int(rate),
            fixed(ingest.time.cpu / ingest.time.wall, 2),
            `\u2265 ${int(INGEST_TARGET.value)}/s: ${verdict(rate, INGEST_TARGET)}`,
          ];
        }),
      ),
    ),
  );
  out.push(
    'Batch requests from the benchmark process into an empty corpus, ' +
      'one at a time (each sent when the last is answered) or two at a ' +
      'time; each item is embedded, stored in SQLite, compared with the ' +
      'corpus (INGEST_NEIGHBOURS neighbours returned) and added to the ' +
      'index. The index works in a thread of its own beside the ' +
      'request thread, so two requests in flight keep both busy. CPU ' +
      'cores is the CPU time of the whole process (server, its index ' +
      'thread and the small client) over wall time.',
  );

  out.push('### POST /v1/search under autocannon');
  out.push(
    table(
      [
        'items',
        'connections',
        'requests/s',
        'p50 ms',
        'p99 ms',
        'max ms',
        'errors',
        `p99 \u2264 ${SEARCH_P99_TARGET.value} ms`,
      ],
      results.flatMap((r) =>
        r.searches.map(({ connections, load }) => [
          int(r.size),
          String(connections),
          int(load.rate),
          ms(load.latency.p50),
          ms(load.latency.p99),
          ms(load.latency.max),
          `${int(errorsOf(load))} of ${int(load.responses)}`,
          r === largest && connections === 1
            ? verdict(load.latency.p99, SEARCH_P99_TARGET)
            : '',
        ]),
      ),
    ),
  );
  out.push(
    `${fixed(options.searchSeconds, 0)} s per row; k 10; each request ` +
      'searches one of 1,000 real texts kept out of the corpus, in turn. ' +
      'Latency is measured by the client, request sent to response read. ' +
      'Errors count connection errors and non-2xx answers. The target ' +
      'is for one request at a time at the largest size; with 8 ' +
      'connections requests wait their turn on the request thread ' +
      '(embedding) and the index thread (search).',
  );

  const startups = results.flatMap((r) =>
    r.startups.map((s) => ({ size: r.size, s })),
  );
  if (startups.length) {
    out.push('### Start-up of `serve` with a saved index');
    out.push(
      table(
        ['items', 'run', 'listening', 'ready (/readyz 200)', 'target'],
        startups.map(({ size, s }, i) => [
          int(size),
          String(i + 1),
          `${fixed(s.listening, 2)} s`,
          `${fixed(s.ready, 2)} s`,
          `\u2264 ${STARTUP_TARGET.value} s: ${verdict(s.ready, STARTUP_TARGET)}`,
        ]),
      ),
    );
    out.push(
      '`node dist/cli/main.js serve` spawned on the DATA_DIR the ' +
        'ingest left (the index saved at shutdown), timed from spawn to ' +
        `the first answer of GET /readyz and to its first 200, probing ` +
        'every 20 ms: Node start, model load, saved index load and its ' +
        'reconciliation with SQLite. Stopped with SIGTERM after each run.',
    );
  }
  return out.join('\n\n');
}

/** The http part of `npm run bench`. */
export const httpPart: BenchPart = {
  name: 'http',
  title: 'HTTP API: ingest, search latency and start-up',
  async run(log, options) {
    const results: SizeResult[] = [];
    const sizes = options.httpSizes;
    for (const [i, size] of sizes.entries()) {
      const last = i === sizes.length - 1;
      results.push(await measureSize(size, options, last, log));
    }
    const real = await realTexts();
    return {
      body: render(results, options, real.files),
      backends: [tf.getBackend()],
    };
  },
};
