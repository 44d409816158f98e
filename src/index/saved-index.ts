/**
 * Checks a saved index folder before the native loader sees it: the
 * manifest must be readable, name the expected model version and vector
 * length, and carry the sha256 of the graph file as it is on disk. The
 * native loader trusts its input, so nothing unchecked reaches it.
 */
import path from 'node:path';

import { INDEX_FILE, MANIFEST_FILE, sha256File } from './index-files.js';
import { readManifest, type IndexManifest } from './index-manifest.js';

/** What a loaded index must hold. */
export interface ExpectedIndex {
  /** Model version whose vectors it must hold. */
  modelVersion: string;
  /** Vector length it must have. */
  dim: number;
}

/** A verified saved index, or why it cannot be used. */
export type SavedIndexCheck =
  | { ok: true; manifest: IndexManifest; indexFile: string }
  | { ok: false; reason: string; missing: boolean };

/** Verifies the saved index in `dir` against `expected`; never throws. */
export async function checkSavedIndex(
  dir: string,
  expected: ExpectedIndex,
): Promise<SavedIndexCheck> {
  const read = await readManifest(path.join(dir, MANIFEST_FILE));
  if (!read.ok) return read;
  const { manifest } = read;

  if (manifest.modelVersion !== expected.modelVersion) {
    return mismatch(
      `it holds model version ${manifest.modelVersion}, ` +
        `expected ${expected.modelVersion}`,
    );
  }
  if (manifest.dim !== expected.dim) {
    return mismatch(
      `it holds ${manifest.dim}-d vectors, expected ${expected.dim}`,
    );
  }

  const indexFile = path.join(dir, INDEX_FILE);
  let checksum: string;
  try {
    checksum = await sha256File(indexFile);
  } catch (err) {
    return mismatch(`cannot read ${indexFile}: ${String(err)}`);
  }
  if (checksum !== manifest.checksum) {
    return mismatch(
      `${INDEX_FILE} has sha256 ${checksum}, the manifest says ` +
        `${manifest.checksum}: the file is damaged or from another save`,
    );
  }
  return { ok: true, manifest, indexFile };
}

function mismatch(reason: string): SavedIndexCheck {
  return { ok: false, reason, missing: false };
}
