import express from 'express';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';

import { defineRoute } from '../../../src/http/api-route.js';
import type { RouterMount } from '../../../src/http/router-mount.js';
import { removeDir, saveTestModel, tempDir } from '../service/fixtures.js';
import { startTestServer, type TestServer } from './http-fixture.js';
import { documentedRoutes, servedRoutes } from './served-routes.js';

/** The parts of openapi.json the tests read. */
const openApi = z.object({
  openapi: z.string(),
  paths: z.record(z.string(), z.record(z.string(), z.unknown())),
  components: z.object({
    schemas: z.record(z.string(), z.record(z.string(), z.unknown())),
  }),
});

/** Routes a training part and a review page might add. */
const extraMounts: RouterMount[] = [
  {
    path: '/v1',
    routes: [
      defineRoute({
        method: 'post',
        path: '/train',
        summary: 'Start a training job',
        body: z.strictObject({ epochs: z.number().int().min(1) }),
        responses: { 202: { description: 'Queued' } },
        handle: ({ body }) => ({ status: 202, body: { epochs: body.epochs } }),
      }),
    ],
  },
  {
    path: '/review',
    router: express.Router().get('/', (_req, res) => {
      res.type('html').send('<p>review</p>');
    }),
    paths: {
      '/review': {
        get: {
          summary: 'The review page',
          responses: { 200: { description: 'HTML' } },
        },
      },
    },
  },
];

