// `siamese-dedup import` refuses files that are not UTF-8 or whose texts
// hold control characters, and a --who that is not a reviewer name:
// exit code 1, a message naming file and line (or the flag), and
// nothing stored.
import fs from 'node:fs';
import path from 'node:path';

import Database from 'better-sqlite3';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { ensureBuilt, runCli, tempDir, type TempDir } from './cli.js';

let temp: TempDir;

beforeAll(() => {
  ensureBuilt();
});

beforeEach(async () => {
  temp = await tempDir();
});

afterEach(async () => {
  await temp.cleanup();
});

const HEADER = 'id\ta\tb\tlabel\n';
const GOOD = `${HEADER}1\tHow old are you ?\tWhat is your age ?\t1\n`;

function runImport(args: string[]) {
  return runCli(['import', ...args], '', { DATA_DIR: temp.dir });
}

/** Rows in a table of DATA_DIR's database; 0 when it does not exist. */
function stored(table: 'pairs' | 'items'): number {
  const file = path.join(temp.dir, 'siamese-dedup.db');
  if (!fs.existsSync(file)) return 0;
  const db = new Database(file, { readonly: true });
  try {
    const row = db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as {
      n: number;
    };
    return row.n;
  } finally {
    db.close();
  }
}

function expectRefused(
  result: { code: number | null; stdout: string; stderr: string },
  message: string | RegExp,
): void {
  expect(result.code).toBe(1);
  expect(result.stdout).toBe('');
  expect(result.stderr).toMatch(message);
  expect(result.stderr).not.toMatch(/\n\s+at |CHECK|constraint/);
}

describe('import with bad text', () => {
  it('refuses a pair file that is not UTF-8, naming the line', async () => {
    const file = path.join(temp.dir, 'latin1.tsv');
    fs.writeFileSync(
      file,
      Buffer.concat([
        Buffer.from(`${GOOD}2\tCaf`),
        Buffer.from([0xe9, 0x20, 0x3f]),
        Buffer.from('\tA bar ?\t0\n'),
      ]),
    );
    const result = await runImport(['--pairs', file]);

    expectRefused(
      result,
      `siamese-dedup: ${file}:3: not valid UTF-8: byte 0xE9 at byte 6 ` +
        'of the line; save the text as UTF-8',
    );
    expect(stored('pairs')).toBe(0);
  });

  it('refuses a control character in a pair, naming the line', async () => {
    const file = await temp.write(
      'escape.tsv',
      `${GOOD}2\tIs it \u001b[31mred ?\tIs it red ?\t1\n`,
    );
    const result = await runImport(['--pairs', file]);

    expectRefused(
      result,
      `siamese-dedup: ${file}:3: text in column 'a' holds the control ` +
        'character U+001B at position 6; only tab and line breaks are allowed',
    );
    expect(stored('pairs')).toBe(0);
  });

  it('refuses a NUL in an item file, naming the line', async () => {
    const file = await temp.write(
      'items.txt',
      'How old are you ?\nWhat is\u0000 your age ?\n',
    );
    const result = await runImport(['--items', file]);

    expectRefused(
      result,
      `siamese-dedup: ${file}:2: text in column 'text' holds the control ` +
        'character U+0000 at position 7',
    );
    expect(stored('items')).toBe(0);
  });
  it('refuses an external id the API would refuse, naming the line', async () => {
    const file = await temp.write(
      'items.tsv',
      'external_id\ttext\nq1\tHow old are you ?\n' +
        'q\u001b2\tWhat is your age ?\n',
    );
    const result = await runImport(['--items', file]);

    expectRefused(
      result,
      `siamese-dedup: ${file}:3: external_id holds the control character ` +
        'U+001B at position 1',
    );
    expect(stored('items')).toBe(0);
  });
});

describe('import --who', () => {
  it.each([
    ['a name with <', 'bad<who>', /--who "bad<who>" is not a reviewer name/],
    ['a leading space', ' padded', /--who " padded" is not a reviewer name/],
    ['1000 characters', 'a'.repeat(1000), /--who is 1000 characters long/],
  ])('refuses %s before storing anything', async (_case, who, message) => {
    const file = await temp.write('pairs.tsv', GOOD);
    const result = await runImport(['--pairs', file, '--who', who]);

    expectRefused(result, message);
    expect(result.stderr.length).toBeLessThan(200);
    expect(stored('pairs')).toBe(0);
  });

  it('stores pairs under a reviewer name', async () => {
    const file = await temp.write('pairs.tsv', GOOD);
    const result = await runImport(['--pairs', file, '--who', 'ann.lee@x']);

    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(stored('pairs')).toBe(1);
  });
});
