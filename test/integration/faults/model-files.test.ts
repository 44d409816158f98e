/**
 * Broken model files never take the service down or replace a working
 * model: activating a version whose folder lost a file, or whose
 * weights were cut short, answers 409 model_invalid naming the file
 * while the previous model keeps serving; a retrain whose candidate
 * cannot be written because the disk is full fails with the cause in
 * the job, leaves no half-written folder and keeps the active model.
 *
 * The full disk is a real one: a tiny tmpfs mounted over
 * DATA_DIR/models, which needs root (CAP_SYS_ADMIN), as CI has. Without
 * it the test fails and says why; it never skips.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { SiameseEncoder } from '../../../src/encoder/siamese-encoder.js';
import type { JobView } from '../../../src/queue/job-view.js';
import {
  getJson,
  loadCorpus,
  queueConfig,
  quoraPairs,
  quoraQuestions,
  removeDir,
  saveWeakModel,
  startStack,
  tempDir,
  waitFor,
  WEAK_VERSION,
  type Stack,
} from '../queue/queue-fixture.js';

interface Problem {
  code: string;
  detail: string;
}

interface ModelList {
  models: { version: string; active: boolean }[];
}

describe('broken model files', () => {
  let dir: string;
  let stack: Stack;
  let mounted: string | undefined;

  beforeEach(async () => {
    dir = tempDir('model-files');
    const model = await saveWeakModel(path.join(dir, 'weak'));
    stack = await startStack(
      queueConfig(path.join(dir, 'data'), model, { RETRAIN_ATTEMPTS: '2' }),
    );
  });

  afterEach(async () => {
    await stack.close();
    if (mounted) execFileSync('umount', [mounted]);
    mounted = undefined;
    removeDir(dir);
  });

  /** Saves and registers a second version; returns its folder. */
  async function registerOther(version: string): Promise<string> {
    const other = await SiameseEncoder.create({ units: 16, projection: 16 }, 7);
    other.version = version;
    const folder = path.join(stack.config.dataDir, 'models', version);
    other.save(folder);
    other.dispose();
    stack.service.models.register({ version, path: folder, threshold: 0.5 });
    return folder;
  }

  const activate = (version: string) =>
    fetch(`${stack.http.url}/v1/models/${version}/activate`, {
      method: 'POST',
    });

  /** Lookups answer with the weak model, which is still the active one. */
  async function expectWeakModelServing(): Promise<void> {
    expect(stack.service.status().modelVersion).toBe(WEAK_VERSION);
    const list = await getJson<ModelList>(`${stack.http.url}/v1/models`);
    const active = list.models.filter((m) => m.active).map((m) => m.version);
    expect(active).toEqual([WEAK_VERSION]);

    const res = await fetch(`${stack.http.url}/v1/search`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'how do I learn python', k: 3 }),
    });
    expect(res.status).toBe(200);
    const { results } = (await res.json()) as { results: unknown[] };
    expect(results).toHaveLength(3);
  }

  it('refuses a version whose folder lost weights.bin', async () => {
    await loadCorpus(stack.service, await quoraQuestions(50), []);
    const folder = await registerOther('lost-weights');
    fs.rmSync(path.join(folder, 'weights.bin'));

    const res = await activate('lost-weights');
    expect(res.status).toBe(409);
    const problem = (await res.json()) as Problem;
    expect(problem.code).toBe('model_invalid');
    expect(problem.detail).toContain('weights.bin is missing');
    expect(problem.detail).toContain(folder);
    await expectWeakModelServing();
  });

  it('refuses a version whose weights were cut short', async () => {
    await loadCorpus(stack.service, await quoraQuestions(50), []);
    const folder = await registerOther('short-weights');
    const weights = path.join(folder, 'weights.bin');
    fs.truncateSync(weights, Math.floor(fs.statSync(weights).size / 2));

    const res = await activate('short-weights');
    expect(res.status).toBe(409);
    const problem = (await res.json()) as Problem;
    expect(problem.code).toBe('model_invalid');
    expect(problem.detail).toMatch(/weights\.bin has \d+ bytes, expected/);
    await expectWeakModelServing();
  });

  it('keeps the active model when the disk fills while a candidate is written', async () => {
    const labels = await quoraPairs(200);
    await loadCorpus(stack.service, await quoraQuestions(300), labels);

    // A filesystem of two pages over the models folder: too small for
    // any candidate's weights.
    const models = path.join(stack.config.dataDir, 'models');
    fs.mkdirSync(models, { recursive: true });
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=8k', 'tmpfs', models]);
    } catch (err) {
      throw new Error(
        'this test mounts a small tmpfs to fill a disk for real and ' +
          `needs root (CAP_SYS_ADMIN): ${(err as Error).message}`,
      );
    }
    mounted = models;

    const res = await fetch(`${stack.http.url}/v1/train`, { method: 'POST' });
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as JobView;
    const done = await waitFor('the job to end', async () => {
      const job = await getJson<JobView>(`${stack.http.url}/v1/jobs/${id}`);
      return job.state === 'completed' || job.state === 'failed'
        ? job
        : undefined;
    });

    expect(done.state).toBe('failed');
    expect(done.error).toMatch(/could not write model to .*no space left/i);
    // Nothing half-written is left behind, not even the temporary folder.
    expect(fs.readdirSync(models)).toEqual([]);
    await expectWeakModelServing();
  });
});