describe('operational endpoints', () => {
  let modelDir: string;
  const servers: TestServer[] = [];
  const start = async (options: Parameters<typeof startTestServer>[1] = {}) => {
    const server = await startTestServer(modelDir, options);
    servers.push(server);
    return server;
  };

  beforeAll(async () => {
    modelDir = await saveTestModel(tempDir('ops-model'));
  });
  afterAll(() => removeDir(modelDir));
  afterEach(async () => {
    for (const server of servers.splice(0)) await server.close();
  });

  it('is live at once and ready only once the model and index load', async () => {
    const server = await start({ unstarted: true });

    expect((await server.request('GET', '/healthz')).body).toEqual({
      status: 'ok',
    });
    // Probes may add a query string; it is ignored, not refused.
    expect((await server.request('GET', '/healthz?probe=1')).status).toBe(200);
    const problem = server.schemas.problem;
    const early = await server.call(problem, 'GET', '/readyz');
    expect(early.status).toBe(503);
    expect(early.body.code).toBe('not_ready');
    const search = await server.call(problem, 'POST', '/v1/search', {
      text: 'a',
    });
    expect(search.status).toBe(503);

    await server.service.start();

    const ready = await server.request('GET', '/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({
      status: 'ready',
      model_version: 'test',
      index_size: 0,
    });
  });

  it('exposes request latency, index size, model version and process metrics', async () => {
    const server = await start();
    await server.request('POST', '/v1/items', { text: 'a question ?' });
    await server.request('GET', '/v1/items/1');
    await server.request('GET', '/v1/items/2');

    const reply = await server.request('GET', '/metrics');

    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = String(reply.body);
    expect(text).toMatch(
      /http_request_duration_seconds_count\{route="\/v1\/items",method="POST",status="201"\} 1/,
    );
    expect(text).toMatch(
      /http_request_duration_seconds_count\{route="\/v1\/items\/:id",method="GET",status="404"\} 1/,
    );
    expect(text).toMatch(/^dedup_index_items 1$/m);
    expect(text).toMatch(/^dedup_index_search_ef 100$/m);
    expect(text).toMatch(/^dedup_model_info\{version="test"\} 1$/m);
    expect(text).toMatch(/^dedup_items\{state="live"\} 1$/m);
    expect(text).toMatch(/^process_cpu_seconds_total /m);
  });

  it('documents every route it serves in openapi.json', async () => {
    const server = await start({ routers: extraMounts });

    const reply = await server.call(openApi, 'GET', '/openapi.json');

    expect(reply.status).toBe(200);
    const doc = reply.body;
    expect(doc.openapi).toBe('3.1.0');
    const documented = documentedRoutes(doc.paths);
    const served = servedRoutes(server.app);
    expect(served.length).toBeGreaterThan(12);
    expect(new Set(served)).toEqual(new Set(documented));
    expect(served).toContain('post /v1/train');
    expect(served).toContain('get /review');
  });

  it('serves the mounted routers with validation', async () => {
    const server = await start({ routers: extraMounts });

    const ok = await server.request('POST', '/v1/train', { epochs: 2 });
    const bad = await server.call(server.schemas.problem, 'POST', '/v1/train', {
      epochs: 0,
    });
    const page = await server.request('GET', '/review');

    expect(ok).toMatchObject({ status: 202, body: { epochs: 2 } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors?.[0]?.field).toBe('epochs');
    expect(page.body).toBe('<p>review</p>');
  });

  it('describes request bodies and responses by reference', async () => {
    const server = await start();
    const doc = (await server.call(openApi, 'GET', '/openapi.json')).body;

    expect(doc.paths['/v1/items']?.post).toMatchObject({
      requestBody: {
        content: {
          'application/json': {
            schema: { $ref: '#/components/schemas/NewItem' },
          },
        },
      },
      responses: {
        '400': {
          content: {
            'application/problem+json': {
              schema: { $ref: '#/components/schemas/Problem' },
            },
          },
        },
      },
    });
    expect(doc.components.schemas.NewItem).toMatchObject({
      additionalProperties: false,
      properties: { text: { maxLength: server.config.MAX_TEXT_CHARS } },
    });
    const list = z
      .object({ parameters: z.array(z.object({ name: z.string() })) })
      .parse(doc.paths['/v1/pairs']?.get);
    expect(list.parameters.map((p) => p.name)).toEqual([
      'limit',
      'offset',
      'after',
      'label',
      'source',
      'who',
    ]);
  });

  it('renders the routes as an HTML page with nothing external', async () => {
    const server = await start();

    const reply = await server.request('GET', '/docs');

    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toMatch(/^text\/html/);
    const html = String(reply.body);
    for (const path of ['/v1/items/{id}', '/v1/search', '/v1/pairs/batch']) {
      expect(html).toContain(`<code>${path}</code>`);
    }
    expect(html).not.toMatch(/<script|https?:\/\/(?!json-schema)/);
  });

  it('echoes a sane X-Request-Id and makes one up otherwise', async () => {
    const server = await start();

    const given = await server.request('GET', '/healthz', undefined, {
      'x-request-id': 'abc-123',
    });
    const odd = await server.call(
      server.schemas.problem,
      'GET',
      '/v1/items/99',
      undefined,
      { 'x-request-id': 'has spaces <and> more' },
    );
    const none = await server.request('GET', '/healthz');

    expect(given.headers.get('x-request-id')).toBe('abc-123');
    const made = odd.headers.get('x-request-id');
    expect(made).toMatch(/^[0-9a-f-]{36}$/);
    expect(odd.body.request_id).toBe(made);
    expect(none.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('limits requests per minute with 429 rate_limited', async () => {
    const server = await start({ env: { RATE_LIMIT_PER_MINUTE: '3' } });

    const statuses = [];
    for (let i = 0; i < 4; i++) {
      statuses.push((await server.request('GET', '/v1/pairs')).status);
    }
    const limited = await server.call(
      server.schemas.problem,
      'GET',
      '/v1/pairs',
    );

    expect(statuses).toEqual([200, 200, 200, 429]);
    expect(limited.body.code).toBe('rate_limited');
    expect((await server.request('GET', '/healthz')).status).toBe(200);
  });

  it('sends security headers that keep the page working over plain HTTP', async () => {
    const server = await start();

    const res = await server.request('GET', '/healthz');
    const policy = res.headers.get('content-security-policy') ?? '';

    expect(policy).toMatch(/default-src 'self'/);
    expect(policy).toMatch(/script-src 'self'/);
    expect(policy).not.toMatch(/upgrade-insecure-requests/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('sends CORS headers only to configured origins', async () => {
    const server = await start({
      env: { CORS_ORIGINS: 'https://desk.example' },
    });

    const allowed = await server.request('GET', '/healthz', undefined, {
      origin: 'https://desk.example',
    });
    const other = await server.request('GET', '/healthz', undefined, {
      origin: 'https://evil.example',
    });

    expect(allowed.headers.get('access-control-allow-origin')).toBe(
      'https://desk.example',
    );
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });
});
