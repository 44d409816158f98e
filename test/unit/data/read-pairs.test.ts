import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { FileFormatError } from '../../../src/errors/app-error.js';
import {
  openPairs,
  readPairs,
  streamPairs,
} from '../../../src/data/read-pairs.js';
import { fixture } from './fixtures.js';
import { tempFiles, type TempFiles } from './temp-files.js';

let temp: TempFiles;
beforeEach(async () => {
  temp = await tempFiles();
});
afterEach(async () => {
  await temp.cleanup();
});

/** Expects reading `content` as `name` to fail at `line` with `problem`. */
async function expectBad(
  name: string,
  content: string,
  line: number | undefined,
  problem: RegExp,
  options = {},
): Promise<void> {
  const file = await temp.write(name, content);
  const error = await readPairs(file, options).then(
    () => undefined,
    (err: unknown) => err,
  );

  expect(error).toBeInstanceOf(FileFormatError);
  const { details, message } = error as FileFormatError;
  expect(details).toEqual({ file, line });
  expect(
    message.startsWith(line === undefined ? file : `${file}:${line}:`),
  ).toBe(true);
  expect(message).toMatch(problem);
}

describe('readPairs: formats', () => {
  it('reads CSV with quoted commas, doubled quotes and line breaks', async () => {
    const data = await readPairs(fixture('pairs.csv'));

    expect(data.kind).toBe('binary');
    expect(data.pairs).toEqual([
      {
        id: '1',
        a: 'How do I learn Python, fast?',
        b: 'How can I learn Python quickly?',
        label: 1,
        line: 2,
      },
      { id: '2', a: 'He said "hi"', b: 'He said hello', label: 0, line: 3 },
      {
        id: '3',
        a: 'A question\nthat spans two lines',
        b: 'A one-line question',
        label: 1,
        line: 4,
      },
    ]);
  });

  it('accepts a byte-order mark and CRLF line endings', async () => {
    const data = await readPairs(fixture('graded-crlf-bom.tsv'));

    expect(data.kind).toBe('graded');
    if (data.kind !== 'graded') return;
    expect(data.pairs.map((pair) => pair.id)).toEqual(['1', '2']);
    expect(data.pairs[0]).toMatchObject({
      b: 'A person plays a guitar.',
      score: 4.5,
      entailment: 'ENTAILMENT',
    });
    expect(data.pairs[1]?.entailment).toBe('NEUTRAL');
    expect(data.scoreRange).toEqual({ min: 1.2, max: 4.5 });
  });

  it('reads JSON Lines, numeric ids and string scores, skipping blanks', async () => {
    const data = await readPairs(fixture('graded.jsonl'));

    expect(data.kind).toBe('graded');
    expect(data.pairs).toEqual([
      {
        id: '7',
        a: 'Is tea healthy?',
        b: 'Is green tea good for you?',
        score: 3.5,
        line: 1,
      },
      // No id field: the line number stands in.
      {
        id: '3',
        a: 'Where is Doha?',
        b: 'How do I cook rice?',
        score: 0.25,
        line: 3,
      },
    ]);
  });

  it('ranks candidates by file order when there is no search_rank', async () => {
    const data = await readPairs(fixture('ranking.csv'));

    expect(data.kind).toBe('ranking');
    if (data.kind !== 'ranking') return;
    expect(data.groups).toBe(2);
    expect(
      data.pairs.map(({ group, id, rank, label }) => [group, id, rank, label]),
    ).toEqual([
      ['Q1', 'Q1_R1', 1, 1],
      ['Q1', 'Q1_R2', 2, 0],
      ['Q2', 'Q2_R1', 1, 1],
    ]);
  });

  it('sniffs the format of a file with an unknown extension', async () => {
    const tsv = await temp.write('pairs.data', 'a\tb\tlabel\nx\ty\t1\n');
    const json = await temp.write('pairs.out', '{"a":"x","b":"y","label":0}\n');

    expect((await readPairs(tsv)).pairs[0]).toMatchObject({ label: 1 });
    expect((await readPairs(json)).pairs[0]).toMatchObject({ label: 0 });
  });

  it('ignores extra columns and upper-case header names', async () => {
    const file = await temp.write(
      'extra.tsv',
      'ID\tA\tB\tLABEL\tsource\n9\tx\ty\t0\tweb\n',
    );
    expect((await readPairs(file)).pairs).toEqual([
      { id: '9', a: 'x', b: 'y', label: 0, line: 2 },
    ]);
  });

  it('trims texts and accepts a text at exactly the length limit', async () => {
    const file = await temp.write('trim.tsv', 'a\tb\tlabel\n  x  \tyyyyy\t1\n');
    const data = await readPairs(file, { maxTextLength: 5 });
    expect(data.pairs[0]).toMatchObject({ a: 'x', b: 'yyyyy' });
  });
});

