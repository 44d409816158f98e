// Two spellings of one file compare equal, whether the file exists or
// not; different files do not.
import fs from 'node:fs';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { sameFile } from '../../../src/data/file-identity.js';
import { tempFiles, type TempFiles } from './temp-files.js';

let temp: TempFiles;

beforeEach(async () => {
  temp = await tempFiles();
});

afterEach(async () => {
  await temp.cleanup();
});

describe('sameFile', () => {
  it('matches one existing file spelled through .. and a link', async () => {
    const file = await temp.write('pairs.tsv', 'x');
    fs.mkdirSync(path.join(temp.dir, 'sub'));
    fs.symlinkSync(file, path.join(temp.dir, 'sub', 'link.tsv'));
    fs.linkSync(file, path.join(temp.dir, 'hard.tsv'));

    expect(sameFile(file, path.join(temp.dir, 'sub', '..', 'pairs.tsv'))).toBe(
      true,
    );
    expect(sameFile(file, path.join(temp.dir, 'sub', 'link.tsv'))).toBe(true);
    expect(sameFile(file, path.join(temp.dir, 'hard.tsv'))).toBe(true);
  });

  it('matches a missing file reached through a linked folder', () => {
    const real = path.join(temp.dir, 'real');
    fs.mkdirSync(real);
    fs.symlinkSync(real, path.join(temp.dir, 'alias'));

    expect(
      sameFile(
        path.join(real, 'new', 'out.tsv'),
        path.join(temp.dir, 'alias', 'new', 'out.tsv'),
      ),
    ).toBe(true);
  });

  it('tells different files apart', async () => {
    const a = await temp.write('a.tsv', 'x');
    const b = await temp.write('b.tsv', 'x');

    expect(sameFile(a, b)).toBe(false);
    expect(sameFile(a, path.join(temp.dir, 'c.tsv'))).toBe(false);
    expect(
      sameFile(path.join(temp.dir, 'c.tsv'), path.join(temp.dir, 'd.tsv')),
    ).toBe(false);
  });
});
