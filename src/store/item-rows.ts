/** Item rows as SQLite returns them, and their conversion to {@link Item}. */
import { AppError, ErrorCode } from '../errors/app-error.js';
import type { Item, NewItem } from './item-types.js';

/** Columns selected for an item, in the order {@link ItemRow} lists them. */
export const ITEM_COLUMNS =
  'id, external_id, text, metadata, created_at, deleted_at';

/** One `items` row. */
export interface ItemRow {
  id: number;
  external_id: string | null;
  text: string;
  metadata: string | null;
  created_at: string;
  deleted_at: string | null;
}

/** Converts a row to the public shape. */
export function itemFromRow(row: ItemRow): Item {
  return {
    id: row.id,
    externalId: row.external_id,
    text: row.text,
    metadata:
      row.metadata === null
        ? null
        : (JSON.parse(row.metadata) as Record<string, unknown>),
    createdAt: row.created_at,
    deletedAt: row.deleted_at,
  };
}

/** Bind values for inserting `item`, checked; `where` names it in errors. */
export function itemInsertValues(
  item: NewItem,
  createdAt: string,
  where: string,
): [string | null, string, string | null, string] {
  if (typeof item.text !== 'string' || item.text.length === 0) {
    throw new AppError(
      ErrorCode.BadInput,
      `${where}: text must be a non-empty string`,
    );
  }

  const metadata = item.metadata ?? null;
  if (metadata !== null && !isPlainObject(metadata)) {
    throw new AppError(
      ErrorCode.BadInput,
      `${where}: metadata must be a JSON object or null`,
    );
  }

  const json = metadata === null ? null : JSON.stringify(metadata);
  return [item.externalId ?? null, item.text, json, createdAt];
}

function isPlainObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
