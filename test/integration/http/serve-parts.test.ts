import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { ServeParts } from '../../../src/cli/serve-parts.js';
import { createApp } from '../../../src/http/create-app.js';
import { listen, type RunningServer } from '../../../src/http/http-server.js';
import { LATE_PART_RETRY_SECONDS } from '../../../src/http/late-part.js';
import { silentLogger } from '../../../src/logging/logger.js';
import type { DedupService } from '../../../src/service/dedup-service.js';
import { openDedupService } from '../../../src/service/open-service.js';
import {
  removeDir,
  saveTestModel,
  tempDir,
  testConfig,
} from '../service/fixtures.js';
import { documentedRoutes, servedRoutes } from './served-routes.js';

interface Problem {
  code: string;
  detail: string;
}

describe('training and review mounted before they start', () => {
  let modelDir: string;
  let dataDir: string;
  let service: DedupService;
  let parts: ServeParts;
  let running: RunningServer;
  let app: ReturnType<typeof createApp>;

  beforeAll(async () => {
    modelDir = await saveTestModel(tempDir('parts-model'));
  });
  afterAll(() => removeDir(modelDir));

  afterEach(async () => {
    await running.stop(1000);
    await parts.close();
    await service.close();
    removeDir(dataDir);
  });

  async function start(): Promise<string> {
    dataDir = tempDir('parts');
    // No worker: these tests are about mounting, not about retraining.
    const config = testConfig(dataDir, modelDir, { EMBEDDED_WORKER: 'false' });
    const logger = silentLogger();
    service = openDedupService(config, { logger });
    parts = new ServeParts({ service, config, logger });
    app = createApp({ service, config, logger, routers: parts.mounts() });
    running = await listen(app, '127.0.0.1', 0);
    return running.url;
  }

  const get = (url: string, path: string) =>
    fetch(`${url}${path}`, { headers: { 'X-Reviewer': 'parts-test' } });

  it('answers 503 with Retry-After until the parts start, then serves them', async () => {
    const url = await start();

    for (const [path, part] of [
      ['/v1/jobs', 'training'],
      ['/v1/models', 'training'],
      ['/v1/review/next', 'the review queue'],
    ]) {
      const early = await get(url, path ?? '');
      expect(early.status, path).toBe(503);
      expect(early.headers.get('content-type')).toMatch(
        /^application\/problem\+json/,
      );
      expect(early.headers.get('retry-after')).toBe(
        String(LATE_PART_RETRY_SECONDS),
      );
      const problem = (await early.json()) as Problem;
      expect(problem.code).toBe('not_ready');
      expect(problem.detail).toContain(`${part} is starting`);
    }

    await service.start();
    parts.start();

    expect((await get(url, '/v1/jobs')).status).toBe(200);
    expect((await get(url, '/v1/models')).status).toBe(200);
    expect((await get(url, '/v1/review/next')).status).toBe(200);

    await parts.close();
    const late = await get(url, '/v1/review/stats');
    expect(late.status).toBe(503);
    expect(((await late.json()) as Problem).detail).toMatch(/shutting down/);
  });

  it('documents in openapi.json every route it serves', async () => {
    const url = await start();

    const doc = (await (await fetch(`${url}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };

    // The page's script and style sheet come from a static-file
    // middleware, which the router stack does not list as a route.
    const served = servedRoutes(app);
    expect(new Set(documentedRoutes(doc.paths))).toEqual(
      new Set([...served, 'get /review/{file}']),
    );
    expect(served).toEqual(
      expect.arrayContaining([
        'post /v1/train',
        'get /v1/jobs/{id}',
        'post /v1/models/{version}/activate',
        'get /v1/review/next',
        'get /v1/labels/export',
        'get /review',
      ]),
    );
  });
});
