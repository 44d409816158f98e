import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { PairFile } from '../../../src/data/pair-types.js';
import { readPairs } from '../../../src/data/read-pairs.js';
import {
  formatPairFile,
  writePairFile,
} from '../../../src/data/write-pairs.js';
import { fixture, sharedDataDir } from './fixtures.js';
import { tempFiles, type TempFiles } from './temp-files.js';

let temp: TempFiles;
beforeEach(async () => {
  temp = await tempFiles();
});
afterEach(async () => {
  await temp.cleanup();
});

/** A pair file as it reads back after a write (line numbers aside). */
function withoutLines(data: PairFile): unknown {
  return {
    ...data,
    file: undefined,
    pairs: data.pairs.map((pair) => ({ ...pair, line: undefined })),
  };
}

/** "3.800" -> "3.8" and "5.000" -> "5" at the ends of lines. */
function dropTrailingZeros(text: string): string {
  return text
    .replace(/(\t\d+\.\d*?)0+\n/g, '$1\n')
    .replace(/(\t\d+)\.\n/g, '$1\n');
}

describe('writePairFile', () => {
  it.each(['stsb/dev.tsv', 'sick/trial.tsv', 'semeval2016-3b/dev.tsv'])(
    'writes %s back byte for byte',
    async (name) => {
      const source = path.join(sharedDataDir, name);
      const data = await readPairs(source);
      const target = path.join(temp.dir, 'copy.tsv');

      await writePairFile(target, data);

      // STS-B writes scores as "3.800"; they are written back as "3.8".
      const original = await readFile(source, 'utf8');
      const written = await readFile(target, 'utf8');
      expect(written).toBe(dropTrailingZeros(original));
      expect(withoutLines(await readPairs(target))).toEqual(withoutLines(data));
    },
  );

  it('round-trips a binary file read from CSV', async () => {
    const data = await readPairs(fixture('pairs.csv'));
    const target = path.join(temp.dir, 'nested', 'dir', 'pairs.tsv');

    await writePairFile(target, data);
    const back = await readPairs(target);

    expect(back.kind).toBe('binary');
    // The line break inside pair 3 is folded to a space: TSV has no quoting.
    expect(back.pairs[2]?.a).toBe('A question that spans two lines');
    expect(back.pairs.map((pair) => [pair.id, pair.label])).toEqual([
      ['1', 1],
      ['2', 0],
      ['3', 1],
    ]);
  });

  it('replaces an existing file and leaves no temporary file', async () => {
    const target = await temp.write('out.tsv', 'old content\n');
    const data = await readPairs(fixture('graded.jsonl'));

    await writePairFile(target, data);

    expect(await readFile(target, 'utf8')).toBe(
      'id\ta\tb\tscore\n' +
        '7\tIs tea healthy?\tIs green tea good for you?\t3.5\n' +
        '3\tWhere is Doha?\tHow do I cook rice?\t0.25\n',
    );
    expect(await readdir(temp.dir)).toEqual(['out.tsv']);
  });

  it('writes the header of each kind', () => {
    const ranking: PairFile = {
      kind: 'ranking',
      file: 'x',
      groups: 1,
      pairs: [
        {
          id: 'Q1_R1',
          group: 'Q1',
          rank: 1,
          a: 'q\tx',
          b: 'c',
          label: 1,
          line: 2,
        },
      ],
    };
    expect(formatPairFile(ranking)).toBe(
      'query_id\tcandidate_id\tsearch_rank\tquery\tcandidate\tlabel\n' +
        'Q1\tQ1_R1\t1\tq x\tc\t1\n',
    );
  });
});
