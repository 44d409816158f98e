/** Pair rows as SQLite returns them, and checks on pairs to store. */
import { AppError, ErrorCode } from '../errors/app-error.js';
import {
  PAIR_SOURCES,
  type NewPair,
  type Pair,
  type PairLabel,
  type PairSide,
  type PairSource,
} from './pair-types.js';

/** Columns selected for a pair, in the order {@link PairRow} lists them. */
export const PAIR_COLUMNS =
  'id, a_item_id, b_item_id, a_text, b_text, label, source, who, ' +
  'pair_key, created_at';

/** One `pairs` row. */
export interface PairRow {
  id: number;
  a_item_id: number | null;
  b_item_id: number | null;
  a_text: string | null;
  b_text: string | null;
  label: PairLabel;
  source: PairSource;
  who: string | null;
  pair_key: string;
  created_at: string;
}

/** Converts a row to the public shape. */
export function pairFromRow(row: PairRow): Pair {
  return {
    id: row.id,
    a: sideFromColumns(row.a_item_id, row.a_text),
    b: sideFromColumns(row.b_item_id, row.b_text),
    label: row.label,
    source: row.source,
    who: row.who,
    pairKey: row.pair_key,
    createdAt: row.created_at,
  };
}

function sideFromColumns(itemId: number | null, text: string | null): PairSide {
  return itemId === null ? { text: text ?? '' } : { itemId };
}

/** Throws `bad_input` naming `where` unless `pair` can be stored. */
export function checkNewPair(pair: NewPair, where: string): void {
  checkSide(pair.a, `${where}.a`);
  checkSide(pair.b, `${where}.b`);

  if ('itemId' in pair.a && 'itemId' in pair.b) {
    if (pair.a.itemId === pair.b.itemId) {
      throw badPair(where, `both sides are item ${pair.a.itemId}`);
    }
  }
  if (pair.label !== 0 && pair.label !== 1) {
    throw badPair(where, `label must be 0 or 1; got ${String(pair.label)}`);
  }
  if (!PAIR_SOURCES.includes(pair.source)) {
    throw badPair(
      where,
      `source must be one of ${PAIR_SOURCES.join(', ')}; ` +
        `got ${String(pair.source)}`,
    );
  }
  const who = pair.who ?? null;
  if (who !== null && (typeof who !== 'string' || who.length === 0)) {
    throw badPair(where, 'who must be a non-empty string or null');
  }
}

function checkSide(side: PairSide, where: string): void {
  const hasItem = 'itemId' in side;
  const hasText = 'text' in side;
  if (hasItem === hasText) {
    throw badPair(where, 'give exactly one of itemId and text');
  }
  if (hasItem && (!Number.isSafeInteger(side.itemId) || side.itemId < 1)) {
    throw badPair(where, `itemId must be a positive integer`);
  }
  if (hasText && (typeof side.text !== 'string' || side.text.length === 0)) {
    throw badPair(where, 'text must be a non-empty string');
  }
}

function badPair(where: string, problem: string): AppError {
  return new AppError(ErrorCode.BadInput, `${where}: ${problem}`);
}
