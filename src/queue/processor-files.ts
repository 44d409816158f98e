/**
 * Where the retrain processor and the thread entry live, and how to
 * start a process or thread that can load them: built JavaScript under
 * dist/, or TypeScript under src/ (tests, `tsx`), which needs the tsx
 * loader in the new process or thread.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = fileURLToPath(import.meta.url);
const extension = path.extname(here);

/** True when running from TypeScript sources rather than dist/. */
export const fromSources = extension === '.ts';

/** The sandboxed processor file BullMQ workers run. */
export const RETRAIN_PROCESSOR = path.join(
  path.dirname(here),
  `retrain-processor${extension}`,
);

/** The file a worker thread starts in for in-process training. */
export const THREAD_ENTRY = path.join(
  path.dirname(here),
  `thread-entry${extension}`,
);

/** Node options a forked processor needs: the tsx loader from sources. */
export function processorExecArgv(): string[] {
  return fromSources ? ['--import', 'tsx'] : [];
}

/**
 * What to pass to `new Worker()` to start {@link THREAD_ENTRY}: the file
 * itself when built, else a small script that registers tsx first
 * (worker threads ignore `--import` for their entry file).
 */
export function threadStart(): { entry: string | URL; eval: boolean } {
  if (!fromSources) return { entry: pathToFileURL(THREAD_ENTRY), eval: false };
  // tsx's ESM API sits beside the CommonJS file `require` resolves to.
  const cjs = createRequire(import.meta.url).resolve('tsx/esm/api');
  const api = pathToFileURL(path.join(path.dirname(cjs), 'index.mjs'));
  const entry = pathToFileURL(THREAD_ENTRY);
  const script =
    `import(${JSON.stringify(api.href)})` +
    '.then((tsx) => { tsx.register(); ' +
    `return import(${JSON.stringify(entry.href)}); })`;
  return { entry: script, eval: true };
}
