import { describe, expect, it } from 'vitest';

import { corpusOf } from '../../../src/bench/bench-corpus.js';
import { exactNearest, recallOf } from '../../../src/bench/exact-search.js';
import { tokenize } from '../../../src/text/tokenize.js';

const REAL = [
  'How do I learn to cook rice well?',
  'What is the best way to learn French quickly?',
  'Why is the sky blue during the day?',
  'How can I get better at chess openings?',
  'how do I learn to cook rice well ?',
];

describe('corpusOf', () => {
  it('fills up with variants, no two texts with the same tokens', () => {
    const corpus = corpusOf(REAL, 40);
    const keys = corpus.texts.map((t) => tokenize(t).join(' '));

    expect(corpus.texts).toHaveLength(40);
    expect(new Set(keys).size).toBe(40);
    // The last real text has the tokens of the first, so it is left out.
    expect(corpus.real).toBe(4);
    expect(corpus.texts.slice(0, 4)).toEqual(REAL.slice(0, 4));
    expect(corpus.variants).toBe(36);
  });

  it('is the same on every call', () => {
    expect(corpusOf(REAL, 30).texts).toEqual(corpusOf(REAL, 30).texts);
  });

  it('says so when the texts cannot give that many distinct ones', () => {
    // Two-word texts have one variant each: their words swapped.
    expect(() => corpusOf(['red apple', 'green pear'], 10)).toThrow(
      /give only 4 distinct texts .* 10 were asked for/,
    );
  });
});

describe('recallOf', () => {
  const rows = {
    dim: 1,
    count: 5,
    values: Float32Array.of(0, 1, 1, 3, 4),
  };

  it('counts what exact search finds', () => {
    const exact = exactNearest(rows, Float32Array.of(0.1), 2);
    expect(exact.map((h) => h.row)).toEqual([0, 1]);
    expect(exact[1]?.d).toBeCloseTo(0.81, 6);
    expect(recallOf(exact, exact)).toBe(1);
  });

  it('lets an equally near row stand for another', () => {
    const exact = exactNearest(rows, Float32Array.of(0.1), 2);
    const tie = { row: 2, d: 0.81 };
    expect(recallOf([{ row: 0, d: 0.01 }, tie], exact)).toBe(1);
  });

  it('counts farther rows as misses', () => {
    const exact = exactNearest(rows, Float32Array.of(0.1), 2);
    expect(
      recallOf(
        [
          { row: 0, d: 0.01 },
          { row: 3, d: 8.41 },
        ],
        exact,
      ),
    ).toBe(0.5);
    expect(recallOf([], exact)).toBe(0);
    expect(recallOf([], [])).toBe(1);
  });
});
