/**
 * Reads labelled pair files: TSV (the layout of shared/data), CSV with a
 * header, or JSON Lines. The kind of file (binary, graded, ranking)
 * follows from its column names; see {@link choosePairLayout}.
 */
import { FileFormatError } from '../errors/app-error.js';
import {
  readId,
  readLabel,
  readNumber,
  readOptionalText,
  readPositiveInteger,
  readText,
  textRules,
  type FieldPlace,
  type TextRules,
} from './field-checks.js';
import {
  choosePairLayout,
  PAIR_HEADERS,
  type PairLayout,
} from './pair-layout.js';
import {
  type BinaryPair,
  type GradedPair,
  type Pair,
  type PairFile,
  type PairKind,
  type RankingPair,
  type ReadOptions,
  type ValueRange,
} from './pair-types.js';
import { openTable, type TableRow } from './table-reader.js';

/** An open pair file: its kind is known, its pairs are still to come. */
export interface PairStream {
  /** Kind of the file, from its header. */
  kind: PairKind;
  /** The pairs, read and checked one row at a time. */
  pairs: AsyncGenerator<Pair>;
}

/**
 * Opens a pair file and reads its header. The pairs are read lazily, so
 * a file of any size streams in constant memory. Throws a
 * `FileFormatError` (file and 1-based line) for an empty file, a missing
 * header or column, and, as the rows are read, for a bad row. The file
 * stays open until `pairs` is read to the end or `pairs.return()` runs
 * (a `for await` loop that breaks early does that).
 */
export async function openPairs(
  file: string,
  options: ReadOptions = {},
): Promise<PairStream> {
  const rules = textRules(options);
  const table = await openTable(file, PAIR_HEADERS);

  let layout: PairLayout;
  try {
    layout = choosePairLayout(file, table.headerLine, table.columns);
  } catch (err) {
    await table.rows.return(undefined);
    throw err;
  }

  return {
    kind: layout.kind,
    pairs: convertRows(file, table.headerLine, table.rows, layout, rules),
  };
}

/** Yields the pairs of `file` one at a time; see {@link openPairs}. */
export async function* streamPairs(
  file: string,
  options: ReadOptions = {},
): AsyncGenerator<Pair> {
  const { pairs } = await openPairs(file, options);
  yield* pairs;
}

/**
 * Reads a whole pair file. Binary and ranking files give 0/1 labels,
 * graded files scores with their range; ranking files also the number of
 * queries. Errors as for {@link openPairs}.
 */
export async function readPairs(
  file: string,
  options: ReadOptions = {},
): Promise<PairFile> {
  const { kind, pairs } = await openPairs(file, options);
  const all: Pair[] = [];
  for await (const pair of pairs) all.push(pair);
  return pairFileOf(kind, file, all);
}

/**
 * A pair file of `kind` holding `pairs` (read from, or kept of, `file`),
 * with what the kind adds: a graded file's score range, a ranking file's
 * number of queries.
 */
export function pairFileOf(
  kind: PairKind,
  file: string,
  pairs: readonly Pair[],
): PairFile {
  // The layout guarantees the fields each kind's pair type promises.
  if (kind === 'binary') {
    return { kind, file, pairs: pairs as BinaryPair[] };
  }
  if (kind === 'ranking') {
    const groups = new Set(pairs.map((pair) => pair.group)).size;
    return { kind, file, pairs: pairs as RankingPair[], groups };
  }

  const graded = pairs as GradedPair[];
  return { kind, file, pairs: graded, scoreRange: scoreRange(graded) };
}

/** Smallest and largest score of graded pairs (of at least one). */
export function scoreRange(pairs: readonly GradedPair[]): ValueRange {
  // A loop, since spreading 100k values into Math.min overflows the stack.
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const { score } of pairs) {
    if (score < min) min = score;
    if (score > max) max = score;
  }
  return { min, max };
}

async function* convertRows(
  file: string,
  headerLine: number,
  rows: AsyncGenerator<TableRow>,
  layout: PairLayout,
  rules: TextRules,
): AsyncGenerator<Pair> {
  // Without a search_rank column a candidate's rank is its place among
  // its query's rows.
  const seen = new Map<string, number>();
  let count = 0;

  for await (const row of rows) {
    const pair = toPair({ file, line: row.line }, row, layout, rules);
    if (pair.group !== undefined && layout.rank === undefined) {
      const rank = (seen.get(pair.group) ?? 0) + 1;
      seen.set(pair.group, rank);
      pair.rank = rank;
    }
    count += 1;
    yield pair;
  }

  if (count === 0) {
    throw new FileFormatError(
      file,
      headerLine + 1,
      'no pairs after the header',
    );
  }
}

/** Checks one row and turns it into a pair. */
function toPair(
  place: FieldPlace,
  row: TableRow,
  layout: PairLayout,
  rules: TextRules,
): Pair {
  const text = (column: string) =>
    readText(place, column, row.get(column), rules);
  const pair: Pair = {
    id: String(place.line),
    a: text(layout.a),
    b: text(layout.b),
    line: place.line,
  };

  if (layout.id !== undefined) {
    pair.id = readId(place, layout.id, row.get(layout.id)) ?? pair.id;
  }
  if (layout.label !== undefined) {
    pair.label = readLabel(place, layout.label, row.get(layout.label));
  }
  if (layout.score !== undefined) {
    pair.score = readNumber(place, layout.score, row.get(layout.score));
  }
  if (layout.entailment !== undefined) {
    const column = layout.entailment;
    const text = readOptionalText(place, column, row.get(column));
    if (text !== undefined) pair.entailment = text;
  }
  if (layout.group !== undefined) {
    pair.group = readId(place, layout.group, row.get(layout.group));
    if (pair.group === undefined) {
      throw new FileFormatError(
        place.file,
        place.line,
        `missing query id in column '${layout.group}'`,
      );
    }
  }
  if (layout.rank !== undefined) {
    pair.rank = readPositiveInteger(place, layout.rank, row.get(layout.rank));
  }
  return pair;
}
