/**
 * Writes examples/quora-questions.tsv, the seed corpus a new service
 * loads on first start: about 3,000 distinct questions (columns
 * `external_id text`) from ../shared/data/quora/test-a.tsv (Quora
 * Question Pairs, test half of Wang, Hamza and Florian's split; Quora's
 * terms, non-commercial use). Both questions of each drawn pair are
 * kept, so the corpus holds real duplicates. Pairs and questions of
 * examples/reference-pairs.tsv are left out, so labels gathered on the
 * corpus never leak into the pairs that judge retrained models.
 *
 * Run again to reproduce the file byte for byte:
 *   npx tsx scripts/make-example-corpus.ts
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';

import { projectRoot, sharedDataDir } from '../src/config/paths.js';
import { readPairs } from '../src/data/read-pairs.js';
import { mulberry32, shuffleInPlace } from '../src/data/seeded-random.js';

/** Questions in the corpus. */
const COUNT = 3000;

/** Seed of the draw. */
const SEED = 20_240_917;

const source = path.join(sharedDataDir, 'quora', 'test-a.tsv');
const reference = path.join(projectRoot, 'examples', 'reference-pairs.tsv');
const target = path.join(projectRoot, 'examples', 'quora-questions.tsv');

/** Texts are compared case- and spacing-blind. */
const key = (text: string) => text.toLowerCase().replace(/\s+/g, ' ').trim();

const file = await readPairs(source);
const held = await readPairs(reference);
const heldIds = new Set(held.pairs.map((pair) => pair.id));
const heldTexts = new Set(held.pairs.flatMap((p) => [key(p.a), key(p.b)]));

const order = shuffleInPlace([...file.pairs.keys()], mulberry32(SEED));
const seen = new Set<string>();
const rows: string[] = [];
let duplicates = 0;

for (const i of order) {
  const pair = file.pairs[i];
  if (!pair || heldIds.has(pair.id)) continue;
  const sides = [
    [`qqp-${pair.id}-a`, pair.a],
    [`qqp-${pair.id}-b`, pair.b],
  ] as const;
  const fresh = sides.filter(([, text]) => {
    const k = key(text);
    return !seen.has(k) && !heldTexts.has(k) && !/[\t\n\r]/.test(text);
  });
  if (fresh.length < 2 || rows.length + 2 > COUNT) continue;

  for (const [id, text] of fresh) {
    seen.add(key(text));
    rows.push(`${id}\t${text}`);
  }
  if (pair.label === 1) duplicates += 1;
  if (rows.length >= COUNT) break;
}

writeFileSync(target, `external_id\ttext\n${rows.join('\n')}\n`);
console.log(
  `wrote ${rows.length} questions (${duplicates} duplicate pairs) to ` +
    `${target}`,
);
