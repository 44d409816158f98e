/**
 * The contract of a benchmark part. Each part measures one thing (the
 * encoder, the index, the HTTP API...) and owns one section of
 * BENCHMARKS.md; `npm run bench -- --only <name>` runs a single part.
 * Add a part by listing it in parts.ts.
 */

/** What a part hands back for its section of BENCHMARKS.md. */
export interface PartResult {
  /** Markdown of the results; placed under the part's heading. */
  body: string;
  /** tfjs backends the part measured on, e.g. `['wasm', 'cpu']`. */
  backends: string[];
}

/** One benchmark part. */
export interface BenchPart {
  /** Name used by `--only` and as the BENCHMARKS.md section name. */
  name: string;
  /** Heading of the section. */
  title: string;
  /** Runs the measurements; `log` prints progress to stderr. */
  run(log: (line: string) => void): Promise<PartResult>;
}
