// `siamese-dedup eval --json` on slices of real binary, graded and ranking
// files: one JSON object with the model's measures and the same measures
// for each lexical baseline, consistent with the vectors `embed` prints.
import fs from 'node:fs';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  dataSlice,
  distance,
  ensureBuilt,
  runCli,
  tempDir,
  trainTiny,
  type TempDir,
} from './cli.js';

let temp: TempDir;
let model: string;
let threshold: number;

beforeAll(async () => {
  ensureBuilt();
  temp = await tempDir();
  model = path.join(temp.dir, 'model');
  const trained = await trainTiny(model);
  if (trained.code !== 0) throw new Error(`train failed: ${trained.stderr}`);
  threshold = (
    JSON.parse(fs.readFileSync(path.join(model, 'model.json'), 'utf8')) as {
      threshold: number;
    }
  ).threshold;
});

afterAll(async () => {
  await temp.cleanup();
});

/** Runs eval --json on `file`; returns the one object it prints. */
async function evalJson(file: string): Promise<Record<string, unknown>> {
  const result = await runCli([
    'eval',
    '--model',
    model,
    '--pairs',
    file,
    '--json',
  ]);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  const lines = result.stdout.split('\n').filter((l) => l !== '');
  expect(lines).toHaveLength(1);
  return JSON.parse(lines[0] as string) as Record<string, unknown>;
}

const BINARY_FIELDS = [
  'n',
  'accuracy',
  'best_accuracy',
  'f1',
  'ap',
  'auc',
  'threshold',
];
const BASELINES = ['jaccard', 'tfidf', 'avg_glove'];

/** Checks `scores` has every field, each a number, rates in [0, 1]. */
function expectMeasures(
  scores: Record<string, unknown>,
  fields: string[],
  n: number,
): void {
  for (const field of fields) {
    const value = scores[field];
    expect(typeof value, field).toBe('number');
    if (field === 'n') expect(value).toBe(n);
    else if (field === 'pearson' || field === 'spearman') {
      expect(Math.abs(value as number), field).toBeLessThanOrEqual(1);
    } else if (field !== 'threshold') {
      expect(value as number, field).toBeGreaterThanOrEqual(0);
      expect(value as number, field).toBeLessThanOrEqual(1);
    }
  }
}

describe('eval --json', () => {
  it('scores a binary file, and agrees with the vectors embed prints', async () => {
    const file = await temp.write(
      'quora.tsv',
      dataSlice('quora/test-a.tsv', 200, 1000),
    );
    const report = await evalJson(file);

    expect(report.kind).toBe('binary');
    expectMeasures(report, BINARY_FIELDS, 200);
    expect(report.threshold).toBe(threshold);
    expect(report.best_accuracy as number).toBeGreaterThanOrEqual(
      report.accuracy as number,
    );
    const baselines = report.baselines as Record<
      string,
      Record<string, unknown>
    >;
    expect(Object.keys(baselines).sort()).toEqual([...BASELINES].sort());
    for (const name of BASELINES) {
      const scores = baselines[name] as Record<string, unknown>;
      expectMeasures(scores, BINARY_FIELDS, 200);
      // Calibrated on the file itself, the threshold is the best one.
      expect(scores.accuracy, name).toBe(scores.best_accuracy);
    }

    // The model's accuracy follows from the energies of its own vectors.
    const rows = fs
      .readFileSync(file, 'utf8')
      .split('\n')
      .slice(1)
      .filter((l) => l !== '')
      .map((l) => l.split('\t'));
    const input = rows.flatMap((r) => [r[1], r[2]]).join('\n');
    const embedded = await runCli(['embed', '--model', model], `${input}\n`);
    const vectors = embedded.stdout
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as number[]);
    expect(vectors).toHaveLength(400);
    let correct = 0;
    rows.forEach((row, i) => {
      const e = distance(
        vectors[2 * i] as number[],
        vectors[2 * i + 1] as number[],
      );
      if ((e <= threshold ? '1' : '0') === row[3]) correct++;
    });
    // Vectors are printed to 6 decimals: allow one pair at the threshold.
    expect(
      Math.abs(correct / 200 - (report.accuracy as number)),
    ).toBeLessThanOrEqual(1 / 200);
  });

  it('scores a graded file with Pearson and Spearman', async () => {
    const file = await temp.write('stsb.tsv', dataSlice('stsb/test.tsv', 200));
    const report = await evalJson(file);

    expect(report.kind).toBe('graded');
    expectMeasures(report, ['n', 'pearson', 'spearman'], 200);
    expect(report).not.toHaveProperty('accuracy');
    const baselines = report.baselines as Record<
      string,
      Record<string, unknown>
    >;
    for (const name of BASELINES) {
      expectMeasures(baselines[name] ?? {}, ['n', 'pearson', 'spearman'], 200);
    }
    // Word overlap tracks STS scores well above chance.
    expect(baselines.tfidf?.spearman as number).toBeGreaterThan(0.3);
  });

  it('scores a SemEval ranking file with MAP and MRR', async () => {
    // 100 rows: the first ten queries with their ten candidates each.
    const file = await temp.write(
      'semeval.tsv',
      dataSlice('semeval2016-3b/dev.tsv', 100),
    );
    const report = await evalJson(file);

    expect(report.kind).toBe('ranking');
    expectMeasures(report, [...BINARY_FIELDS, 'map', 'mrr'], 100);
    const baselines = report.baselines as Record<
      string,
      Record<string, unknown>
    >;
    for (const name of BASELINES) {
      expectMeasures(baselines[name] ?? {}, ['n', 'map', 'mrr'], 100);
    }
    const engine = report.search_engine as { map: number; mrr: number };
    expect(engine.map).toBeGreaterThan(0);
    expect(engine.mrr).toBeLessThanOrEqual(1);
  });
});

