/**
 * Texts the benchmarks store and search: real questions and sentences
 * from the public pair sets in ../shared/data, and, when a corpus needs
 * more texts than those hold, variants of real texts. Everything is
 * drawn with a fixed seed, so every run uses the same texts.
 */
import fs from 'node:fs';
import path from 'node:path';

import { sharedDataDir } from '../config/paths.js';
import { readPairs } from '../data/read-pairs.js';
import { mulberry32, shuffleInPlace } from '../data/seeded-random.js';
import { characterProblem } from '../text/text-characters.js';
import { tokenize } from '../text/tokenize.js';

/** Pair files whose texts make up the corpus, relative to shared/data. */
export const TEXT_FILES = [
  'quora/dev.tsv',
  'quora/test-a.tsv',
  'paws/dev.tsv',
  'paws/test-a.tsv',
  'mrpc/train.tsv',
  'mrpc/test.tsv',
  'stsb/train.tsv',
  'stsb/dev.tsv',
  'stsb/test.tsv',
  'sick/train.tsv',
  'sick/trial.tsv',
];

/** Real texts, split into search queries and texts to store. */
export interface RealTexts {
  /** Texts kept out of every corpus, to search with. */
  queries: string[];
  /** The other distinct texts, shuffled. */
  stored: string[];
  /** Files read, relative to shared/data. */
  files: string[];
}

/** A corpus of `n` texts and how it was made. */
export interface Corpus {
  texts: string[];
  /** Distinct real texts among them. */
  real: number;
  /** Variants of real texts (see {@link variantOf}). */
  variants: number;
}

let cached: Promise<RealTexts> | undefined;

/**
 * Distinct real texts of {@link TEXT_FILES} present on this machine;
 * the first `queries` (after a seeded shuffle) are set aside. Read once
 * per process.
 */
export function realTexts(queries = 1000): Promise<RealTexts> {
  cached ??= readRealTexts(queries);
  return cached;
}

async function readRealTexts(queries: number): Promise<RealTexts> {
  const files = TEXT_FILES.filter((f) =>
    fs.existsSync(path.join(sharedDataDir, f)),
  );
  const seen = new Set<string>();
  for (const file of files) {
    const read = await readPairs(path.join(sharedDataDir, file));
    for (const pair of read.pairs) {
      seen.add(pair.a.trim());
      seen.add(pair.b.trim());
    }
  }
  seen.delete('');
  // The API refuses texts with control characters (a stray one sits in
  // STS-B and in MRPC); the corpus holds only texts it would store.
  for (const text of seen) {
    if (characterProblem(text) !== undefined) seen.delete(text);
  }
  if (seen.size < queries * 2) {
    throw new Error(
      `found ${seen.size} texts in ${sharedDataDir}; the benchmarks need ` +
        `at least ${queries * 2} (are the shared data sets there?)`,
    );
  }

  const all = shuffleInPlace([...seen].sort(), mulberry32(20_240_601));
  return { queries: all.slice(0, queries), stored: all.slice(queries), files };
}

/**
 * A variant of `text`: one word (not the first) dropped and two
 * neighbouring words swapped, both at places `random` picks. Texts of
 * fewer than four words get only the swap. Close to the original, as a
 * rephrased or mistyped duplicate would be, but not the same string.
 */
export function variantOf(text: string, random: () => number): string {
  const words = text.split(/\s+/);
  if (words.length >= 4) {
    words.splice(1 + Math.floor(random() * (words.length - 1)), 1);
  }
  if (words.length >= 2) {
    const i = Math.floor(random() * (words.length - 1));
    const a = words[i] as string;
    words[i] = words[i + 1] as string;
    words[i + 1] = a;
  }
  return words.join(' ');
}

/** Tries per real text at a variant not yet in the corpus. */
const VARIANT_TRIES = 4;

/**
 * `n` texts: distinct real texts first, then as many variants of them
 * as are missing, cycling through the real texts. No two texts have the
 * same tokens, so no two get the same vector; a real text that has run
 * out of new variants is skipped.
 */
export function corpusOf(real: readonly string[], n: number): Corpus {
  const seen = new Set<string>();
  const fresh = (text: string) => {
    const key = tokenize(text).join(' ');
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  };
  const taken = real.slice(0, n).filter(fresh);
  const random = mulberry32(7);
  const texts = [...taken];
  let lastGain = 0;
  for (let i = 0; texts.length < n; i++) {
    if (i - lastGain > taken.length) {
      const count = (x: number) => x.toLocaleString('en-US');
      throw new Error(
        `${count(taken.length)} real texts give only ` +
          `${count(texts.length)} distinct texts with their variants; ` +
          `${count(n)} were asked for`,
      );
    }
    const source = taken[i % taken.length] as string;
    for (let t = 0; t < VARIANT_TRIES; t++) {
      const variant = variantOf(source, random);
      if (fresh(variant)) {
        texts.push(variant);
        lastGain = i;
        break;
      }
    }
  }
  return { texts, real: taken.length, variants: n - taken.length };
}

/** One sentence of how `corpus` was made, for a report. */
export function describeCorpus(corpus: Corpus): string {
  const real = `${corpus.real.toLocaleString('en-US')} distinct real texts`;
  if (corpus.variants === 0) return `${real}.`;
  return (
    `${real} plus ${corpus.variants.toLocaleString('en-US')} ` +
    `${corpus.variants === 1 ? 'variant' : 'variants'} of them ` +
    '(one word dropped and two neighbouring words swapped; no ' +
    'two texts with the same tokens), since the data sets hold no more ' +
    'distinct texts.'
  );
}

/** Where the real texts come from, one sentence for a report. */
export function describeSources(files: readonly string[]): string {
  return (
    'Real texts are the distinct questions and sentences of ' +
    `${files.map((f) => `\`${f}\``).join(', ')} in ../shared/data.`
  );
}

/** A labelled pair of real texts. */
export interface LabelledText {
  a: string;
  b: string;
  label: 0 | 1;
}

/** The first `n` labelled pairs of quora/dev.tsv after a seeded shuffle. */
export async function quoraLabels(n: number): Promise<LabelledText[]> {
  const file = await readPairs(path.join(sharedDataDir, 'quora', 'dev.tsv'));
  const pairs = file.pairs
    .filter((p) => p.label !== undefined)
    .map((p) => ({ a: p.a, b: p.b, label: p.label as 0 | 1 }));
  return shuffleInPlace(pairs, mulberry32(11)).slice(0, n);
}
