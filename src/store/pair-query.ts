/** SQL conditions for pair filters and cursors. */
import { AppError, ErrorCode } from '../errors/app-error.js';
import { checkedId } from './paging.js';
import type { PairFilter } from './pair-types.js';

/** A WHERE clause (possibly empty) and its bind values. */
export interface WhereClause {
  /** `WHERE ...` or the empty string. */
  sql: string;
  /** Values for the clause's placeholders, in order. */
  params: (string | number)[];
}

/** Builds the WHERE clause for `filter`, plus `id > after` if given. */
export function pairWhere(filter: PairFilter, after?: number): WhereClause {
  const terms: string[] = [];
  const params: (string | number)[] = [];

  if (filter.label !== undefined) {
    if (filter.label !== 0 && filter.label !== 1) {
      throw new AppError(
        ErrorCode.BadInput,
        `label filter must be 0 or 1; got ${String(filter.label)}`,
      );
    }
    terms.push('label = ?');
    params.push(filter.label);
  }
  if (filter.source !== undefined) {
    terms.push('source = ?');
    params.push(filter.source);
  }
  if (filter.who !== undefined) {
    terms.push('who = ?');
    params.push(filter.who);
  }
  if (after !== undefined) {
    terms.push('id > ?');
    params.push(checkedId('after', after));
  }

  const sql = terms.length === 0 ? '' : `WHERE ${terms.join(' AND ')}`;
  return { sql, params };
}
