/**
 * Creates folders without `fs.mkdirSync(dir, { recursive: true })`,
 * which on some file systems never returns: under /proc every mkdir
 * answers ENOENT and Node's recursive walk retries at full CPU forever.
 */
import fs from 'node:fs';
import path from 'node:path';

import { AppError, ErrorCode } from '../errors/app-error.js';

/**
 * Makes sure `dir` is a folder: finds its nearest existing ancestor and
 * creates each missing component below it with one plain mkdir. Throws
 * an `AppError` (`storage_error`) whose `details.reason` says which
 * component could not be made or is not a folder, and why.
 */
export function makeDirectory(dir: string): void {
  const target = path.resolve(dir);
  const missing: string[] = [];
  let current = target;

  for (;;) {
    const info = statOf(target, current);
    if (info !== undefined) {
      if (!info.isDirectory()) {
        throw cannotCreate(target, `${current} is not a folder`);
      }
      break;
    }
    const parent = path.dirname(current);
    if (parent === current) break;
    missing.unshift(current);
    current = parent;
  }

  for (const component of missing) {
    try {
      fs.mkdirSync(component);
    } catch (err) {
      // Another process may have made it in the meantime.
      if (statOf(target, component)?.isDirectory()) continue;
      throw cannotCreate(target, `mkdir ${component} failed with ${why(err)}`);
    }
  }
}

/** What is at `file`, or undefined when nothing (or a file on the way). */
function statOf(target: string, file: string): fs.Stats | undefined {
  try {
    return fs.statSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw cannotCreate(target, `stat ${file} failed with ${why(err)}`);
  }
}

function cannotCreate(dir: string, reason: string): AppError {
  return new AppError(
    ErrorCode.Storage,
    `cannot create the folder ${dir}: ${reason}`,
    { dir, reason },
  );
}

/** `ENOENT (no such file or directory)` for a Node file-system error. */
function why(err: unknown): string {
  const { code, message } = err as NodeJS.ErrnoException;
  if (code === undefined) return message;
  const text = message.replace(/^\w+: /, '').replace(/, \w+ '.*$/, '');
  return `${code} (${text})`;
}
