// Lines of UTF-8 text: every line ending, chunks split anywhere, a
// byte-order mark; bytes that are not UTF-8 refused with the line.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { FileFormatError } from '../../../src/errors/app-error.js';
import {
  firstInvalidByte,
  readTextLines,
  splitLines,
} from '../../../src/data/text-lines.js';
import { tempFiles, type TempFiles } from './temp-files.js';

let temp: TempFiles;
beforeEach(async () => {
  temp = await tempFiles();
});
afterEach(async () => {
  await temp.cleanup();
});

/** `bytes` as chunks of `size` bytes, as a stream would give them. */
async function* chunked(bytes: Uint8Array, size: number) {
  for (let i = 0; i < bytes.length; i += size) {
    yield bytes.subarray(i, i + size);
    await Promise.resolve();
  }
}

async function lines(bytes: Uint8Array, size = 64 * 1024) {
  const out: [number, string][] = [];
  for await (const line of splitLines(chunked(bytes, size), 'stdin')) {
    out.push([line.number, line.text]);
  }
  return out;
}

async function failure(bytes: Uint8Array, size = 64 * 1024) {
  return lines(bytes, size).then(
    () => undefined,
    (err: unknown) => err,
  );
}

const utf8 = (text: string) => new TextEncoder().encode(text);

describe('splitLines', () => {
  const text = '\uFEFFnaïve\r\nzweite\rdritte\n\n\uFEFFfünf ✓ 🙂';
  const expected: [number, string][] = [
    [1, 'naïve'],
    [2, 'zweite'],
    [3, 'dritte'],
    [4, ''],
    // Only line 1 loses its byte-order mark.
    [5, '\uFEFFfünf ✓ 🙂'],
  ];

  it.each([1, 2, 3, 7, 1024])(
    'reads LF, CRLF and CR endings in chunks of %i bytes',
    async (size) => {
      expect(await lines(utf8(text), size)).toEqual(expected);
    },
  );

  it('gives no extra line after a final line break', async () => {
    expect(await lines(utf8('a\nb\r\n'))).toEqual([
      [1, 'a'],
      [2, 'b'],
    ]);
  });

  it.each([
    ['a Latin-1 é', [0x63, 0x61, 0x66, 0xe9], 4, 'E9'],
    ['a lone continuation byte', [0x61, 0x80], 2, '80'],
    ['an overlong slash', [0xc0, 0xaf], 1, 'C0'],
    ['an encoded surrogate', [0xed, 0xa0, 0x80], 1, 'ED'],
    ['a sequence cut short', [0x61, 0xe2, 0x82], 2, 'E2'],
  ])('refuses %s with line and byte', async (_case, bad, at, hex) => {
    const bytes = new Uint8Array([...utf8('fine\nalso fine\n'), ...bad]);

    for (const size of [1, 5, 1024]) {
      const err = await failure(bytes, size);
      expect(err).toBeInstanceOf(FileFormatError);
      expect((err as FileFormatError).details).toEqual({
        file: 'stdin',
        line: 3,
      });
      expect((err as Error).message).toBe(
        `stdin:3: not valid UTF-8: byte 0x${hex} at byte ${at} of the ` +
          'line; save the text as UTF-8',
      );
    }
  });
});

describe('readTextLines', () => {
  it('names the file and line of invalid UTF-8', async () => {
    const file = await temp.write(
      'latin1.tsv',
      Buffer.concat([Buffer.from('id\ta\n1\tok\n2\tcaf'), Buffer.from([0xe9])]),
    );
    const read = async () => {
      for await (const line of readTextLines(file)) void line;
    };

    await expect(read()).rejects.toThrow(`${file}:3: not valid UTF-8`);
  });
});

describe('firstInvalidByte', () => {
  it('passes well-formed text of every length', () => {
    const bytes = utf8('a é ✓ 🙂 \u{10FFFF}');
    expect(firstInvalidByte(bytes)).toBe(bytes.length);
  });

  it.each([
    [[0xf4, 0x90, 0x80, 0x80], 0],
    [[0xe0, 0x80, 0x80], 0],
    [[0xf0, 0x80, 0x80, 0x80], 0],
    [[0x41, 0xff], 1],
    [[0x41, 0xc3], 1],
  ])('finds the bad byte of %j at %i', (bytes, at) => {
    expect(firstInvalidByte(new Uint8Array(bytes))).toBe(at);
  });
});
