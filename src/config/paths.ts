/**
 * Locations inside the installed project. Computed from this file's own
 * place so they hold both under `src/` (tests) and `dist/` (built code).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project root: the folder holding package.json. */
export const projectRoot = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../..',
);

/** The model shipped with the repository, used when none is given. */
export const defaultModelDir = path.join(projectRoot, 'models', 'default');

/** Where derived caches (word-vector binaries) live unless configured. */
export const cacheDir = path.join(projectRoot, '.cache');

/** The public pair data sets, beside the checkout. */
export const sharedDataDir = path.resolve(projectRoot, '..', 'shared', 'data');
