import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

/** The repository root. */
export const repoRoot = path.resolve(here, '../../..');

/** Path of a hand-made fixture in test/fixtures/pair-files. */
export function fixture(name: string): string {
  return path.join(repoRoot, 'test', 'fixtures', 'pair-files', name);
}

/** The public data sets beside the checkout. */
export const sharedDataDir = path.resolve(repoRoot, '..', 'shared', 'data');
