/**
 * A small RFC 4180 CSV reader over a stream of lines: comma-separated
 * fields, double quotes around fields that hold commas, quotes (doubled)
 * or line breaks. It keeps the line each record starts on, which a
 * general-purpose parser would make awkward to report.
 */
import { FileFormatError } from '../errors/app-error.js';
import type { TextLine } from './text-lines.js';

/** One CSV record and the 1-based line it starts on. */
export interface CsvRecord {
  /** Line of the record's first character. */
  line: number;
  /** Field values, unquoted. */
  fields: string[];
}

/** Parser state carried from one line to the next. */
interface CsvState {
  fields: string[];
  field: string;
  /** Inside a quoted field (which may run on over a line break). */
  quoted: boolean;
  /** Just past the closing quote of a field. */
  closed: boolean;
}

/**
 * Yields the records of the CSV text in `lines`. Empty lines between
 * records are skipped. Throws a `FileFormatError` for text after a
 * closing quote and for a quoted field left open at the end of the file.
 */
export async function* readCsvRecords(
  file: string,
  lines: AsyncIterable<TextLine>,
): AsyncGenerator<CsvRecord> {
  let state: CsvState | undefined;
  let start = 0;

  for await (const { number, text } of lines) {
    if (state === undefined) {
      if (text === '') continue;
      state = { fields: [], field: '', quoted: false, closed: false };
      start = number;
    } else {
      state.field += '\n';
    }

    scanLine(file, number, text, state);
    if (state.quoted) continue;

    state.fields.push(state.field);
    yield { line: start, fields: state.fields };
    state = undefined;
  }

  if (state !== undefined) {
    throw new FileFormatError(
      file,
      start,
      'quoted field is never closed: expected a closing double quote',
    );
  }
}

/** Consumes one line's characters into `state`. */
function scanLine(
  file: string,
  number: number,
  text: string,
  state: CsvState,
): void {
  for (let i = 0; i < text.length; i += 1) {
    const char = text.charAt(i);

    if (state.quoted) {
      if (char !== '"') {
        state.field += char;
      } else if (text.charAt(i + 1) === '"') {
        state.field += '"';
        i += 1;
      } else {
        state.quoted = false;
        state.closed = true;
      }
    } else if (char === ',') {
      state.fields.push(state.field);
      state.field = '';
      state.closed = false;
    } else if (state.closed) {
      throw new FileFormatError(
        file,
        number,
        `unexpected ${JSON.stringify(char)} after a closing quote ` +
          `(column ${i + 1}); expected a comma or the end of the line`,
      );
    } else if (char === '"' && state.field === '') {
      state.quoted = true;
    } else {
      // A quote inside an unquoted field is kept as text, as most
      // spreadsheet exports expect.
      state.field += char;
    }
  }
}
