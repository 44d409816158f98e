/**
 * Every benchmark part `npm run bench` knows, in run order. To add one,
 * write a {@link BenchPart} in its own file and list it here.
 */
import type { BenchPart } from './bench-part.js';
import { encoderPart } from './encoder-bench.js';
import { httpPart } from './http-bench.js';
import { indexPart } from './index-bench.js';
import { loadPart } from './load-bench.js';
import { retrainPart } from './retrain-bench.js';

/** Registered parts; `--part <name>` picks among them. */
export const BENCH_PARTS: BenchPart[] = [
  encoderPart,
  indexPart,
  httpPart,
  loadPart,
  retrainPart,
];
