/**
 * `siamese-dedup import`: bulk-loads item and pair files into DATA_DIR's
 * store. Items are embedded with the active model and indexed; pairs
 * are stored as text pairs with source `import`. Every row is checked
 * before anything is written; then rows go in batches of 512, each in
 * one transaction. Run it while the server is stopped: a running server
 * picks the new items up only when it starts again. Texts follow the
 * rules of the HTTP API (see bulk-import.ts); --who follows the rule
 * for reviewer names.
 */
import type { Command } from 'commander';

import { loadConfig } from '../../config/config.js';
import { AppError, ErrorCode } from '../../errors/app-error.js';
import {
  MAX_REVIEWER_CHARS,
  REVIEWER_PATTERN,
} from '../../review/reviewer-identity.js';
import {
  importItems,
  importPairs,
  type ImportResult,
} from '../../service/bulk-import.js';
import type { DedupService } from '../../service/dedup-service.js';
import {
  openDedupService,
  startDedupService,
} from '../../service/open-service.js';
import { cliLogger } from '../context.js';
import { progressBar } from '../progress.js';

interface ImportFlags {
  items?: string;
  pairs?: string;
  who?: string;
}

/** Registers `import`. */
export function importCommand(program: Command): void {
  program
    .command('import')
    .description('bulk-load item and/or pair files into the store')
    .option(
      '--items <file>',
      "items: TSV/CSV with a 'text' column (optional 'external_id', " +
        "'metadata'), JSONL, or .txt with one text per line",
    )
    .option('--pairs <file>', "labelled pairs: columns 'a', 'b', 'label'")
    .option('--who <name>', 'who labelled the imported pairs (a reviewer name)')
    .action(async (flags: ImportFlags) => {
      if (!flags.items && !flags.pairs) {
        throw new AppError(
          ErrorCode.BadInput,
          'give --items FILE, --pairs FILE, or both',
        );
      }
      if (flags.who !== undefined) checkWho(flags.who);
      const config = loadConfig();
      const logger = cliLogger();

      // Pairs alone need no model; items need the model and index.
      const service = flags.items
        ? await startDedupService(config, { logger, seed: false })
        : openDedupService(config, { logger });
      try {
        if (flags.items) {
          report('items', await withBar('items', flags.items, service));
        }
        if (flags.pairs) {
          report('pairs', await withBar('pairs', flags.pairs, service, flags));
        }
      } finally {
        await service.close();
      }
    });
}

async function withBar(
  kind: 'items' | 'pairs',
  file: string,
  service: DedupService,
  flags: ImportFlags = {},
): Promise<ImportResult> {
  const bar = progressBar(`${kind} {bar} {value}/{total}`);
  let started = false;
  const onProgress = (done: number, total: number) => {
    if (!started) bar.start(total);
    started = true;
    bar.update(done);
  };

  try {
    return kind === 'items'
      ? await importItems(service, file, { onProgress })
      : await importPairs(service, file, flags.who ?? null, { onProgress });
  } finally {
    bar.stop();
  }
}

/**
 * Throws `bad_input` unless `who` is a reviewer name as the review API
 * accepts it (REVIEWER_PATTERN): imported pairs then count under the
 * same names as reviewed ones.
 */
function checkWho(who: string): void {
  if (who.length > MAX_REVIEWER_CHARS) {
    throw new AppError(
      ErrorCode.BadInput,
      `--who is ${who.length} characters long; a reviewer name has at ` +
        `most ${MAX_REVIEWER_CHARS}`,
      { flag: '--who' },
    );
  }
  if (!REVIEWER_PATTERN.test(who)) {
    throw new AppError(
      ErrorCode.BadInput,
      `--who ${JSON.stringify(who)} is not a reviewer name: use 1 to ` +
        `${MAX_REVIEWER_CHARS} ASCII letters, digits, spaces and . _ @ - ` +
        '(no space at either end)',
      { flag: '--who' },
    );
  }
}

function report(kind: string, result: ImportResult): void {
  process.stdout.write(
    `${JSON.stringify({ kind, file: result.file, count: result.count })}\n`,
  );
}
