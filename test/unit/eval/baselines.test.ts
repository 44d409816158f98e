import { describe, expect, it } from 'vitest';

import {
  averagedVectorScores,
  averageVector,
  IdfTable,
  jaccardScores,
  jaccardSimilarity,
  tfidfScores,
  type WordLookup,
} from '../../../src/eval/baselines.js';

/** A tiny word-vector table with the shape of the service's one. */
class TinyVectors implements WordLookup {
  readonly dim = 2;
  private readonly table = new Map<string, Float32Array>([
    ['cat', Float32Array.from([1, 0])],
    ['dog', Float32Array.from([0, 1])],
    ['pet', Float32Array.from([1, 1])],
  ]);

  lookup(token: string): Float32Array | undefined {
    return this.table.get(token);
  }
}

describe('jaccardSimilarity', () => {
  it('divides shared tokens by all distinct tokens', () => {
    // {the, cat, sat} vs {the, cat, ran}: 2 shared of 4.
    expect(jaccardSimilarity('The cat sat', 'the cat ran')).toBe(0.5);
    // Repeats do not count twice; punctuation is a token.
    expect(jaccardSimilarity('cat cat cat', 'cat ?')).toBe(0.5);
    expect(jaccardSimilarity("don't", 'do not')).toBe(1 / 3);
  });

  it('scores identical texts 1 and texts without tokens 0', () => {
    expect(jaccardSimilarity('How are you?', 'how are you ?')).toBe(1);
    expect(jaccardSimilarity('', '   ')).toBe(0);
  });

  it('reads every token unless told to stop early', () => {
    const a = `${'w '.repeat(60)}x`;
    const b = `${'w '.repeat(60)}y`;
    expect(jaccardSimilarity(a, b)).toBeCloseTo(1 / 3, 12);
    expect(jaccardSimilarity(a, b, { maxTokens: 48 })).toBe(1);
    expect(jaccardScores([{ a, b }])).toEqual([jaccardSimilarity(a, b)]);
  });
});

describe('tfidfScores', () => {
  it('matches a hand computation with smooth idf', () => {
    // Texts "a b" and "a c": n = 2; df(a) = 2, df(b) = df(c) = 1.
    // idf(a) = ln(3/3) + 1 = 1, idf(b) = idf(c) = ln(3/2) + 1 = w.
    // cos((1, w, 0), (1, 0, w)) = 1 / (1 + w^2).
    const w = Math.log(1.5) + 1;
    expect(tfidfScores([{ a: 'a b', b: 'a c' }])[0]).toBeCloseTo(
      1 / (1 + w * w),
      12,
    );
  });

  it('counts repeated tokens and repeated texts the sklearn way', () => {
    // The same pair twice fits the same idf as once: texts count once.
    const once = tfidfScores([{ a: 'a a b', b: 'a c' }]);
    const twice = tfidfScores([
      { a: 'a a b', b: 'a c' },
      { a: 'a a b', b: 'a c' },
    ]);
    expect(twice).toEqual([once[0], once[0]]);

    // tf(a) = 2 in the first text: cos((2, w, 0), (1, 0, w)).
    const w = Math.log(1.5) + 1;
    const expected = 2 / (Math.sqrt(4 + w * w) * Math.sqrt(1 + w * w));
    expect(once[0]).toBeCloseTo(expected, 12);
  });

  it('scores 1 for the same words, 0 for none shared, and clamps', () => {
    const scores = tfidfScores([
      { a: 'Is tea healthy ?', b: 'is tea healthy?' },
      { a: 'red car', b: 'blue boat' },
      { a: '', b: 'anything' },
    ]);
    expect(scores).toEqual([1, 0, 0]);
  });

  it('uses a given idf table, where unseen tokens get the top idf', () => {
    const idf = IdfTable.fit(['a b', 'a c', 'a d']);
    expect(idf.weight('a')).toBeCloseTo(1, 12);
    expect(idf.weight('b')).toBeCloseTo(Math.log(4 / 2) + 1, 12);
    expect(idf.weight('zzz')).toBeCloseTo(Math.log(4) + 1, 12);
    const score = tfidfScores([{ a: 'a b', b: 'a zzz' }], { idf })[0] ?? 0;
    expect(score).toBeGreaterThan(0);
    expect(score).toBeLessThan(1);
  });
});

describe('averaged word vectors', () => {
  const vectors = new TinyVectors();

  it('averages the known words and skips unknown ones', () => {
    expect(Array.from(averageVector('Cat, pet!', vectors) ?? [])).toEqual([
      1, 0.5,
    ]);
    expect(averageVector('unknown words', vectors)).toBeUndefined();
  });

  it('scores the cosine of the averages', () => {
    const [mixed, same, unknown] = averagedVectorScores(
      [
        { a: 'cat pet', b: 'dog' },
        { a: 'cat', b: 'the cat' },
        { a: 'cat', b: 'zebra' },
      ],
      vectors,
    );
    // (1, 0.5) . (0, 1) / (|(1, 0.5)| * 1)
    expect(mixed).toBeCloseTo(0.5 / Math.sqrt(1.25), 12);
    expect(same).toBe(1);
    expect(unknown).toBe(0);
  });
});
