// `siamese-dedup split` writes two parts of its input, and refuses, with
// exit code 1 and before writing anything, outputs that would overwrite
// the input or each other.
import fs from 'node:fs';
import path from 'node:path';

import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import {
  dataSlice,
  ensureBuilt,
  runCli,
  tempDir,
  type TempDir,
} from './cli.js';

let temp: TempDir;
let input: string;
let original: string;

beforeAll(() => {
  ensureBuilt();
});

beforeEach(async () => {
  temp = await tempDir();
  original = dataSlice('quora/dev.tsv', 50);
  input = await temp.write('pairs.tsv', original);
});

afterEach(async () => {
  await temp.cleanup();
});

function split(train: string, val: string) {
  return runCli(['split', '--pairs', input, '--train', train, '--val', val]);
}

describe('split', () => {
  it('writes both parts', async () => {
    const train = path.join(temp.dir, 'out', 'train.tsv');
    const val = path.join(temp.dir, 'out', 'val.tsv');
    const result = await split(train, val);

    expect(result.code).toBe(0);
    expect(result.stderr).toContain(`45 pairs to ${train}, 5 to ${val}`);
  });

  it.each([
    [
      '--train is the input',
      () => input,
      () => 'v.tsv',
      /--train .* is the input file/,
    ],
    [
      '--val is the input',
      () => 't.tsv',
      () => input,
      /--val .* is the input file/,
    ],
    [
      '--val is the input through ..',
      () => 't.tsv',
      () => path.join(temp.dir, 'sub', '..', 'pairs.tsv'),
      /--val .* is the input file/,
    ],
    [
      'both outputs are one file',
      () => 'same.tsv',
      () => path.join(temp.dir, '.', 'same.tsv'),
      /--train .* and --val .* are the same file/,
    ],
    [
      'an output is a folder',
      () => 't.tsv',
      () => temp.dir,
      /--val .* is a folder; expected a file name/,
    ],
  ])('refuses when %s', async (_case, train, val, why) => {
    fs.mkdirSync(path.join(temp.dir, 'sub'));
    const at = (name: string) =>
      path.isAbsolute(name) ? name : path.join(temp.dir, name);
    const result = await split(at(train()), at(val()));

    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(why);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(fs.readFileSync(input, 'utf8')).toBe(original);
    expect(fs.readdirSync(temp.dir).sort()).toEqual(['pairs.tsv', 'sub']);
  });

  it('refuses an output that is a link to the input', async () => {
    const link = path.join(temp.dir, 'link.tsv');
    fs.symlinkSync(input, link);
    const result = await split(link, path.join(temp.dir, 'v.tsv'));

    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/--train .*link\.tsv is the input file/);
    expect(fs.readFileSync(input, 'utf8')).toBe(original);
    expect(fs.existsSync(path.join(temp.dir, 'v.tsv'))).toBe(false);
  });
});
