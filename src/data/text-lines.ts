/**
 * Reads text one line at a time, so large pair and item files are never
 * held whole in memory. The bytes must be UTF-8: a line that is not is
 * refused with its number, never decoded into replacement characters.
 * Accepts a UTF-8 byte-order mark and LF, CRLF and CR line endings.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';

import { AppError, ErrorCode, FileFormatError } from '../errors/app-error.js';

/** One line of a text file, without its line ending. */
export interface TextLine {
  /** 1-based line number. */
  number: number;
  /** The line's text; the byte-order mark is removed from line 1. */
  text: string;
}

const LF = 0x0a;
const CR = 0x0d;

/**
 * Yields the lines of `file` in order. Throws an `AppError` with code
 * `not_found` when the file does not exist, and a `FileFormatError`
 * when the path is not a regular file or a line is not valid UTF-8.
 */
export async function* readTextLines(file: string): AsyncGenerator<TextLine> {
  await checkReadable(file);

  const input = createReadStream(file);
  try {
    yield* splitLines(input, file);
  } finally {
    input.destroy();
  }
}

/**
 * Yields the lines of the UTF-8 bytes in `chunks` (a file or stdin
 * stream). `source` names them in errors: a line that is not valid
 * UTF-8 throws a `FileFormatError` `<source>:<line>: ...`.
 */
export async function* splitLines(
  chunks: AsyncIterable<Uint8Array>,
  source: string,
): AsyncGenerator<TextLine> {
  // A decoder keeps no state between calls without `stream`; ignoreBOM
  // keeps a U+FEFF inside the file instead of dropping it silently.
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  const decode = (bytes: Uint8Array, number: number): TextLine => {
    const text = decodeLine(decoder, bytes, source, number);
    return { number, text: number === 1 ? text.replace(/^\uFEFF/, '') : text };
  };
  let rest: Uint8Array = new Uint8Array(0);
  let afterCr = false;
  let number = 0;

  for await (const chunk of chunks) {
    const bytes = rest.length === 0 ? chunk : concat(rest, chunk);
    // A CR that ended the previous chunk may be half of a CRLF.
    let start = afterCr && bytes[0] === LF ? 1 : 0;
    let lf = bytes.indexOf(LF, start);
    let cr = bytes.indexOf(CR, start);
    afterCr = false;

    while (lf !== -1 || cr !== -1) {
      const end = cr === -1 || (lf !== -1 && lf < cr) ? lf : cr;
      number += 1;
      yield decode(bytes.subarray(start, end), number);

      start = end + 1;
      if (end === cr && bytes[start] === LF) start += 1;
      else if (end === cr && start === bytes.length) afterCr = true;
      if (lf !== -1 && lf < start) lf = bytes.indexOf(LF, start);
      if (cr !== -1 && cr < start) cr = bytes.indexOf(CR, start);
    }
    rest = bytes.subarray(start);
  }

  if (rest.length > 0) yield decode(rest, number + 1);
}

/** Decodes one line's bytes; names the line and the first bad byte. */
function decodeLine(
  decoder: TextDecoder,
  bytes: Uint8Array,
  source: string,
  number: number,
): string {
  try {
    return decoder.decode(bytes);
  } catch {
    const at = firstInvalidByte(bytes);
    const hex = (bytes[at] ?? 0).toString(16).toUpperCase().padStart(2, '0');
    throw new FileFormatError(
      source,
      number,
      `not valid UTF-8: byte 0x${hex} at byte ${at + 1} of the line; ` +
        'save the text as UTF-8',
    );
  }
}

/**
 * Offset of the first byte that does not begin a well-formed UTF-8
 * sequence (RFC 3629: no overlong forms, no surrogates, nothing above
 * U+10FFFF); `bytes.length` when all of them do.
 */
export function firstInvalidByte(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const lead = bytes[i] ?? 0;
    const length = sequenceLength(lead);
    if (length === 0) return i;

    // The second byte's range depends on the lead byte.
    let low = lead === 0xe0 ? 0xa0 : lead === 0xf0 ? 0x90 : 0x80;
    let high = lead === 0xed ? 0x9f : lead === 0xf4 ? 0x8f : 0xbf;
    for (let k = 1; k < length; k += 1) {
      const next = bytes[i + k];
      if (next === undefined || next < low || next > high) return i;
      low = 0x80;
      high = 0xbf;
    }
    i += length;
  }
  return bytes.length;
}

/** Bytes in the sequence `lead` begins; 0 when it cannot begin one. */
function sequenceLength(lead: number): number {
  if (lead < 0x80) return 1;
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 0;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const joined = new Uint8Array(a.length + b.length);
  joined.set(a);
  joined.set(b, a.length);
  return joined;
}

/** Fails early, with a clear message, on a missing file or a folder. */
async function checkReadable(file: string): Promise<void> {
  try {
    const info = await stat(file);
    if (!info.isFile()) {
      throw new FileFormatError(file, undefined, 'is not a regular file');
    }
  } catch (err) {
    if (err instanceof AppError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new AppError(ErrorCode.NotFound, `${file}: no such file`, {
        file,
      });
    }
    throw new AppError(
      ErrorCode.BadFile,
      `${file}: cannot be read`,
      { file },
      {
        cause: err,
      },
    );
  }
}
