/**
 * Reads item files for bulk import: one text per row. Accepted layouts:
 * TSV or CSV with a header holding a `text` column (and optionally
 * `external_id` and `metadata`, a JSON object), JSON Lines with the same
 * field names, or plain text (.txt) with one text per line and no header.
 */
import { FileFormatError } from '../errors/app-error.js';
import {
  readId,
  readJsonObject,
  readText,
  textRules,
  type FieldPlace,
  type TextRules,
} from './field-checks.js';
import { formatFromExtension } from './file-format.js';
import { type Item, type ItemFile, type ReadOptions } from './pair-types.js';
import { openTable, type TableRow } from './table-reader.js';
import { readTextLines } from './text-lines.js';

const ITEM_HEADER =
  "a header with a 'text' column (optionally 'external_id' and " +
  "'metadata'), or a .txt file with one text per line";

/**
 * Yields the items of `file` one at a time. Blank lines are skipped.
 * Throws a `FileFormatError` (file and 1-based line) for an empty file,
 * a missing `text` column, an empty or too long text, a bad `metadata`
 * value or a malformed JSON line.
 */
export async function* streamItems(
  file: string,
  options: ReadOptions = {},
): AsyncGenerator<Item> {
  const rules = textRules(options);
  let count = 0;
  let after = 1;

  if (formatFromExtension(file) === 'text') {
    for await (const { number, text } of readTextLines(file)) {
      if (text.trim() === '') continue;
      const place = { file, line: number };
      count += 1;
      yield {
        text: readText(place, 'text', text, rules),
        line: number,
      };
    }
  } else {
    const table = await openTable(file, ITEM_HEADER);
    after = table.headerLine + 1;
    if (!table.columns.includes('text')) {
      await table.rows.return(undefined);
      throw new FileFormatError(
        file,
        table.headerLine,
        `missing column 'text': expected ${ITEM_HEADER}; ` +
          `found ${table.columns.join(', ')}`,
      );
    }
    for await (const row of table.rows) {
      count += 1;
      yield toItem({ file, line: row.line }, row, rules);
    }
  }

  if (count === 0) {
    throw new FileFormatError(file, after, `no items; expected ${ITEM_HEADER}`);
  }
}

/** Reads a whole item file; see {@link streamItems}. */
export async function readItems(
  file: string,
  options: ReadOptions = {},
): Promise<ItemFile> {
  const items: Item[] = [];
  for await (const item of streamItems(file, options)) items.push(item);
  return { file, items };
}

/** Checks one row and turns it into an item. */
function toItem(place: FieldPlace, row: TableRow, rules: TextRules): Item {
  const item: Item = {
    text: readText(place, 'text', row.get('text'), rules),
    line: place.line,
  };

  const externalId = readOptionalId(place, row.get('external_id'));
  if (externalId !== undefined) item.externalId = externalId;

  const metadata = readJsonObject(place, 'metadata', row.get('metadata'));
  if (metadata !== undefined) item.metadata = metadata;
  return item;
}

/** An external id; an empty cell means none. */
function readOptionalId(place: FieldPlace, value: unknown): string | undefined {
  if (typeof value === 'string' && value.trim() === '') return undefined;
  return readId(place, 'external_id', value);
}
