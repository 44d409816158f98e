/**
 * Every benchmark part `npm run bench` knows, in run order. To add one,
 * write a {@link BenchPart} in its own file and list it here.
 */
import type { BenchPart } from './bench-part.js';
import { encoderPart } from './encoder-bench.js';

/** Registered parts; `--only <name>` picks among them. */
export const BENCH_PARTS: BenchPart[] = [encoderPart];
