/**
 * The contract of a benchmark part. Each part measures one thing (the
 * encoder, the index, the HTTP API...) and owns one section of
 * BENCHMARKS.md; `npm run bench -- --part <name>` runs a single part.
 * Add a part by listing it in parts.ts.
 */
import type { BenchOptions } from './bench-options.js';

/** What a part hands back for its section of BENCHMARKS.md. */
export interface PartResult {
  /** Markdown of the results; placed under the part's heading. */
  body: string;
  /** tfjs backends the part measured on, e.g. `['wasm', 'cpu']`. */
  backends: string[];
}

/** One benchmark part. */
export interface BenchPart {
  /** Name used by `--part` and as the BENCHMARKS.md section name. */
  name: string;
  /** Heading of the section. */
  title: string;
  /**
   * Runs the measurements; `log` prints progress to stderr, `options`
   * holds the sizes and durations the command line chose.
   */
  run(log: (line: string) => void, options: BenchOptions): Promise<PartResult>;
}
