/**
 * Tells whether two paths name the same file, however they are spelled:
 * through `..`, a symbolic link, a hard link, or a folder that does not
 * exist yet. Commands that read one file and write others use it to
 * refuse to overwrite their own input or to write two outputs into one.
 */
import fs from 'node:fs';
import path from 'node:path';

/**
 * A key naming the file `file` refers to: device and inode for an
 * existing file (so hard links match); otherwise the real path of its
 * nearest existing folder followed by the components still missing.
 */
export function fileIdentity(file: string): string {
  const info = statOrUndefined(file);
  if (info !== undefined) return `inode:${info.dev}:${info.ino}`;

  const missing: string[] = [];
  let current = path.resolve(file);
  for (;;) {
    const parent = path.dirname(current);
    missing.unshift(path.basename(current));
    if (parent === current) return `path:${current}`;
    current = parent;
    if (statOrUndefined(current) !== undefined) {
      return `path:${path.join(fs.realpathSync(current), ...missing)}`;
    }
  }
}

/** True when `a` and `b` name the same file; see {@link fileIdentity}. */
export function sameFile(a: string, b: string): boolean {
  return fileIdentity(a) === fileIdentity(b);
}

function statOrUndefined(file: string): fs.Stats | undefined {
  try {
    return fs.statSync(file);
  } catch {
    return undefined;
  }
}
