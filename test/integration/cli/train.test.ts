// `siamese-dedup train` on slices of the real Quora data writes a complete
// model folder with a calibrated threshold.
import fs from 'node:fs';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { ensureBuilt, tempDir, trainTiny, type TempDir } from './cli.js';

let temp: TempDir;

beforeAll(async () => {
  ensureBuilt();
  temp = await tempDir();
});

afterAll(async () => {
  await temp.cleanup();
});

interface Manifest {
  format: string;
  version: string;
  threshold: number;
  config: { units: number; projection: number; margin: number };
  weights: { name: string; shape: number[]; offset: number }[];
  training: {
    pairs: number;
    validationPairs: number;
    limit: number;
    bestEpoch: number;
    epochs: { validation: { threshold: number; accuracy: number } }[];
  };
}

describe('train', () => {
  it('writes model.json, weights.bin, a model card and a threshold', async () => {
    const out = path.join(temp.dir, 'models', 'tiny');
    const result = await trainTiny(out);

    expect(result.stderr).toContain(`model written to ${out}`);
    expect(result.code).toBe(0);
    expect(fs.readdirSync(out).sort()).toEqual([
      'MODEL_CARD.md',
      'model.json',
      'weights.bin',
    ]);
    // Nothing half-written stays beside the model.
    expect(fs.readdirSync(path.dirname(out))).toEqual(['tiny']);

    const manifest = JSON.parse(
      fs.readFileSync(path.join(out, 'model.json'), 'utf8'),
    ) as Manifest;
    expect(manifest.format).toBe('siamese-dedup/1');
    expect(manifest.version).toBe('tiny');
    expect(manifest.config).toMatchObject({ units: 8, projection: 8 });

    // The threshold is the validation file's best, and a real energy.
    const best = manifest.training.epochs[manifest.training.bestEpoch - 1];
    expect(manifest.threshold).toBe(best?.validation.threshold);
    expect(manifest.threshold).toBeGreaterThan(0);
    expect(manifest.threshold).toBeLessThan(10);
    expect(best?.validation.accuracy).toBeGreaterThan(0.5);

    // 300 pairs of each file, minus those with a sentence of no known word.
    const skipped = Number(/skipped (\d+)/.exec(result.stderr)?.[1] ?? 0);
    const { pairs, validationPairs, limit } = manifest.training;
    expect(limit).toBe(300);
    expect(pairs + validationPairs + skipped).toBe(600);
    expect(pairs).toBeGreaterThan(290);

    // weights.bin holds exactly the float32 values model.json lists.
    const values = manifest.weights.reduce(
      (n, w) => n + w.shape.reduce((a, b) => a * b, 1),
      0,
    );
    expect(fs.statSync(path.join(out, 'weights.bin')).size).toBe(values * 4);
    expect(manifest.weights.map((w) => w.name)).toContain('fw/recurrent');

    const card = fs.readFileSync(path.join(out, 'MODEL_CARD.md'), 'utf8');
    expect(card).toContain('quora/dev.tsv');
    expect(card).toContain(`energy <= ${manifest.threshold.toFixed(4)}`);
    expect(card).toContain('non-commercial');
  });

  it('adds the lexical branch with --lexical-dim', async () => {
    const out = path.join(temp.dir, 'lexical');
    const result = await trainTiny(out, ['--lexical-dim', '32']);
    expect(result.code).toBe(0);

    const manifest = JSON.parse(
      fs.readFileSync(path.join(out, 'model.json'), 'utf8'),
    ) as Manifest & { config: { lexicalDim: number } };
    expect(manifest.config.lexicalDim).toBe(32);
    expect(manifest.weights.map((w) => w.name)).toEqual(
      expect.arrayContaining(['lexical/bands', 'lexical/scale']),
    );
  });

  it('replaces an existing model only with --force', async () => {
    const out = path.join(temp.dir, 'again');
    const first = await trainTiny(out, ['--seed', '1']);
    expect(first.code).toBe(0);
    const before = fs.readFileSync(path.join(out, 'weights.bin'));

    const refused = await trainTiny(out, ['--seed', '2']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      `--out ${out} holds a model; pass --force to replace it`,
    );
    expect(fs.readFileSync(path.join(out, 'weights.bin'))).toEqual(before);

    const second = await trainTiny(out, ['--seed', '2', '--force']);
    expect(second.code).toBe(0);
    const after = fs.readFileSync(path.join(out, 'weights.bin'));

    expect(after.length).toBe(before.length);
    expect(after.equals(before)).toBe(false);
    expect(fs.readdirSync(temp.dir).filter((n) => n.startsWith('.'))).toEqual(
      [],
    );
  });
});