describe('readPairs: streaming', () => {
  it('knows the kind from the header before any pair is read', async () => {
    const file = await temp.write('s.tsv', 'id\ta\tb\tscore\n1\tx\ty\t2\n');
    const stream = await openPairs(file);

    expect(stream.kind).toBe('graded');
    const pairs = [];
    for await (const pair of stream.pairs) pairs.push(pair);
    expect(pairs).toEqual([{ id: '1', a: 'x', b: 'y', score: 2, line: 2 }]);
  });

  it('yields good rows before failing on a bad one', async () => {
    const file = await temp.write('s.tsv', 'a\tb\tlabel\nx\ty\t1\nx\ty\t7\n');
    const seen: string[] = [];

    await expect(async () => {
      for await (const pair of streamPairs(file)) seen.push(pair.id);
    }).rejects.toThrow(/:3: column 'label' must be 0 or 1, found "7"/);
    expect(seen).toEqual(['2']);
  });

  it('can stop early without reading the rest', async () => {
    const rows = Array.from({ length: 1000 }, (_, i) => `q${i}\tp${i}\t1`);
    const file = await temp.write('big.tsv', `a\tb\tlabel\n${rows.join('\n')}`);

    let first: string | undefined;
    for await (const pair of streamPairs(file)) {
      first = pair.a;
      break;
    }
    expect(first).toBe('q0');
  });
});

describe('readPairs: bad input', () => {
  it('rejects an empty file', async () => {
    await expectBad('empty.tsv', '', 1, /file is empty; expected a header/);
    await expectBad('blank.tsv', '\n \n', 1, /file is empty/);
    await expectBad('bom.csv', '\uFEFF', 1, /file is empty/);
  });

  it('rejects a header with no rows', async () => {
    await expectBad(
      'h.tsv',
      'id\ta\tb\tlabel\n',
      2,
      /no pairs after the header/,
    );
  });

  it('rejects a file without a header line', async () => {
    await expectBad(
      'nohead.tsv',
      '1\tHow do I?\tHow can I?\t0\n',
      1,
      new RegExp(
        'the first line names none of the known columns: expected a ' +
          'header naming its columns.*found 1, how do i\\?',
      ),
    );
  });

  it('suspects a missing header when header names repeat', async () => {
    await expectBad(
      'nohead2.tsv',
      '1\tHow do I?\tHow can I?\t1\n',
      1,
      /header repeats column '1'; expected a header naming its columns/,
    );
  });

  it('names a missing column', async () => {
    await expectBad(
      'nob.tsv',
      'id\ta\tlabel\n1\tx\t1\n',
      1,
      /missing column 'b'/,
    );
    await expectBad(
      'nolabel.csv',
      'id,a,b\n1,x,y\n',
      1,
      /missing column 'label'/,
    );
    await expectBad(
      'noquery.tsv',
      'query_id\tcandidate\tlabel\nQ1\tx\t1\n',
      1,
      /missing column 'query'/,
    );
  });

  it('rejects a header with both label and score', async () => {
    await expectBad(
      'both.tsv',
      'a\tb\tlabel\tscore\n',
      1,
      /both a 'label' and a 'score'/,
    );
  });

  it('rejects a repeated or empty column name', async () => {
    await expectBad('rep.tsv', 'a\tb\ta\tlabel\n', 1, /repeats column 'a'/);
    await expectBad('gap.csv', 'a,,b,label\n', 1, /column 2 has no name/);
  });

  it('rejects a row with the wrong number of fields', async () => {
    await expectBad(
      'cols.tsv',
      'id\ta\tb\tlabel\n1\tx\ty\t1\n2\tx\ty\tz\t1\n',
      3,
      /expected 4 fields \(id, a, b, label\), found 5 \(a tab inside a text\?\)/,
    );
    await expectBad('cols.csv', 'a,b,label\nx,y\n', 2, /expected 3 fields/);
  });

  it('rejects a label other than 0 or 1', async () => {
    await expectBad(
      'l.tsv',
      'a\tb\tlabel\nx\ty\tyes\n',
      2,
      /'label' must be 0 or 1, found "yes"/,
    );
    await expectBad('l2.tsv', 'a\tb\tlabel\nx\ty\t0.5\n', 2, /found "0.5"/);
    await expectBad(
      'l3.jsonl',
      '{"a":"x","b":"y","label":true}\n',
      1,
      /found true/,
    );
  });

  it('rejects a score that is not a number', async () => {
    await expectBad(
      's.tsv',
      'a\tb\tscore\nx\ty\tfour\n',
      2,
      /'score' must be a number, found "four"/,
    );
    await expectBad('s2.tsv', 'a\tb\tscore\nx\ty\t\n', 2, /found ""/);
    await expectBad('s3.tsv', 'a\tb\tscore\nx\ty\t3.5x\n', 2, /found "3.5x"/);
    await expectBad(
      's4.jsonl',
      '{"a":"x","b":"y","score":null}\n',
      1,
      /found null/,
    );
  });

  it('rejects a search rank that is not a positive whole number', async () => {
    await expectBad(
      'r.tsv',
      'query_id\tcandidate_id\tsearch_rank\tquery\tcandidate\tlabel\n' +
        'Q1\tQ1_R1\t0\tq\tc\t1\n',
      2,
      /'search_rank' must be a whole number of at least 1, found "0"/,
    );
  });

  it('rejects an empty text', async () => {
    await expectBad(
      'e.tsv',
      'a\tb\tlabel\nx\t  \t1\n',
      2,
      /empty text in column 'b'/,
    );
    await expectBad(
      'e.jsonl',
      '{"a":"x","label":1,"b":"y"}\n{"a":"x","label":1}\n',
      2,
      /missing text in column 'b'/,
    );
  });

  it('rejects a text over the length limit and says what the limit is', async () => {
    const long = 'x'.repeat(10_001);
    await expectBad(
      'long.tsv',
      `a\tb\tlabel\nok\t${long}\t1\n`,
      2,
      /text in column 'b' is 10001 characters long; the limit is 10000 \(maxTextLength\)/,
    );
    await expectBad(
      'short.tsv',
      'a\tb\tlabel\nabcdef\ty\t1\n',
      2,
      /the limit is 5/,
      {
        maxTextLength: 5,
      },
    );
  });

  it('rejects malformed JSON and lines that are not objects', async () => {
    await expectBad(
      'bad.jsonl',
      '{"a":"x","b":"y","label":1}\n{"a":"x", "b": \n',
      2,
      /malformed JSON/,
    );
    await expectBad(
      'arr.jsonl',
      '["x","y",1]\n',
      1,
      /one JSON object per line, found an array/,
    );
    await expectBad(
      'text.jsonl',
      '{"a":1,"b":"y","label":1}\n',
      1,
      /column 'a' must hold text, found 1/,
    );
  });

  it('rejects an unterminated or garbled CSV quote', async () => {
    await expectBad(
      'q.csv',
      'a,b,label\n"x,y,1\nz,w,0\n',
      2,
      /quoted field is never closed/,
    );
    await expectBad(
      'q2.csv',
      'a,b,label\n"x"z,y,1\n',
      2,
      /unexpected "z" after a closing quote \(column 4\)/,
    );
  });

  it('rejects a file whose format it cannot tell', async () => {
    await expectBad(
      'pairs.dat',
      'just some words\n',
      1,
      /cannot tell the format/,
    );
  });

  it('reports a missing file as not found', async () => {
    await expect(readPairs(`${temp.dir}/none.tsv`)).rejects.toMatchObject({
      code: 'not_found',
    });
    await expect(readPairs(temp.dir)).rejects.toThrow(/is not a regular file/);
  });
});

