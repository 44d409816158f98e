/**
 * Every label in the pair store as a file: CSV (RFC 4180: comma
 * separated, CRLF line ends, fields holding a comma, quote, line break
 * or edge space quoted with inner quotes doubled) or JSON Lines. Both
 * have the same fields; an empty CSV field is a null.
 */
import { once } from 'node:events';
import type { Writable } from 'node:stream';

import type { PairList, PairView } from '../service/service-types.js';

/** The formats on offer. */
export type ExportFormat = 'csv' | 'jsonl';

/** Media type of each format. */
export const EXPORT_MEDIA_TYPES: Readonly<Record<ExportFormat, string>> = {
  csv: 'text/csv; charset=utf-8',
  jsonl: 'application/x-ndjson; charset=utf-8',
};

/** The exported fields, in column order. */
export const EXPORT_FIELDS = [
  'id',
  'a_id',
  'a',
  'b_id',
  'b',
  'label',
  'source',
  'who',
  'created_at',
] as const;

type ExportRecord = Record<
  (typeof EXPORT_FIELDS)[number],
  string | number | null
>;

/** Pairs read per page while exporting. */
const PAGE = 1000;

/** Reads one page of pairs after the cursor (all from the start). */
export type PairPager = (after: number | undefined, limit: number) => PairList;

/** One CSV field, quoted when it needs to be. */
export function csvField(value: string | number | null): string {
  if (value === null) return '';
  const text = String(value);
  const needsQuotes = /[",\r\n]/.test(text) || /^\s|\s$/.test(text);
  return needsQuotes ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One CSV line, CRLF included. */
export function csvLine(values: readonly (string | number | null)[]): string {
  return `${values.map(csvField).join(',')}\r\n`;
}

/** A pair as an export record. */
export function exportRecord(pair: PairView): ExportRecord {
  return {
    id: pair.id,
    a_id: pair.aItemId,
    a: pair.a,
    b_id: pair.bItemId,
    b: pair.b,
    label: pair.label,
    source: pair.source,
    who: pair.who,
    created_at: pair.createdAt,
  };
}

/** The text of one pair in `format`. */
export function formatPair(pair: PairView, format: ExportFormat): string {
  const record = exportRecord(pair);
  if (format === 'jsonl') return `${JSON.stringify(record)}\n`;
  return csvLine(EXPORT_FIELDS.map((field) => record[field]));
}

/**
 * Writes every pair `pages` yields, oldest first, to `out` in `format`
 * (CSV with a header line), page by page, waiting when `out` is full.
 * Does not end `out`. Returns how many pairs were written; throws when
 * `out` is destroyed (the reader went away) before the end.
 */
export async function writeLabels(
  out: Writable,
  format: ExportFormat,
  pages: PairPager,
): Promise<number> {
  if (format === 'csv') await write(out, csvLine(EXPORT_FIELDS));

  let after: number | undefined;
  let written = 0;
  for (;;) {
    const page = pages(after, PAGE);
    const text = page.pairs.map((pair) => formatPair(pair, format)).join('');
    if (text !== '') await write(out, text);
    written += page.pairs.length;

    if (page.nextAfter === null) return written;
    after = page.nextAfter;
  }
}

/** Writes `text`; stops waiting when the reader goes away. */
async function write(out: Writable, text: string): Promise<void> {
  if (out.destroyed) throw new Error('the reader closed the export');
  if (out.write(text)) return;
  await Promise.race([once(out, 'drain'), once(out, 'close')]);
}
