/**
 * The manifest saved beside an index file: which model's vectors the
 * graph holds, their length, how many entries are live, which labels are
 * deleted, and the sha256 of the graph file, so that a stale, foreign or
 * damaged index is refused instead of searched.
 */
import { readFile } from 'node:fs/promises';

import { z } from 'zod';

/** Version of the manifest layout; bump when it changes. */
export const MANIFEST_FORMAT = 1;

const manifestSchema = z.object({
  format: z.literal(MANIFEST_FORMAT),
  modelVersion: z.string().min(1),
  dim: z.number().int().positive(),
  space: z.literal('l2'),
  count: z.number().int().nonnegative(),
  deletedIds: z.array(z.number().int().nonnegative()),
  checksum: z.string().regex(/^[0-9a-f]{64}$/),
  createdAt: z.string().min(1),
});

/** What a saved index says about itself. */
export interface IndexManifest {
  /** Layout version, {@link MANIFEST_FORMAT}. */
  format: typeof MANIFEST_FORMAT;
  /** Model version whose vectors the graph holds. */
  modelVersion: string;
  /** Vector length. */
  dim: number;
  /** Distance space; always squared Euclidean. */
  space: 'l2';
  /** Live (searchable) entries. */
  count: number;
  /** Labels marked deleted but still in the graph, ascending. */
  deletedIds: number[];
  /** sha256 of the graph file, hex. */
  checksum: string;
  /** When it was saved, ISO-8601 UTC. */
  createdAt: string;
}

/** A manifest, or why none could be read. */
export type ManifestRead =
  | { ok: true; manifest: IndexManifest }
  | { ok: false; reason: string; missing: boolean };

/** Reads and validates the manifest at `file`; never throws. */
export async function readManifest(file: string): Promise<ManifestRead> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
    return {
      ok: false,
      missing,
      reason: `cannot read ${file}: ${String(err)}`,
    };
  }

  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return { ok: false, missing: false, reason: `bad JSON: ${String(err)}` };
  }

  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .map((issue) => `${issue.path.join('.')}: ${issue.message}`)
      .join('; ');
    return { ok: false, missing: false, reason: `bad manifest: ${issues}` };
  }
  return { ok: true, manifest: parsed.data };
}
