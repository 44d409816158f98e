/**
 * Renders the index benchmark as Markdown: one table of builds, one of
 * searches by ef, and the recall target stated for the configured ef.
 */
import {
  EF_GROWTH_FROM,
  EF_GROWTH_POWER,
  type IndexTuning,
} from '../index/index-options.js';
import type { BenchOptions } from './bench-options.js';
import type { LatencySummary } from './latency.js';
import {
  fixed,
  int,
  mib,
  ms,
  table,
  verdict,
  type Target,
} from './report-format.js';
import type { Seconds } from './timing.js';

/** Recall@10 the configured ef must reach. */
export const RECALL_TARGET: Target = { value: 0.98, kind: 'min' };

/** Searches at one ef. */
export interface EfResult {
  ef: number;
  /** True for HNSW_EF as the service widens it for the size. */
  configured: boolean;
  /** Mean recall@10 over the queries. */
  recall: number;
  /** Per-query latency of VectorIndex.search, ms. */
  latency: LatencySummary;
  /** Seconds VectorIndex.load took to read and check the saved graph. */
  loadSeconds: number;
}

/** Everything measured at one size. */
export interface SizeResult {
  /** Vectors asked for. */
  size: number;
  /** Vectors added before the build's time bound (= size if complete). */
  built: number;
  dim: number;
  kind: 'real' | 'random';
  /** Where the vectors came from, one or two sentences. */
  origin: string;
  build: Seconds;
  /** Resident memory the build added, bytes. */
  rssGrowth: number;
  /** Size of the saved graph file, bytes. */
  fileBytes: number;
  /** Wall seconds exact search of all queries took. */
  exactSeconds: number;
  searches: EfResult[];
}

/** Inputs of {@link renderIndexReport}. */
export interface IndexReportInput {
  results: SizeResult[];
  tuning: Required<Pick<IndexTuning, 'm' | 'efConstruction' | 'ef'>>;
  options: BenchOptions;
  /** Model folder of the real embeddings, when any were made. */
  modelDir?: string;
}

function buildRow(r: SizeResult): string[] {
  const complete = r.built === r.size;
  return [
    `${int(r.size)} ${r.kind}`,
    complete ? int(r.built) : `**${int(r.built)} (stopped at the bound)**`,
    `${fixed(r.build.wall, 1)} s wall, ${fixed(r.build.cpu, 1)} s CPU`,
    `${int(r.built / r.build.wall)} / s wall, ` +
      `${int(r.built / r.build.cpu)} / s CPU`,
    mib(r.fileBytes),
    mib(r.rssGrowth),
    `${fixed(r.searches[0]?.loadSeconds ?? NaN, 2)} s`,
  ];
}

function efCell(s: EfResult, configured: number): string {
  if (!s.configured) return String(s.ef);
  return s.ef === configured
    ? `**${s.ef}** (HNSW_EF)`
    : `**${s.ef}** (HNSW_EF ${configured}, widened)`;
}

function searchRows(r: SizeResult, configured: number): string[][] {
  return r.searches.map((s) => [
    `${int(r.built)} ${r.kind}`,
    efCell(s, configured),
    fixed(s.recall, 4),
    ms(s.latency.p50),
    ms(s.latency.p99),
    ms(s.latency.max),
    s.configured ? verdict(s.recall, RECALL_TARGET) : '',
  ]);
}

