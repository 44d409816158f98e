// Bad input files stop the command with exit code 1 and a message naming
// the file and the line, and leave no model folder behind.
import fs from 'node:fs';
import path from 'node:path';

import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import {
  dataLines,
  dataSlice,
  ensureBuilt,
  runCli,
  sharedDataDir,
  tempDir,
  type TempDir,
} from './cli.js';

let temp: TempDir;
let valid: string;

beforeAll(() => {
  ensureBuilt();
});

beforeEach(async () => {
  temp = await tempDir();
  valid = await temp.write('val.tsv', dataSlice('quora/test-a.tsv', 100));
});

afterEach(async () => {
  await temp.cleanup();
});

/** Real Quora rows 1..n as TSV data lines (no header). */
function quoraRows(n: number): string[] {
  return dataLines('quora/dev.tsv').rows.slice(0, n);
}

const HEADER = 'id\ta\tb\tlabel';

/** [case, file name, content, expected line, words of the message]. */
const CASES: [string, string, () => string, number, RegExp][] = [
  ['an empty file', 'empty.tsv', () => '', 1, /file is empty/],
  [
    'a missing column',
    'no-b.tsv',
    () => 'id\ta\tlabel\n1\tWhat is it ?\t1\n',
    1,
    /missing column 'b'/,
  ],
  [
    'a label of 2',
    'label.tsv',
    () =>
      [HEADER, ...quoraRows(1), '7\tWhat is it ?\tWhat is that ?\t2', ''].join(
        '\n',
      ),
    3,
    /column 'label' must be 0 or 1, found "2"/,
  ],
  [
    'a score that is not a number',
    'score.tsv',
    () => 'id\ta\tb\tscore\n1\tA man plays .\tA man sings .\tfour\n',
    2,
    /column 'score' must be a number, found "four"/,
  ],
  [
    'a 100,000-character sentence',
    'long.tsv',
    () =>
      [
        HEADER,
        ...quoraRows(2),
        `9\t${'what '.repeat(20_000)}\tWhat ?\t0`,
        '',
      ].join('\n'),
    4,
    /is 99999 characters long; the limit is 10000/,
  ],
  [
    'a sentence with no known word',
    'unknown.tsv',
    () =>
      [HEADER, ...quoraRows(3), '9\tzzqxj vvbnm\tWhat is that ?\t0', ''].join(
        '\n',
      ),
    5,
    /no word of "zzqxj vvbnm" has a word vector.*--skip-invalid/,
  ],
  [
    'malformed JSON Lines',
    'pairs.jsonl',
    () =>
      '{"a": "What is it ?", "b": "What is that ?", "label": 1}\n' +
      '{"a": "Why ?", "b": \n',
    2,
    /malformed JSON/,
  ],
];

/** Checks a failed run: code 1, `file:line:` and `why` in the message. */
function expectFailure(
  result: { code: number | null; stdout: string; stderr: string },
  file: string,
  line: number,
  why: RegExp,
): void {
  expect(result.code).toBe(1);
  expect(result.stdout).toBe('');
  expect(result.stderr).toContain(`siamese-dedup: ${file}:${line}: `);
  expect(result.stderr).toMatch(why);
  // A message, not a stack trace.
  expect(result.stderr).not.toMatch(/\n\s+at /);
}

describe('train with a bad pair file', () => {
  it.each(CASES)('fails on %s', async (_name, name, content, line, why) => {
    const file = await temp.write(name, content());
    const out = path.join(temp.dir, 'models', 'm');

    const result = await runCli([
      'train',
      '--pairs',
      file,
      '--val',
      valid,
      '--out',
      out,
      '--epochs',
      '1',
      '--units',
      '8',
    ]);

    expectFailure(result, file, line, why);
    expect(fs.existsSync(out)).toBe(false);
    expect(fs.readdirSync(temp.dir).sort()).toEqual([name, 'val.tsv'].sort());
  });

  it('names the validation file when that is the bad one', async () => {
    const [, , content, line, why] = CASES[2] as (typeof CASES)[number];
    const bad = await temp.write('bad-val.tsv', content());
    const out = path.join(temp.dir, 'm');
    const result = await runCli([
      'train',
      '--pairs',
      path.join(sharedDataDir, 'quora/dev.tsv'),
      '--limit',
      '50',
      '--val',
      bad,
      '--out',
      out,
      '--epochs',
      '1',
    ]);

    expectFailure(result, bad, line, why);
    expect(fs.existsSync(out)).toBe(false);
  });

  it('drops sentences with no known word under --skip-invalid', async () => {
    const file = await temp.write(
      'unknown.tsv',
      [HEADER, ...quoraRows(40), '9\tzzqxj vvbnm\tWhat is that ?\t0', ''].join(
        '\n',
      ),
    );
    const out = path.join(temp.dir, 'm');
    const result = await runCli([
      'train',
      '--pairs',
      file,
      '--val',
      valid,
      '--out',
      out,
      '--epochs',
      '1',
      '--units',
      '8',
      '--skip-invalid',
    ]);

    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(
      /training on 40 pairs, validating on 100 \(skipped 1\)/,
    );
    expect(fs.existsSync(path.join(out, 'model.json'))).toBe(true);
  });

  it.each(['abc', '-2', '1.5'])(
    'rejects an output size of %s',
    async (size) => {
      const out = path.join(temp.dir, 'm');
      const result = await runCli([
        'train',
        '--pairs',
        valid,
        '--val',
        valid,
        '--out',
        out,
        `--projection=${size}`,
      ]);

      expect(result.code).toBe(1);
      expect(result.stderr).toContain(
        `--projection must be a whole number of at least 0, got "${size}"`,
      );
      expect(fs.existsSync(out)).toBe(false);
    },
  );
});

describe('eval and embed with bad input', () => {
  it('eval fails on a malformed file without printing a report', async () => {
    const [, name, content, line, why] = CASES[6] as (typeof CASES)[number];
    const file = await temp.write(name, content());
    const result = await runCli([
      'eval',
      '--model',
      path.join(temp.dir, 'm'),
      '--pairs',
      file,
      '--json',
    ]);
    expectFailure(result, file, line, why);
  });

  it('embed fails on a missing model folder, naming it', async () => {
    const dir = path.join(temp.dir, 'no-model');
    const result = await runCli(['embed', '--model', dir], 'hello\n');

    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(
      `model at ${dir}: directory does not exist`,
    );
  });
});
