/**
 * Starting worker threads on entry files that are either built
 * JavaScript under dist/ or TypeScript under src/ (tests, `tsx`). A
 * TypeScript entry needs the tsx loader registered inside the thread
 * first, since worker threads ignore `--import` for their entry file.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The extension this code runs from: `.ts` from sources, else `.js`. */
export const sourceExtension = path.extname(fileURLToPath(import.meta.url));

/** True when running from TypeScript sources rather than dist/. */
export const fromSources = sourceExtension === '.ts';

/** The sibling module `name` (no extension) of the module at `url`. */
export function siblingFile(url: string, name: string): string {
  return path.join(path.dirname(fileURLToPath(url)), name + sourceExtension);
}

/**
 * What to pass to `new Worker()` to start `file`: the file itself when
 * built, else a small script that registers tsx and then imports it.
 */
export function threadStart(file: string): {
  entry: string | URL;
  eval: boolean;
} {
  const entry = pathToFileURL(file);
  if (!fromSources) return { entry, eval: false };
  // tsx's ESM API sits beside the CommonJS file `require` resolves to.
  const cjs = createRequire(import.meta.url).resolve('tsx/esm/api');
  const api = pathToFileURL(path.join(path.dirname(cjs), 'index.mjs'));
  const script =
    `import(${JSON.stringify(api.href)})` +
    '.then((tsx) => { tsx.register(); ' +
    `return import(${JSON.stringify(entry.href)}); })`;
  return { entry: script, eval: true };
}
