/**
 * Shared set-up of the service and HTTP tests: a small real model saved
 * to a temp folder, a configuration pointing at a fresh DATA_DIR, and a
 * deterministic stand-in encoder for model swaps (two real encoders
 * cannot live in one process while their weights share names).
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { loadConfig, type Config } from '../../../src/config/config.js';
import { SiameseEncoder } from '../../../src/encoder/siamese-encoder.js';
import type { SentenceEncoder } from '../../../src/encoder/types.js';

/** Version label of the test model. */
export const TEST_MODEL_VERSION = 'test';

/** Makes a temp folder named after `prefix`. */
export function tempDir(prefix: string): string {
  return mkdtempSync(path.join(os.tmpdir(), `siamese-${prefix}-`));
}

/** Removes a temp folder and everything in it. */
export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/**
 * Saves a small untrained model (16 units, 16-d output) to `dir` and
 * returns `dir`. Untrained, it still maps equal texts to equal vectors.
 */
export async function saveTestModel(dir: string): Promise<string> {
  const encoder = await SiameseEncoder.create({ units: 16, projection: 16 }, 1);
  encoder.version = TEST_MODEL_VERSION;
  encoder.save(dir);
  encoder.dispose();
  return dir;
}

/** Settings for a test: fresh DATA_DIR, the test model, no seed. */
export function testConfig(
  dataDir: string,
  modelDir: string,
  env: Record<string, string> = {},
): Config {
  return loadConfig({
    DATA_DIR: dataDir,
    MODEL_DIR: modelDir,
    SEED_CORPUS: '',
    INDEX_SAVE_SECONDS: '0',
    TF_BACKEND: 'auto',
    ...env,
  });
}

/**
 * A stand-in encoder: each text's vector comes from a hash of its
 * words, so equal texts meet at energy 0 and texts sharing words are
 * near. Counts the texts it embedded and whether it was disposed.
 */
export class HashingEncoder implements SentenceEncoder {
  readonly dim = 8;
  readonly threshold = 0.3;
  readonly margin = 2;
  embedded = 0;
  disposed = false;

  /** `delayMs` (default 0) makes every embed call wait that long. */
  constructor(
    readonly version: string,
    private readonly delayMs = 0,
  ) {}

  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    this.embedded += texts.length;
    if (this.delayMs > 0) await sleep(this.delayMs);
    return texts.map((text) => this.vector(text));
  }

  dispose(): void {
    this.disposed = true;
  }

  private vector(text: string): Float32Array {
    const out = new Float32Array(this.dim);
    const words = text.toLowerCase().split(/\s+/u).filter(Boolean);
    for (const word of words) {
      const hash = createHash('sha256').update(word).digest();
      for (let i = 0; i < this.dim; i++) {
        out[i] = (out[i] ?? 0) + ((hash[i] ?? 0) / 255 - 0.5);
      }
    }
    const norm = Math.hypot(...out) || 1;
    return out.map((x) => x / norm);
  }
}
