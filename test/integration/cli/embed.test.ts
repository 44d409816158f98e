// `siamese-dedup embed` reads sentences from stdin and prints one JSON
// vector per line, of the model's dimension, whatever the text.
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
      '',
      'Which is the best way to learn cooking ?',
      '🙂🙂 emoji only',
      '\u0007 bell and\u0000 nul',
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
    expect(again[0]).toEqual(vectors[1050]);
    expect(again[1]).toEqual(vectors[0]);
  });
});