describe('readPairs: characters', () => {
  const header = 'id\ta\tb\tlabel\n';
  const stray = `${header}1\tok ?\tfine ?\t1\n2\tTreasury\u0012s bonds\tBonds\t0\n`;

  it('keeps a stray control character unless told to refuse it', async () => {
    const file = await temp.write('stray.tsv', stray);
    const data = await readPairs(file);
    expect(data.pairs[1]?.a).toBe('Treasury\u0012s bonds');

    await expectBad(
      'stray.tsv',
      stray,
      3,
      new RegExp(
        "text in column 'a' holds the control character U\\+0012 at " +
          'position 8; only tab and line breaks are allowed',
      ),
      { refuseControls: true },
    );
  });

  it('refuses an unpaired surrogate from a JSON escape', async () => {
    await expectBad(
      'lone.jsonl',
      '{"a":"ok ?","b":"fine ?","label":1}\n' +
        '{"a":"bad \\ud83d ?","b":"fine ?","label":0}\n',
      2,
      new RegExp(
        "text in column 'a' holds an unpaired surrogate U\\+D83D at " +
          'position 4: it is not valid Unicode',
      ),
    );
  });

  it.each([
    ['latin1.tsv', `${header}1\tok ?\tfine ?\t1\n2\tcaf`, '\tcafe\t0\n'],
    ['latin1.csv', 'a,b,label\nok,fine,1\ncaf', ',cafe,0\n'],
    [
      'latin1.jsonl',
      '{"a":"ok","b":"x","label":1}\n\n{"a":"caf',
      '","b":"x","label":0}\n',
    ],
  ])(
    'refuses invalid UTF-8 in %s, naming the line',
    async (name, before, after) => {
      const file = await temp.write(
        name,
        Buffer.concat([
          Buffer.from(before),
          Buffer.from([0xe9]),
          Buffer.from(after),
        ]),
      );
      const error = await readPairs(file).then(
        () => undefined,
        (err: unknown) => err,
      );

      expect(error).toBeInstanceOf(FileFormatError);
      expect((error as FileFormatError).details).toEqual({ file, line: 3 });
      expect((error as Error).message).toMatch(
        `${file}:3: not valid UTF-8: byte 0xE9`,
      );
    },
  );
});
