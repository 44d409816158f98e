/**
 * Reads a text file one line at a time, so large pair and item files are
 * never held whole in memory. Accepts a UTF-8 byte-order mark and both
 * LF and CRLF line endings.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import readline from 'node:readline';

import { AppError, ErrorCode, FileFormatError } from '../errors/app-error.js';

/** One line of a text file, without its line ending. */
export interface TextLine {
  /** 1-based line number. */
  number: number;
  /** The line's text; the byte-order mark is removed from line 1. */
  text: string;
}

/**
 * Yields the lines of `file` in order. Throws an `AppError` with code
 * `not_found` when the file does not exist, and a `FileFormatError` when
 * the path is not a regular file.
 */
export async function* readTextLines(file: string): AsyncGenerator<TextLine> {
  await checkReadable(file);

  const input = createReadStream(file, { encoding: 'utf8' });
  const lines = readline.createInterface({ input, crlfDelay: Infinity });
  let number = 0;

  try {
    for await (const raw of lines) {
      number += 1;
      const text = number === 1 ? raw.replace(/^\uFEFF/, '') : raw;
      yield { number, text };
    }
  } finally {
    lines.close();
    input.destroy();
  }
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
