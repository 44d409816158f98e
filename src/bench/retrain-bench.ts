/**
 * The `retrain` benchmark part: how long new labels take to reach the
 * lookups. The real app serves a corpus; --retrain-labels labelled
 * pairs of real questions arrive through POST /v1/pairs/batch, which
 * (RETRAIN_AFTER_LABELS) starts a retrain in the embedded worker thread
 * of training control (no Redis); the part waits until the service
 * serves the new model version. Lookups run throughout at a steady
 * rate, and their latency is reported.
 */
import fs from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

import * as tf from '@tensorflow/tfjs';

import type { JobView } from '../queue/job-view.js';
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
  postJson,
  startBenchServer,
  tempDataDir,
} from './bench-server.js';
import { searchBodies } from './http-bench.js';
import type { LoadResult } from './load-protocol.js';
import { startLoad } from './load-runner.js';
import {
  fixed,
  int,
  ms,
  table,
  verdict,
  type Target,
} from './report-format.js';

/** Labels to serving the new model: at most 2 minutes. */
export const RETRAIN_TARGET: Target = { value: 120, kind: 'max' };

/** Lookups per second during the retrain, over two connections. */
const LOOKUP_RATE = 20;

/** Settings the retrain part adds over the benchmark server's. */
function retrainSettings(labels: number): Record<string, string> {
  return {
    RETRAIN_AFTER_LABELS: String(labels),
    TRAINING_POLL_SECONDS: '1',
    // Promote whatever the scores: this part times the path, not quality.
    PROMOTE_TOLERANCE: '1',
    EMBEDDED_WORKER: 'true',
  };
}

/** Seconds between two ISO times; NaN when either is missing. */
function between(from: string | null, to: string | null): number {
  if (!from || !to) return NaN;
  return (Date.parse(to) - Date.parse(from)) / 1000;
}

/** The retrain part of `npm run bench`. */
export const retrainPart: BenchPart = {
  name: 'retrain',
  title: 'Retraining: new labels to the new model serving',
  async run(log, options) {
    const real = await realTexts();
    const corpus = corpusOf(real.stored, options.retrainItems);
    const labels = await quoraLabels(options.retrainLabels);
    const settings = retrainSettings(labels.length);
    const dataDir = tempDataDir('retrain');
    const server = await startBenchServer({
      modelDir: options.modelDir,
      dataDir,
      env: settings,
      training: true,
    });

    try {
      log(`retrain: ingesting ${corpus.texts.length} items`);
      await ingestOverHttp(server, corpus.texts, log);
      const before = server.service.status().modelVersion;

      const lookups = startLoad({
        url: server.url,
        connections: 2,
        rate: LOOKUP_RATE,
        seconds: options.retrainSeconds + 60,
        kinds: [
          {
            name: 'search',
            path: '/v1/search',
            bodies: searchBodies(real.queries),
            share: 1,
          },
        ],
      });
      await lookups.started;

      log(`retrain: posting ${labels.length} labels`);
      const started = performance.now();
      const labelledAt = new Date().toISOString();
      const batch = server.config.MAX_BATCH_ITEMS;
      for (let i = 0; i < labels.length; i += batch) {
        await postJson(`${server.url}/v1/pairs/batch`, {
          who: 'bench',
          pairs: labels.slice(i, i + batch),
        });
      }

      const seconds = () => (performance.now() - started) / 1000;
      let after = before;
      while (after === before && seconds() < options.retrainSeconds) {
        await sleep(100);
        after = server.service.status().modelVersion;
      }
      const total = seconds();
      lookups.stop();
      const load = await lookups.done;
      const swapped = after !== before;
      log(`retrain: ${swapped ? 'serving' : 'no'} new model after ${total} s`);

      const job = server.training?.listJobs()[0];
      return {
        body: render({
          options,
          corpusLine: `${describeCorpus(corpus)} ${describeSources(real.files)}`,
          settings,
          labels: labels.length,
          total,
          swapped,
          before,
          after,
          job,
          labelledAt,
          load,
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
  settings: Record<string, string>;
  labels: number;
  total: number;
  swapped: boolean;
  before: string | null;
  after: string | null;
  job: JobView | undefined;
  labelledAt: string;
  load: LoadResult;
}): string {
  const { options, job, load } = input;
  const out: string[] = [];
  out.push(
    'The real service in the benchmark process with training control ' +
      '(`startTraining`) and its embedded worker thread, no Redis; ' +
      `settings ${describeSettings(input.settings)}; model ` +
      `\`${options.modelDir}\` to start from. Corpus: ` +
      `${int(options.retrainItems)} items, ${input.corpusLine} Labels: ` +
      `${int(input.labels)} pairs of \`quora/dev.tsv\` (seeded shuffle) ` +
      'posted as texts through POST /v1/pairs/batch; reaching ' +
      'RETRAIN_AFTER_LABELS, they queue a retrain at the next poll ' +
      '(TRAINING_POLL_SECONDS). The job fine-tunes the model ' +
      '(RETRAIN_EPOCHS, default 3), scores it on the held-out labels and ' +
      'the reference pairs, embeds the corpus and saves an index; the ' +
      'serving process then loads both and swaps. PROMOTE_TOLERANCE=1 ' +
      'promotes the candidate whatever its scores, since this part times ' +
      'the path, not the model.' +
      (options.quick ? ' **`--quick` run: small sizes, not a result.**' : ''),
  );

  const rows: string[][] = [
    [
      'labels posted to new model serving',
      input.swapped
        ? `${fixed(input.total, 1)} s`
        : `**not serving after ${fixed(input.total, 0)} s (the bound)**`,
      `\u2264 ${RETRAIN_TARGET.value} s: ` +
        (input.swapped ? verdict(input.total, RETRAIN_TARGET) : '**not met**'),
    ],
  ];
  if (job) {
    rows.push(
      [
        'labels posted to job created (poll)',
        `${fixed(between(input.labelledAt, job.created_at), 1)} s`,
        '',
      ],
      [
        'job waiting',
        `${fixed(between(job.created_at, job.started_at), 1)} s`,
        '',
      ],
      [
        'job running (train, score, embed, index)',
        `${fixed(between(job.started_at, job.finished_at), 1)} s`,
        '',
      ],
      [
        'job finished to serving (load, catch up, swap)',
        input.swapped && job.finished_at
          ? `${fixed(
              input.total - between(input.labelledAt, job.finished_at),
              1,
            )} s`
          : '-',
        '',
      ],
      ['job state / decision', `${job.state} / ${job.decision ?? '-'}`, ''],
    );
  }
  rows.push(
    ['model before / after', `${input.before} / ${input.after}`, ''],
    [
      `lookups meanwhile (${LOOKUP_RATE}/s), p50 / p99 / max`,
      `${ms(load.latency.p50)} / ${ms(load.latency.p99)} / ` +
        `${ms(load.latency.max)} ms`,
      '',
    ],
    [
      'lookups, errors',
      `${int(load.errors + load.non2xx)} of ${int(load.responses)}`,
      '',
    ],
  );
  out.push(table(['measure', 'value', 'target'], rows));
  out.push(
    'Job times come from the job record (millisecond timestamps in ' +
      'SQLite); the total is measured by the benchmark from the first ' +
      'label request to the first moment the service reports the new ' +
      'version. Lookups are POST /v1/search from autocannon in a child ' +
      `process at a fixed ${LOOKUP_RATE} requests/s, from just before the ` +
      'labels until the swap; they share the two cores with the ' +
      'training thread.',
  );
  return out.join('\n\n');
}
