// `siamese-dedup embed` reads sentences from stdin and prints one JSON
// vector per line, of the model's dimension, for any sentence; a line
// that is not one (empty, not UTF-8, with a control character) stops it
// before it prints anything.
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  dataLines,
  distance,
  ensureBuilt,
  runCli,
  tempDir,
  trainTiny,
  type TempDir,
} from './cli.js';

let temp: TempDir;
let model: string;

beforeAll(async () => {
  ensureBuilt();
  temp = await tempDir();
  model = path.join(temp.dir, 'model');
  const trained = await trainTiny(model);
  if (trained.code !== 0) throw new Error(`train failed: ${trained.stderr}`);
});

afterAll(async () => {
  await temp.cleanup();
});

/** Runs embed on `lines`; returns the parsed vectors. */
async function embed(lines: string[]): Promise<number[][]> {
  const result = await runCli(
    ['embed', '--model', model],
    `${lines.join('\n')}\n`,
  );
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  const out = result.stdout.split('\n');
  expect(out.pop()).toBe('');
  return out.map((line) => JSON.parse(line) as number[]);
}

describe('embed', () => {
  it('prints one vector of the model dimension per line', async () => {
    const lines = [
      'How do I learn to cook ?',
      'tab\tinside',
      'Which is the best way to learn cooking ?',
      '🙂🙂 emoji only',
      'Как научиться готовить ?',
      'zzqxj vvbnm',
      'word '.repeat(20_000),
      'How do I learn to cook ?',
    ];
    const vectors = await embed(lines);

    expect(vectors).toHaveLength(lines.length);
    for (const vector of vectors) {
      expect(vector).toHaveLength(8);
      expect(vector.every(Number.isFinite)).toBe(true);
    }
    expect(vectors[7]).toEqual(vectors[0]);
    // Paraphrases are closer than unrelated text.
    const [cook, , cooking, , , nonsense] = vectors;
    expect(distance(cook ?? [], cooking ?? [])).toBeLessThan(
      distance(cook ?? [], nonsense ?? []),
    );
  });

  it('gives a sentence the same vector in every chunk of a long input', async () => {
    const { rows } = dataLines('quora/dev.tsv');
    const questions = rows.slice(0, 1100).map((r) => r.split('\t')[1] ?? '');
    const vectors = await embed(questions);

    expect(vectors).toHaveLength(1100);
    // Line 1051 repeats line 1 after the first chunk of 1,024 lines.
    const again = await embed([
      questions[1050] as string,
      questions[0] as string,
    ]);
    // Short inputs take the one-sentence path and long ones the batched
    // kernels; the two agree to the printed precision, give or take the
    // rounding of the last digit.
    expectClose(again[0], vectors[1050]);
    expectClose(again[1], vectors[0]);
  });

  it.each([
    ['an empty line', utf8('one ?\n\nthree ?\n'), 2, /empty or only white/],
    ['a line of spaces', utf8('one ?\ntwo ?\n \t \n'), 3, /empty or only/],
    [
      'a NUL',
      utf8('one ?\ntwo\u0000 ?\n'),
      2,
      /the line holds the control character U\+0000 at position 3/,
    ],
    [
      'a bell',
      utf8('\u0007 ring ?\n'),
      1,
      /the line holds the control character U\+0007 at position 0/,
    ],
    [
      'bytes that are not UTF-8',
      new Uint8Array([...utf8('one ?\ncaf'), 0xe9, 0x0a]),
      2,
      /not valid UTF-8: byte 0xE9 at byte 4 of the line/,
    ],
  ])('refuses %s before printing a vector', async (_case, input, line, why) => {
    // Bad input after a full chunk of good lines still prints nothing.
    const good = utf8('How do I learn to cook ?\n'.repeat(1100));
    const result = await runCli(
      ['embed', '--model', model],
      new Uint8Array([...good, ...input]),
    );

    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(
      new RegExp(`^siamese-dedup: stdin:${1100 + line}: `),
    );
    expect(result.stderr).toMatch(why);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});

function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

/** Asserts that `got` equals `want` element by element to within 2e-6. */
function expectClose(
  got: readonly number[] | undefined,
  want: readonly number[] | undefined,
): void {
  expect(got).toHaveLength(want?.length ?? -1);
  got?.forEach((value, i) => {
    expect(Math.abs(value - (want?.[i] ?? NaN)), `element ${i}`).toBeLessThan(
      2e-6,
    );
  });
}