/** The index section's body. */
export function renderIndexReport(input: IndexReportInput): string {
  const { results, tuning, options } = input;
  const queries = results[0]?.searches[0]?.latency.count ?? 0;
  const out: string[] = [];

  out.push(
    `Settings: M ${tuning.m}, efConstruction ${tuning.efConstruction}, ` +
      `HNSW_EF ${tuning.ef} (the configured defaults); k ${10}; ` +
      `${int(queries)} queries per size, each timed alone after ` +
      'a warm-up, through `VectorIndex.search` in this thread (the ' +
      'class the service\u2019s index thread runs, squared-Euclidean ' +
      'HNSW of hnswlib-node; the HTTP part includes the hop to that ' +
      'thread); one build ' +
      `bounded to ${int(options.buildSeconds)} s of wall time.` +
      (options.quick ? ' **`--quick` run: small sizes, not a result.**' : ''),
  );
  out.push('Vectors:');
  out.push(
    results.map((r) => `- ${int(r.size)}, ${r.dim}-d: ${r.origin}`).join('\n'),
  );
  if (input.modelDir) out.push(`Model: \`${input.modelDir}\`.`);

  out.push('### Build');
  out.push(
    table(
      [
        'vectors',
        'added',
        'build time',
        'throughput',
        'graph file',
        'resident memory added',
        'load from disk',
      ],
      results.map(buildRow),
    ),
  );
  out.push(
    'The build adds vectors one chunk of 1,000 at a time on one thread, ' +
      'as a rebuild does. Throughput per CPU second is what one free ' +
      'core gives; per wall second, what the run got on a shared machine. ' +
      'The graph file is about what the graph holds in memory; resident ' +
      'memory added is the process\u2019s growth during the build (the ' +
      'vectors themselves were already in memory, as a JavaScript copy). ' +
      'Load is `VectorIndex.load`: read, checksum and label check.',
  );
  const stopped = results.filter((r) => r.built < r.size);
  for (const r of stopped) {
    const rate = r.built / r.build.wall;
    out.push(
      `The ${int(r.size)} build stopped at the bound after ` +
        `${int(r.built)} vectors; at its rate (which falls as the graph ` +
        `grows) the rest would need at least ` +
        `${int((r.size - r.built) / rate)} s more. Searches ran on what ` +
        'was built, against exact search over the same vectors.',
    );
  }

  out.push('### Search: recall@10 and latency by ef');
  out.push(
    table(
      [
        'vectors',
        'ef',
        'recall@10',
        'p50 ms',
        'p99 ms',
        'max ms',
        `target recall \u2265 ${RECALL_TARGET.value}`,
      ],
      results.flatMap((r) => searchRows(r, tuning.ef)),
    ),
  );
  out.push(
    'Recall@10 is the share of the exact 10 nearest (brute force, ' +
      `${results.map((r) => `${fixed(r.exactSeconds, 0)} s`).join(', ')} ` +
      'for all queries) that the index returned, averaged over the ' +
      'queries; a returned entry no farther than the 10th exact one ' +
      'counts, so equally near entries stand for each other. Latency ' +
      'is one query on one thread, nothing else running in the ' +
      'process. Bold: the beam the service uses at ' +
      `that size, HNSW_EF up to ${int(EF_GROWTH_FROM)} entries and ` +
      `HNSW_EF \u00d7 (entries / ${int(EF_GROWTH_FROM)})^` +
      `${EF_GROWTH_POWER} past that, rounded up.`,
  );

  if (results.some((r) => r.kind === 'random')) {
    out.push(
      'Random unit vectors spread evenly over all 64 dimensions, with no ' +
        'clusters; HNSW needs a wider beam on them than on sentence ' +
        'embeddings, which lie near a much lower-dimensional surface. ' +
        'Their recall at a given ef is a lower bound for a real corpus ' +
        'of the same size, and their build time an upper bound.',
    );
  }

  const verdicts = results.map((r) => {
    const at = r.searches.find((s) => s.configured);
    return at
      ? `${int(r.built)} ${r.kind}: ${fixed(at.recall, 4)} at ef ` +
          `${at.ef}, ${verdict(at.recall, RECALL_TARGET)}`
      : '';
  });
  out.push(
    `**Target recall@10 \u2265 ${RECALL_TARGET.value} at HNSW_EF ` +
      `${tuning.ef} as the service widens it:** ` +
      `${verdicts.filter(Boolean).join('; ')}.`,
  );
  return out.join('\n\n');
}
