/**
 * Where the numbered SQL migrations live: `migrations/` at the project
 * root. Computed from this file's place, so it holds both for
 * `src/store/` under vitest and `dist/store/` after the build.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Absolute path of the project's `migrations/` folder. */
export const defaultMigrationsDir = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../migrations',
);
