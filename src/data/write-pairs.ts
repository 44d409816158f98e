/**
 * Saves pairs in the TSV layout of shared/data (one header line, no
 * quoting), e.g. the train and validation parts of a split. The file is
 * written to a temporary name beside the target and renamed over it, so
 * a reader never sees half a file.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

import type { Pair, PairFile, PairKind } from './pair-types.js';

/** Column names written for each kind, as in shared/data. */
const HEADERS: Record<PairKind, readonly string[]> = {
  binary: ['id', 'a', 'b', 'label'],
  graded: ['id', 'a', 'b', 'score'],
  ranking: [
    'query_id',
    'candidate_id',
    'search_rank',
    'query',
    'candidate',
    'label',
  ],
};

/**
 * Writes `pairs` to `file` as TSV in the layout of `pairs.kind`; graded
 * files get an `entailment` column when any pair has one. Tabs and line
 * breaks inside values become single spaces, since the layout has no
 * quoting. Creates missing parent folders; replaces an existing file.
 */
export async function writePairFile(
  file: string,
  pairs: PairFile,
): Promise<void> {
  const text = formatPairFile(pairs);
  const temp = path.join(
    path.dirname(file),
    `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`,
  );

  await mkdir(path.dirname(file), { recursive: true });
  try {
    await writeFile(temp, text, 'utf8');
    await rename(temp, file);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
}

/** The TSV text of a pair file, header first, one pair a line. */
export function formatPairFile(pairs: PairFile): string {
  const entailment =
    pairs.kind === 'graded' &&
    pairs.pairs.some((pair) => pair.entailment !== undefined);
  const header = [
    ...HEADERS[pairs.kind],
    ...(entailment ? ['entailment'] : []),
  ];

  const lines = [header.join('\t')];
  for (const pair of pairs.pairs as readonly Pair[]) {
    const cells = cellsOf(pairs.kind, pair);
    if (entailment) cells.push(pair.entailment ?? '');
    lines.push(cells.map(flatten).join('\t'));
  }
  return `${lines.join('\n')}\n`;
}

/** The values of one pair in the column order of its kind. */
function cellsOf(kind: PairKind, pair: Pair): string[] {
  if (kind === 'ranking') {
    return [
      pair.group ?? '',
      pair.id,
      String(pair.rank ?? ''),
      pair.a,
      pair.b,
      String(pair.label ?? ''),
    ];
  }
  const last = kind === 'graded' ? pair.score : pair.label;
  return [pair.id, pair.a, pair.b, String(last ?? '')];
}

/** One line of text with no tabs: whitespace runs become one space. */
function flatten(value: string): string {
  return /[\t\n\r]/.test(value) ? value.replace(/\s+/g, ' ').trim() : value;
}
