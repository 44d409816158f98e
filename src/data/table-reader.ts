/**
 * Reads TSV, CSV and JSON Lines files as one kind of thing: a header of
 * column names and rows whose values are looked up by column. The pair
 * and item readers build on it and only check values.
 */
import { FileFormatError } from '../errors/app-error.js';
import { readCsvRecords } from './csv-records.js';
import {
  formatFromExtension,
  sniffFormat,
  type TableFormat,
} from './file-format.js';
import { readTextLines, type TextLine } from './text-lines.js';

/** One data row. */
export interface TableRow {
  /** 1-based line the row starts on. */
  line: number;
  /** The raw value of a column: a string from TSV/CSV, any JSON value
   * from JSON Lines, undefined when the row has no such column. */
  get(column: string): unknown;
}

/** An open table: its header is read, its rows are still to come. */
export interface Table {
  /** Layout of the file. */
  format: TableFormat;
  /** Column names: lower-cased TSV/CSV header, or the keys of the first
   * JSON object. */
  columns: string[];
  /** 1-based line of the header (of the first object for JSON Lines). */
  headerLine: number;
  /** The data rows, read lazily, blank lines skipped. */
  rows: AsyncGenerator<TableRow>;
}

/**
 * Opens `file` as a table. `expected` describes the columns the caller
 * needs and goes into the messages for an empty or unrecognisable file.
 */
export async function openTable(
  file: string,
  expected: string,
): Promise<Table> {
  const lines = readTextLines(file);
  const first = await firstNonBlank(lines);
  if (first === undefined) {
    throw new FileFormatError(file, 1, `file is empty; expected ${expected}`);
  }

  try {
    const format = tableFormat(file, first, expected);
    const all = prepend(first, lines);
    if (format === 'jsonl') return await openJsonLines(file, all);
    if (format === 'csv') {
      return await openDelimited(file, 'csv', csvRows(file, all), expected);
    }
    return await openDelimited(file, 'tsv', tsvRows(all), expected);
  } catch (err) {
    // Close the file now rather than when the generators are collected.
    await lines.return(undefined);
    throw err;
  }
}

/** The table format of `file`, by extension or else by its first line. */
function tableFormat(
  file: string,
  first: TextLine,
  expected: string,
): TableFormat {
  const byName = formatFromExtension(file);
  if (byName !== undefined && byName !== 'text') return byName;

  const sniffed = sniffFormat(first.text);
  if (sniffed !== undefined) return sniffed;
  throw new FileFormatError(
    file,
    first.number,
    'cannot tell the format: use a .tsv, .csv or .jsonl file with ' + expected,
  );
}

/** Raw fields of a TSV or CSV row. */
interface FieldRow {
  line: number;
  fields: string[];
}

async function* tsvRows(
  lines: AsyncIterable<TextLine>,
): AsyncGenerator<FieldRow> {
  for await (const { number, text } of lines) {
    if (text !== '') yield { line: number, fields: text.split('\t') };
  }
}

async function* csvRows(
  file: string,
  lines: AsyncIterable<TextLine>,
): AsyncGenerator<FieldRow> {
  yield* readCsvRecords(file, lines);
}

/** Reads the header of a TSV/CSV file and wraps the remaining rows. */
async function openDelimited(
  file: string,
  format: 'tsv' | 'csv',
  records: AsyncGenerator<FieldRow>,
  expected: string,
): Promise<Table> {
  const head = await records.next();
  if (head.done === true) {
    throw new FileFormatError(file, 1, 'file is empty');
  }

  const headerLine = head.value.line;
  const columns = head.value.fields.map((name) => name.trim().toLowerCase());
  checkHeader(file, headerLine, columns, expected);

  return {
    format,
    columns,
    headerLine,
    rows: delimitedRows(file, format, columns, records),
  };
}

/**
 * Rejects empty and repeated column names; `expected` goes into the
 * message, since a data row in place of the header often causes both.
 */
function checkHeader(
  file: string,
  line: number,
  columns: string[],
  expected: string,
): void {
  const seen = new Set<string>();
  columns.forEach((name, index) => {
    if (name === '') {
      throw new FileFormatError(
        file,
        line,
        `header column ${index + 1} has no name; expected ${expected}`,
      );
    }
    if (seen.has(name)) {
      throw new FileFormatError(
        file,
        line,
        `header repeats column '${name}'; expected ${expected}`,
      );
    }
    seen.add(name);
  });
}

async function* delimitedRows(
  file: string,
  format: 'tsv' | 'csv',
  columns: string[],
  records: AsyncGenerator<FieldRow>,
): AsyncGenerator<TableRow> {
  const position = new Map(columns.map((name, index) => [name, index]));

  for await (const { line, fields } of records) {
    if (fields.length !== columns.length) {
      const hint = format === 'tsv' ? ' (a tab inside a text?)' : '';
      throw new FileFormatError(
        file,
        line,
        `expected ${columns.length} fields (${columns.join(', ')}), ` +
          `found ${fields.length}${hint}`,
      );
    }
    yield {
      line,
      get: (column) => {
        const index = position.get(column);
        return index === undefined ? undefined : fields[index];
      },
    };
  }
}

/** Reads the first object of a JSON Lines file to learn its fields. */
async function openJsonLines(
  file: string,
  lines: AsyncGenerator<TextLine>,
): Promise<Table> {
  const objects = jsonRows(file, lines);
  const head = await objects.next();
  if (head.done === true) {
    throw new FileFormatError(file, 1, 'file is empty');
  }

  const first = head.value;
  return {
    format: 'jsonl',
    columns: first.keys,
    headerLine: first.line,
    rows: prepend(first.row, rowsOnly(objects)),
  };
}

/** A parsed JSON Lines row with its field names. */
interface JsonRow {
  line: number;
  keys: string[];
  row: TableRow;
}

async function* jsonRows(
  file: string,
  lines: AsyncIterable<TextLine>,
): AsyncGenerator<JsonRow> {
  for await (const { number, text } of lines) {
    if (text.trim() === '') continue;

    const value = parseJson(file, number, text);
    const fields = new Map(Object.entries(value));
    yield {
      line: number,
      keys: [...fields.keys()],
      row: { line: number, get: (column) => fields.get(column) },
    };
  }
}

async function* rowsOnly(
  rows: AsyncGenerator<JsonRow>,
): AsyncGenerator<TableRow> {
  for await (const { row } of rows) yield row;
}

/** Parses one JSON Lines line, which must hold a JSON object. */
function parseJson(
  file: string,
  line: number,
  text: string,
): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new FileFormatError(file, line, `malformed JSON: ${reason}`);
  }

  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    const found = Array.isArray(value) ? 'an array' : JSON.stringify(value);
    throw new FileFormatError(
      file,
      line,
      `expected one JSON object per line, found ${found}`,
    );
  }
  return value as Record<string, unknown>;
}

/** The first line that is not blank, or undefined at the end. */
async function firstNonBlank(
  lines: AsyncGenerator<TextLine>,
): Promise<TextLine | undefined> {
  for (;;) {
    const next = await lines.next();
    if (next.done === true) return undefined;
    if (next.value.text.trim() !== '') return next.value;
  }
}

/** `rest`, with `head` yielded first; closing it closes `rest`. */
async function* prepend<T>(
  head: T,
  rest: AsyncGenerator<T>,
): AsyncGenerator<T> {
  try {
    yield head;
    yield* rest;
  } finally {
    await rest.return(undefined);
  }
}
