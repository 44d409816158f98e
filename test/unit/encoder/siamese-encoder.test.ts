// What the encoder promises any caller: energies that behave like a
// distance, embeddings that depend only on the sentence (not on its batch,
// its neighbours' lengths or the call), finite output for any text, and
// stable handling of long text and unknown words.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { pairEnergies } from '../../../src/encoder/trainer.js';
import type { SiameseEncoder } from '../../../src/encoder/siamese-encoder.js';
import { energy, type EncoderConfig } from '../../../src/encoder/types.js';
import { tokenize } from '../../../src/text/tokenize.js';
import { maxDiff, quoraSentences, tinyEncoder } from './helpers.js';

const TOLERANCE = 1e-5;

let sentences: string[];

beforeAll(async () => {
  sentences = await quoraSentences(400);
});

describe('energy', () => {
  let encoder: SiameseEncoder;

  beforeAll(async () => {
    encoder = await tinyEncoder({}, 3);
  });
  afterAll(() => encoder.dispose());

  it('is 0 for identical texts and positive for different ones', () => {
    const a = sentences.slice(0, 50);
    const same = pairEnergies(encoder, encoder.rows(a), encoder.rows(a));
    const other = pairEnergies(
      encoder,
      encoder.rows(a),
      encoder.rows(sentences.slice(50, 100)),
    );

    for (const e of same) expect(e).toBeLessThan(TOLERANCE);
    for (const e of other) expect(e).toBeGreaterThan(1e-3);
  });

  it('is symmetric', () => {
    const a = encoder.rows(sentences.slice(0, 60));
    const b = encoder.rows(sentences.slice(60, 120));
    const ab = pairEnergies(encoder, a, b);
    const ba = pairEnergies(encoder, b, a);
    expect(maxDiff(ab, ba)).toBeLessThan(TOLERANCE);
  });

  it('is the Euclidean distance between the two embeddings', async () => {
    const [a, b] = [sentences[3] as string, sentences[4] as string];
    const [va, vb] = await encoder.embed([a, b]);
    const [e] = pairEnergies(encoder, encoder.rows([a]), encoder.rows([b]));

    let sum = 0;
    for (let i = 0; i < encoder.dim; i++) {
      sum += ((va?.[i] ?? NaN) - (vb?.[i] ?? NaN)) ** 2;
    }
    expect(e).toBeCloseTo(Math.sqrt(sum), 5);
  });
});

describe('embeddings', () => {
  // Each pooling and each optional branch handles padding differently.
  const configs: [string, Partial<EncoderConfig>][] = [
    ['default (mean pooling, word skip, projection)', {}],
    ['bidirectional, max pooling', { bidirectional: true, pooling: 'max' }],
    ['last state, no projection', { pooling: 'last', projection: 0 }],
    ['lexical branch, normalised', { lexicalDim: 32, normalize: true }],
  ];

  it.each(configs)('do not depend on the batch: %s', async (_name, config) => {
    const encoder = await tinyEncoder(config, 5);
    const short = sentences.find((s) => tokenize(s).length <= 5) as string;
    const alone = await encoder.embed([short]);

    // The short sentence padded among longer ones, at both ends.
    const longer = sentences.filter((s) => tokenize(s).length >= 15);
    const mixed = [short, ...longer.slice(0, 9), short];
    const inBatch = await encoder.embed(mixed);

    // 400 sentences, more than one internal batch, in two orders.
    const forward = await encoder.embed(sentences);
    const reversed = await encoder.embed([...sentences].reverse());
    encoder.dispose();

    expect(alone[0]).toHaveLength(encoder.dim);
    expect(
      maxDiff(inBatch[0] as Float32Array, alone[0] as Float32Array),
    ).toBeLessThan(TOLERANCE);
    expect(
      maxDiff(inBatch[10] as Float32Array, alone[0] as Float32Array),
    ).toBeLessThan(TOLERANCE);
    forward.forEach((vector, i) => {
      const twin = reversed[sentences.length - 1 - i] as Float32Array;
      expect(maxDiff(vector, twin)).toBeLessThan(TOLERANCE);
    });
  });

  it('are deterministic: same seed, same text, same vector', async () => {
    const one = await tinyEncoder({}, 9);
    const two = await tinyEncoder({}, 9);
    const other = await tinyEncoder({}, 10);
    const texts = sentences.slice(0, 20);

    const first = await one.embed(texts);
    const again = await one.embed(texts);
    const twin = await two.embed(texts);
    const different = await other.embed(texts);
    [one, two, other].forEach((e) => e.dispose());

    first.forEach((vector, i) => {
      expect(again[i]).toEqual(vector);
      expect(twin[i]).toEqual(vector);
      expect(maxDiff(different[i] as Float32Array, vector)).toBeGreaterThan(
        1e-3,
      );
    });
  });

  it('are finite for unicode, emoji, control characters and empty text', async () => {
    const encoder = await tinyEncoder({ bidirectional: true, lexicalDim: 16 });
    const texts = [
      '',
      '   ',
      '\u0000\u0007\u001b[31m',
      '\t\n\r',
      '🙂',
      '👩‍👩‍👧‍👦 🏳️‍🌈 family ?',
      '\ud800 lone surrogate \udfff',
      'ℌ𝔢𝔩𝔩𝔬 ｗｏｒｌｄ',
      'مرحبا بالعالم',
      '你好，世界',
      'Ｃａｆé naïve coöperate',
      'e\u0301\u0301\u0301',
      '\u202eright to left override',
      '\u200b\u200c\u200d\ufeff',
      '🙂'.repeat(5000),
      '?!'.repeat(200),
    ];

    const vectors = await encoder.embed(texts);
    encoder.dispose();

    expect(vectors).toHaveLength(texts.length);
    vectors.forEach((vector, i) => {
      expect(vector, JSON.stringify(texts[i]).slice(0, 40)).toHaveLength(
        encoder.dim,
      );
      expect(vector.every(Number.isFinite), `text ${i}`).toBe(true);
    });
  });
});