describe('report', () => {
  it('refuses a held-out file the model was validated on', async () => {
    const out = path.join(temp.dir, 'EVALUATION.md');
    const result = await runCli(['report', '--model', model, '--out', out]);

    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /the model was trained on \S*quora\/test-a\.tsv; it is not held out/,
    );
    expect(fs.existsSync(out)).toBe(false);
  });
});

describe('eval with bad input', () => {
  const header = 'id\ta\tb\tlabel\n';
  const rows = dataSlice('quora/test-a.tsv', 20, 1000).split('\n').slice(1);

  it('refuses a sentence with no known word, as train does', async () => {
    const file = await temp.write(
      'unknown.tsv',
      `${header}${rows.join('\n')}9\tzzqxj vvbnm\tWhat is that ?\t0\n`,
    );
    const result = await runCli(['eval', '--model', model, '--pairs', file]);

    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      `siamese-dedup: ${file}:22: no word of "zzqxj vvbnm" has a word ` +
        'vector; fix the row or pass --skip-invalid to drop such rows\n',
    );
  });

  it('refuses a file of one label, naming it', async () => {
    const same = rows.map((row) => row.replace(/\t[01]$/, '\t1'));
    const file = await temp.write('ones.tsv', `${header}${same.join('\n')}\n`);
    const result = await runCli(['eval', '--model', model, '--pairs', file]);

    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      `siamese-dedup: ${file}: all 20 pairs are labelled 1; evaluation ` +
        'needs pairs labelled 0 and 1\n',
    );
  });

  it('drops such sentences under --skip-invalid', async () => {
    const file = await temp.write(
      'unknown.tsv',
      `${header}${rows.join('\n')}9\tzzqxj vvbnm\tWhat is that ?\t0\n`,
    );
    const result = await runCli([
      'eval',
      '--model',
      model,
      '--pairs',
      file,
      '--json',
      '--skip-invalid',
    ]);

    expect(result.code).toBe(0);
    expect(result.stderr).toBe(
      'skipped 1 pairs with a sentence of no known word\n',
    );
    expect((JSON.parse(result.stdout) as { n: number }).n).toBe(20);
  });

  it('refuses a file that is not UTF-8, naming the line', async () => {
    const file = path.join(temp.dir, 'latin1.tsv');
    fs.writeFileSync(
      file,
      Buffer.concat([
        Buffer.from(`${header}${rows.slice(0, 3).join('\n')}\n9\tcaf`),
        Buffer.from([0xe9]),
        Buffer.from('\tcoffee\t1\n'),
      ]),
    );
    const result = await runCli(['eval', '--model', model, '--pairs', file]);

    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(
      `siamese-dedup: ${file}:5: not valid UTF-8: byte 0xE9 at byte 6`,
    );
  });
});
