/**
 * Works out from a header which kind of pair file it is and which column
 * holds what. The column names are those of the files in shared/data.
 */
import { FileFormatError } from '../errors/app-error.js';
import type { PairKind } from './pair-types.js';

/** Which column feeds which pair field; undefined for an absent one. */
export interface PairLayout {
  /** Kind of the file. */
  kind: PairKind;
  /** Column of the first text. */
  a: string;
  /** Column of the second text. */
  b: string;
  /** Column of the pair id. */
  id: string | undefined;
  /** Column of the 0/1 label (binary and ranking files). */
  label: string | undefined;
  /** Column of the graded score. */
  score: string | undefined;
  /** Column of the SICK entailment class. */
  entailment: string | undefined;
  /** Column of the query id (ranking files). */
  group: string | undefined;
  /** Column of the search engine's rank (ranking files). */
  rank: string | undefined;
}

/** The layouts a pair file may have, for messages. */
export const PAIR_HEADERS =
  'a header naming its columns: "id a b label", "id a b score", ' +
  '"id a b score entailment" or ' +
  '"query_id candidate_id search_rank query candidate label"';

const KNOWN = new Set([
  'id',
  'a',
  'b',
  'label',
  'score',
  'entailment',
  'query_id',
  'candidate_id',
  'search_rank',
  'query',
  'candidate',
]);

/**
 * The layout of a pair file with these `columns` (lower case). `line` is
 * the header's line, for errors. Unknown extra columns are ignored.
 */
export function choosePairLayout(
  file: string,
  line: number,
  columns: readonly string[],
): PairLayout {
  const has = new Set(columns);
  const need = (name: string): string => {
    if (has.has(name)) return name;
    const known = columns.some((column) => KNOWN.has(column));
    const what = known
      ? `missing column '${name}'`
      : 'the first line names none of the known columns';
    throw new FileFormatError(
      file,
      line,
      `${what}: expected ${PAIR_HEADERS}; found ${preview(columns)}`,
    );
  };
  const optional = (name: string): string | undefined =>
    has.has(name) ? name : undefined;

  if (has.has('query_id') || has.has('query') || has.has('candidate')) {
    return {
      kind: 'ranking',
      group: need('query_id'),
      a: need('query'),
      b: need('candidate'),
      label: need('label'),
      id: optional('candidate_id'),
      rank: optional('search_rank'),
      score: undefined,
      entailment: undefined,
    };
  }

  const a = need('a');
  const b = need('b');
  if (has.has('label') && has.has('score')) {
    throw new FileFormatError(
      file,
      line,
      "has both a 'label' and a 'score' column; keep the one to evaluate",
    );
  }

  const base = { a, b, id: optional('id'), group: undefined, rank: undefined };
  if (has.has('score')) {
    return {
      ...base,
      kind: 'graded',
      score: 'score',
      entailment: optional('entailment'),
      label: undefined,
    };
  }
  return {
    ...base,
    kind: 'binary',
    label: need('label'),
    score: undefined,
    entailment: undefined,
  };
}

/** The first few column names, shortened, for a message. */
function preview(columns: readonly string[]): string {
  const shown = columns
    .slice(0, 6)
    .map((name) => (name.length > 30 ? `${name.slice(0, 27)}...` : name));
  const more = columns.length > 6 ? ', ...' : '';
  return `${shown.join(', ')}${more}`;
}
