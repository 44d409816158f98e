import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { readItems, streamItems } from '../../../src/data/read-items.js';
import { FileFormatError } from '../../../src/errors/app-error.js';
import { fixture } from './fixtures.js';
import { tempFiles, type TempFiles } from './temp-files.js';

let temp: TempFiles;
beforeEach(async () => {
  temp = await tempFiles();
});
afterEach(async () => {
  await temp.cleanup();
});

async function expectBad(
  name: string,
  content: string,
  line: number,
  problem: RegExp | string,
  options = {},
): Promise<void> {
  const file = await temp.write(name, content);
  const error = await readItems(file, options).then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(FileFormatError);
  expect((error as FileFormatError).details).toEqual({ file, line });
  expect((error as Error).message).toMatch(problem);
}

describe('readItems', () => {
  it('reads TSV with external ids and JSON metadata', async () => {
    const { items } = await readItems(fixture('items.tsv'));
    expect(items).toEqual([
      {
        text: 'How do I reset my password?',
        externalId: 'faq-1',
        metadata: { lang: 'en' },
        line: 2,
      },
      // Empty external_id and metadata cells mean none.
      { text: 'What are the opening hours?', line: 3 },
    ]);
  });

  it('reads CSV in any column order', async () => {
    const { items } = await readItems(fixture('items.csv'));
    expect(items).toEqual([
      { text: 'Refunds, returns and exchanges', externalId: '42', line: 2 },
      { text: 'Shipping times', externalId: '43', line: 3 },
    ]);
  });

  it('reads JSON Lines with object metadata', async () => {
    const { items } = await readItems(fixture('items.jsonl'));
    expect(items).toEqual([
      {
        text: 'Can I pay by card?',
        externalId: '9',
        metadata: { source: 'chat' },
        line: 1,
      },
      { text: 'Do you ship abroad?', line: 2 },
    ]);
  });

  it('reads plain text one item a line, skipping blank lines', async () => {
    const items = [];
    for await (const item of streamItems(fixture('items.txt'))) {
      items.push(item);
    }
    expect(items).toEqual([
      { text: 'How do I reset my password?', line: 1 },
      { text: 'What are the opening hours?', line: 3 },
    ]);
  });

  it('accepts CRLF and a byte-order mark in plain text', async () => {
    const file = await temp.write('crlf.txt', '\uFEFFone\r\ntwo\r\n');
    const { items } = await readItems(file);
    expect(items.map((item) => item.text)).toEqual(['one', 'two']);
  });

  it('rejects empty files and files without items', async () => {
    await expectBad('e.txt', '', 1, /no items; expected a header/);
    await expectBad(
      'e.tsv',
      '',
      1,
      /file is empty; expected a header with a 'text' column/,
    );
    await expectBad('h.tsv', 'text\texternal_id\n', 2, /no items/);
  });

  it('rejects a file without a text column', async () => {
    await expectBad(
      'no-text.csv',
      'external_id,body\n1,hello\n',
      1,
      /missing column 'text'.*found external_id, body/,
    );
  });

  it('rejects empty and overlong texts', async () => {
    await expectBad(
      'e.tsv',
      'text\nfine\n   \n',
      3,
      /empty text in column 'text'/,
    );
    await expectBad(
      'long.txt',
      `ok\n${'y'.repeat(10_001)}\n`,
      2,
      /10001 characters long; the limit is 10000/,
    );
    await expectBad('short.txt', 'abcd\n', 1, /the limit is 3/, {
      maxTextLength: 3,
    });
  });

  it('rejects metadata that is not a JSON object', async () => {
    await expectBad(
      'm.tsv',
      'text\tmetadata\nhello\t{"a":\n',
      2,
      /column 'metadata' must hold a JSON object/,
    );
    await expectBad(
      'm.jsonl',
      '{"text":"hello","metadata":[1,2]}\n',
      1,
      /column 'metadata' must hold a JSON object, found \[1,2\]/,
    );
  });

  it('rejects malformed JSON and wrong column counts', async () => {
    await expectBad('j.jsonl', '{"text":"a"}\n{"text":\n', 2, /malformed JSON/);
    await expectBad(
      'c.tsv',
      'text\texternal_id\na\tb\tc\n',
      2,
      /expected 2 fields/,
    );
  });
});

describe('readItems: characters', () => {
  it.each([
    ['nul.txt', 'first\nsecond\u0000\n', 2, 'U+0000'],
    ['esc.tsv', 'text\nfine\n\u001b[31mred\n', 3, 'U+001B'],
    ['c1.jsonl', '{"text":"ok"}\n{"text":"x\\u0085y"}\n', 2, 'U+0085'],
  ])(
    'refuses a control character in %s when told to',
    async (name, content, line, char) => {
      await expect(
        readItems(await temp.write(name, content)),
      ).resolves.toBeDefined();
      await expectBad(
        name,
        content,
        line,
        `text in column 'text' holds the control character ${char} at`,
        { refuseControls: true },
      );
    },
  );

  it('refuses invalid UTF-8 in a .txt file, naming the line', async () => {
    const file = await temp.write(
      'latin1.txt',
      Buffer.concat([Buffer.from('one\ntwo\ncaf'), Buffer.from([0xe9, 0x0a])]),
    );
    await expect(readItems(file)).rejects.toThrow(
      `${file}:3: not valid UTF-8: byte 0xE9 at byte 4 of the line`,
    );
  });
});
