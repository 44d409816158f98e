/**
 * Writes a saved index folder: the graph file, then the manifest that
 * checksums it, each through a temporary name and a rename. A crash
 * leaves the previous save, or a graph that fails the old manifest's
 * checksum and is refused on load; never a half-written file in use.
 */
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';

import {
  commitFile,
  INDEX_FILE,
  MANIFEST_FILE,
  sha256File,
  syncDir,
  tempPathFor,
  writeFileAtomic,
} from './index-files.js';
import { MANIFEST_FORMAT, type IndexManifest } from './index-manifest.js';

/** What the caller knows about the graph it has just written. */
export type GraphFacts = Pick<
  IndexManifest,
  'modelVersion' | 'dim' | 'count' | 'deletedIds'
>;

/**
 * Saves into `dir` (created if needed). `writeGraph` must write the graph
 * to the file it is given, synchronously, and return the facts of that
 * same graph, read in the same turn so that they match it.
 */
export async function writeSavedIndex(
  dir: string,
  writeGraph: (file: string) => GraphFacts,
): Promise<IndexManifest> {
  await mkdir(dir, { recursive: true });
  const indexFile = path.join(dir, INDEX_FILE);
  const temp = tempPathFor(indexFile);

  try {
    const facts = writeGraph(temp);
    const checksum = await sha256File(temp);
    await commitFile(temp, indexFile);

    const manifest: IndexManifest = {
      format: MANIFEST_FORMAT,
      space: 'l2',
      ...facts,
      checksum,
      createdAt: new Date().toISOString(),
    };
    await writeFileAtomic(
      path.join(dir, MANIFEST_FILE),
      `${JSON.stringify(manifest, null, 2)}\n`,
    );
    await syncDir(dir);
    return manifest;
  } finally {
    await rm(temp, { force: true });
  }
}
