/**
 * GET /v1/models and POST /v1/models/:version/activate: roll forward to
 * a registered version with no saved index (built on the fly), roll
 * back to the first one (saved index), and refuse version strings that
 * could name a path.
 */
import { request } from 'node:http';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { SiameseEncoder } from '../../../src/encoder/siamese-encoder.js';
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
  WEAK_VERSION,
  type Stack,
} from './queue-fixture.js';

interface ModelList {
  models: { version: string; active: boolean; serving: boolean }[];
}

describe('model versions over HTTP', () => {
  let dir: string;
  let stack: Stack;

  beforeEach(async () => {
    dir = tempDir('models-api');
    const model = await saveWeakModel(path.join(dir, 'weak'));
    stack = await startStack(queueConfig(path.join(dir, 'data'), model));
    await loadCorpus(stack.service, await quoraQuestions(300), []);
    await stack.service.saveIndex();

    const other = await SiameseEncoder.create({ units: 16, projection: 16 }, 7);
    other.version = 'other-1';
    const folder = path.join(stack.config.dataDir, 'models', 'other-1');
    other.save(folder);
    other.dispose();
    stack.service.models.register({
      version: 'other-1',
      path: folder,
      threshold: 0.5,
    });
  });

  afterEach(async () => {
    await stack.close();
    removeDir(dir);
  });

  const activate = (version: string) =>
    fetch(`${stack.http.url}/v1/models/${version}/activate`, {
      method: 'POST',
    });

  it('rolls forward and back while lookups go on', async () => {
    const forward = await activate('other-1');
    expect(forward.status).toBe(200);
    expect(await forward.json()).toMatchObject({
      version: 'other-1',
      active: true,
      serving: true,
    });
    expect(stack.service.status().modelVersion).toBe('other-1');
    const hits = await stack.service.search('how do I learn python', 3);
    expect(hits).toHaveLength(3);

    expect((await activate(WEAK_VERSION)).status).toBe(200);
    const list = await getJson<ModelList>(`${stack.http.url}/v1/models`);
    const active = list.models.filter((m) => m.active);
    expect(active.map((m) => m.version)).toEqual([WEAK_VERSION]);
    expect(stack.service.status().modelVersion).toBe(WEAK_VERSION);
  });

  /**
   * POSTs to the activate path with `version` as written: fetch would
   * resolve a `..` segment before sending, so the server never saw it.
   */
  const activateRaw = (version: string) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const url = new URL(stack.http.url);
      const req = request(
        {
          host: url.hostname,
          port: url.port,
          method: 'POST',
          path: `/v1/models/${version}/activate`,
        },
        (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (body += chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        },
      );
      req.on('error', reject);
      req.end();
    });

  it('refuses bad and unknown versions', async () => {
    for (const bad of ['..', '..%2F..%2Fetc', '%2Fetc%2Fpasswd', '.hidden']) {
      const res = await activateRaw(bad);
      expect(res.status, bad).toBe(400);
      expect((JSON.parse(res.body) as { code: string }).code, bad).toBe(
        'bad_input',
      );
    }
    const missing = await activate('no-such-version');
    expect(missing.status).toBe(404);
    expect(stack.service.status().modelVersion).toBe(WEAK_VERSION);
  });

  it('reports unknown jobs as not found', async () => {
    const res = await fetch(`${stack.http.url}/v1/jobs/no-such-job`);
    expect(res.status).toBe(404);
    const pairs = await quoraPairs(1);
    expect(pairs).toHaveLength(1);
  });
});