describe('long text', () => {
  it('is truncated to maxLength tokens', async () => {
    const maxLength = 6;
    const encoder = await tinyEncoder({ maxLength, bidirectional: true });
    // Quora text comes pre-tokenised: single spaces between tokens.
    const plain = sentences.filter((s) => {
      const words = s.toLowerCase().split(' ');
      const tokens = tokenize(s, 100);
      return (
        words.length > maxLength + 3 && tokens.join(' ') === words.join(' ')
      );
    });
    expect(plain.length).toBeGreaterThan(10);

    for (const text of plain.slice(0, 10)) {
      const words = text.split(' ');
      const [full, cut, shorter] = await encoder.embed([
        text,
        words.slice(0, maxLength).join(' '),
        words.slice(0, maxLength - 1).join(' '),
      ]);
      expect(encoder.rows([text])[0]).toHaveLength(maxLength);
      expect(maxDiff(full as Float32Array, cut as Float32Array)).toBeLessThan(
        TOLERANCE,
      );
      // The last kept token still counts.
      expect(
        maxDiff(full as Float32Array, shorter as Float32Array),
      ).toBeGreaterThan(1e-4);
    }
    encoder.dispose();
  });

  it('of 100,000 characters embeds like its first tokens', async () => {
    const encoder = await tinyEncoder();
    const head = sentences[0] as string;
    const huge = `${head} ${'filler words '.repeat(8000)}`;
    expect(huge.length).toBeGreaterThan(100_000);

    const [a, b] = await encoder.embed([
      huge,
      `${head} ${'filler words '.repeat(30)}`,
    ]);
    encoder.dispose();
    expect(maxDiff(a as Float32Array, b as Float32Array)).toBeLessThan(
      TOLERANCE,
    );
  });
});

describe('unknown words', () => {
  /** FNV-1a, as documented for the buckets: stable across processes. */
  function fnv1a(word: string): number {
    let hash = 0x811c9dc5;
    for (let i = 0; i < word.length; i++) {
      hash ^= word.charCodeAt(i);
      hash = Math.imul(hash, 0x01000193);
    }
    return hash >>> 0;
  }

  it('map to stable hash buckets after the known words', async () => {
    const encoder = await tinyEncoder();
    const again = await tinyEncoder({}, 2);
    const known = encoder.rows(['the'])[0]?.[0] as number;
    const [zz, vv] = encoder.rows(['zzqxj', 'vvbnm']).map((r) => r[0]);
    const table = (zz as number) - (fnv1a('zzqxj') % 2048);

    // Bucket numbers must never change: saved models depend on them.
    expect(fnv1a('zzqxj') % 2048).toBe(130);
    expect(known).toBe(0);
    expect(table).toBeGreaterThan(300_000);
    expect(vv).toBe(table + (fnv1a('vvbnm') % 2048));
    expect(again.rows(['zzqxj vvbnm'])[0]).toEqual(
      Int32Array.of(zz as number, vv as number),
    );
    expect(encoder.inputs.knownCount(Int32Array.of(zz as number, known))).toBe(
      1,
    );

    // Two sentences sharing a rare name share its input, so they are
    // closer than the same sentences with two different rare names.
    const [a, b, c] = await encoder.embed([
      'Who is zzqxj ?',
      'Who is zzqxj ?',
      'Who is vvbnm ?',
    ]);
    expect(energy(a as Float32Array, b as Float32Array)).toBeLessThan(
      TOLERANCE,
    );
    expect(energy(a as Float32Array, c as Float32Array)).toBeGreaterThan(1e-4);
    encoder.dispose();
    again.dispose();
  });

  it('all share one bucket when there are no buckets', async () => {
    const encoder = await tinyEncoder({ oovBuckets: 0 });
    const rows = encoder.rows(['zzqxj vvbnm qqqqq'])[0];
    encoder.dispose();
    expect(rows).toHaveLength(3);
    expect(new Set(rows).size).toBe(1);
  });
});
