/**
 * Tells which layout a data file uses: first from its extension, then,
 * for an unknown extension, from its first line.
 */
import path from 'node:path';

/** Layouts with named columns or fields. */
export type TableFormat = 'tsv' | 'csv' | 'jsonl';

/** Every layout a reader understands; `text` is one item per line. */
export type FileFormat = TableFormat | 'text';

const BY_EXTENSION: ReadonlyMap<string, FileFormat> = new Map([
  ['.tsv', 'tsv'],
  ['.tab', 'tsv'],
  ['.csv', 'csv'],
  ['.jsonl', 'jsonl'],
  ['.ndjson', 'jsonl'],
  ['.json', 'jsonl'],
  ['.txt', 'text'],
]);

/** The format its extension names, or undefined for an unknown one. */
export function formatFromExtension(file: string): FileFormat | undefined {
  return BY_EXTENSION.get(path.extname(file).toLowerCase());
}

/**
 * Guesses a table format from the first non-blank line: a JSON object
 * means JSON Lines, a tab means TSV, a comma means CSV. Undefined when
 * none of these holds.
 */
export function sniffFormat(firstLine: string): TableFormat | undefined {
  if (firstLine.trimStart().startsWith('{')) return 'jsonl';
  if (firstLine.includes('\t')) return 'tsv';
  if (firstLine.includes(',')) return 'csv';
  return undefined;
}
