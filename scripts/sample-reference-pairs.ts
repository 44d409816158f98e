/**
 * Writes examples/reference-pairs.tsv: 1,000 pairs drawn with a fixed
 * seed from ../shared/data/quora/test-a.tsv (Quora Question Pairs, test
 * half of Wang, Hamza and Florian's split; Quora's terms, non-commercial
 * use). Every retrain judges its candidate and the serving model on
 * these pairs. No model shipped with the service trains on test-a.
 *
 * Run again to reproduce the file byte for byte:
 *   npx tsx scripts/sample-reference-pairs.ts
 */
import path from 'node:path';

import { projectRoot, sharedDataDir } from '../src/config/paths.js';
import { readPairs } from '../src/data/read-pairs.js';
import { mulberry32, shuffleInPlace } from '../src/data/seeded-random.js';
import { writePairFile } from '../src/data/write-pairs.js';

/** Pairs in the reference file. */
const COUNT = 1000;

/** Seed of the draw; changing it changes every promotion decision. */
const SEED = 20_240_601;

const source = path.join(sharedDataDir, 'quora', 'test-a.tsv');
const target = path.join(projectRoot, 'examples', 'reference-pairs.tsv');

const file = await readPairs(source);
if (file.kind !== 'binary') {
  throw new Error(`${source}: expected 0/1 labels, found ${file.kind}`);
}

// Keep the file's own order inside the sample so diffs stay readable.
const drawn = shuffleInPlace([...file.pairs.keys()], mulberry32(SEED))
  .slice(0, COUNT)
  .sort((x, y) => x - y)
  .map((i) => file.pairs[i])
  .filter((pair) => pair !== undefined);

await writePairFile(target, { kind: 'binary', file: target, pairs: drawn });
const positives = drawn.filter((pair) => pair.label === 1).length;
console.log(
  `wrote ${drawn.length} pairs (${positives} duplicates) to ${target}`,
);
