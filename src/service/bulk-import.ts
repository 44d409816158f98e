/**
 * Bulk loading of item and pair files into a service's store. Each file
 * is read twice: first to check every row, then to store it in batches
 * of 512, each batch in one transaction, so a batch that fails leaves
 * nothing of itself behind. A bad row stops the import before anything
 * is written, naming file and line; texts follow the rules of the HTTP
 * API (no control characters other than tab and line breaks, no invalid
 * UTF-8 or unpaired surrogates; see text-characters.ts), and so do
 * external ids (see checkExternalId).
 */
import { existsSync } from 'node:fs';

import { openPairs } from '../data/read-pairs.js';
import { streamItems } from '../data/read-items.js';
import type { Pair } from '../data/pair-types.js';
import { AppError, FileFormatError } from '../errors/app-error.js';
import { holderOf } from '../store/item-store.js';
import type { DedupService } from './dedup-service.js';
import { EMBED_BATCH } from './index-building.js';
import type { IngestInput, PairInput } from './service-types.js';
import { checkExternalId } from './text-rules.js';

/** Progress of an import: rows stored so far, out of `total`. */
export type ImportProgress = (done: number, total: number) => void;

/** Options of the importers. */
export interface ImportOptions {
  /** Rows per transaction (and per forward pass). Default 512. */
  batchSize?: number;
  /** Called after each stored batch. */
  onProgress?: ImportProgress;
}

/** What an import stored. */
export interface ImportResult {
  /** The file read. */
  file: string;
  /** Rows stored. */
  count: number;
}

/**
 * Imports an item file (TSV/CSV with a `text` column, JSONL, or .txt)
 * into a started service: each batch is stored, embedded and indexed;
 * no duplicate lookup is made. An external id repeated in the file or
 * already stored is refused in the checking pass.
 */
export async function importItems(
  service: DedupService,
  file: string,
  options: ImportOptions = {},
): Promise<ImportResult> {
  requireFile(file);
  const read = () =>
    streamItems(file, {
      maxTextLength: service.config.MAX_TEXT_CHARS,
      refuseControls: true,
    });

  // Checking pass: every row, and every external id against the file
  // and the store.
  const seen = new Map<string, number>();
  let total = 0;
  for await (const item of read()) {
    total += 1;
    const id = item.externalId;
    if (id === undefined) continue;
    checkIdOf(file, item.line, id);
    const earlier = seen.get(id);
    if (earlier !== undefined) {
      throw new FileFormatError(
        file,
        item.line,
        `external_id "${id}" already appears on line ${earlier}`,
      );
    }
    const stored = service.items.getByExternalId(id);
    if (stored) {
      throw new FileFormatError(
        file,
        item.line,
        `external_id "${id}" is already used by ${holderOf(stored)}`,
      );
    }
    seen.set(id, item.line);
  }

  const size = options.batchSize ?? EMBED_BATCH;
  let batch: { input: IngestInput; line: number }[] = [];
  let done = 0;
  const flush = async () => {
    await storeBatch(file, batch, (rows) =>
      service.ingest(
        rows.map((row) => row.input),
        { neighbours: false },
      ),
    );
    done += batch.length;
    batch = [];
    options.onProgress?.(done, total);
  };

  for await (const item of read()) {
    batch.push({
      input: {
        text: item.text,
        externalId: item.externalId ?? null,
        metadata: item.metadata ?? null,
      },
      line: item.line,
    });
    if (batch.length >= size) await flush();
  }
  if (batch.length > 0) await flush();
  return { file, count: done };
}

/**
 * Imports a pair file with 0/1 labels (TSV/CSV/JSONL with columns
 * a, b, label) as text pairs with source `import` and the given `who`.
 * A graded file (scores, not labels) is refused.
 */
export async function importPairs(
  service: DedupService,
  file: string,
  who: string | null = null,
  options: ImportOptions = {},
): Promise<ImportResult> {
  requireFile(file);
  const read = async () => {
    const stream = await openPairs(file, {
      maxTextLength: service.config.MAX_TEXT_CHARS,
      refuseControls: true,
    });
    if (stream.kind === 'graded') {
      await stream.pairs.return(undefined);
      throw new FileFormatError(
        file,
        1,
        'the file holds graded scores; import needs 0/1 labels ' +
          '(a label column)',
      );
    }
    return stream.pairs;
  };

  let total = 0;
  for await (const pair of await read()) {
    labelOf(file, pair);
    total += 1;
  }

  const size = options.batchSize ?? EMBED_BATCH;
  let batch: { input: PairInput; line: number }[] = [];
  let done = 0;
  const flush = async () => {
    await storeBatch(file, batch, (rows) =>
      service.addPairs(
        rows.map((row) => row.input),
        { source: 'import', who },
      ),
    );
    done += batch.length;
    batch = [];
    options.onProgress?.(done, total);
  };

  for await (const pair of await read()) {
    batch.push({
      input: {
        a: { text: pair.a },
        b: { text: pair.b },
        label: labelOf(file, pair),
      },
      line: pair.line,
    });
    if (batch.length >= size) await flush();
  }
  if (batch.length > 0) await flush();
  return { file, count: done };
}

/** Stores one batch; a failure names the file and the batch's lines. */
async function storeBatch<T extends { line: number }>(
  file: string,
  rows: T[],
  store: (rows: T[]) => unknown,
): Promise<void> {
  try {
    await store(rows);
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    const first = rows[0]?.line ?? 0;
    const last = rows.at(-1)?.line ?? first;
    throw new AppError(
      err.code,
      `${file}: lines ${first}-${last} were not imported: ${err.message}`,
      { ...err.details, file, line: first },
      { cause: err },
    );
  }
}

function labelOf(file: string, pair: Pair): 0 | 1 {
  if (pair.label === 0 || pair.label === 1) return pair.label;
  throw new FileFormatError(file, pair.line, 'the pair has no 0/1 label');
}

/** The service's rule for external ids, as a file error naming the line. */
function checkIdOf(file: string, line: number, id: string): void {
  try {
    checkExternalId('external_id', id);
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    throw new FileFormatError(file, line, err.message);
  }
}

function requireFile(file: string): void {
  if (!existsSync(file)) {
    throw new FileFormatError(file, undefined, 'no such file');
  }
}
