/** API keys and roles over real HTTP, on the app `serve` builds. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { removeDir, saveTestModel, tempDir } from '../service/fixtures.js';
import { startKeyedStack, type KeyedStack as Stack } from './keyed-stack.js';

interface Problem {
  code: string;
  detail: string;
}

describe('API keys and roles', () => {
  let modelDir: string;
  const stacks: Stack[] = [];

  beforeAll(async () => {
    modelDir = await saveTestModel(tempDir('access-model'));
  });
  afterAll(() => removeDir(modelDir));
  afterEach(async () => {
    for (const stack of stacks.splice(0)) await stack.close();
  });

  async function start(env: Record<string, string> = {}): Promise<Stack> {
    const stack = await startKeyedStack(modelDir, env);
    stacks.push(stack);
    return stack;
  }

  /** Sends a request with `key` (if any) as a Bearer token. */
  function send(
    stack: Stack,
    method: string,
    path: string,
    key?: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Response> {
    const all: Record<string, string> = { ...headers };
    if (key !== undefined) all.Authorization = `Bearer ${key}`;
    if (body !== undefined) all['Content-Type'] = 'application/json';
    return fetch(`${stack.url}${path}`, {
      method,
      headers: all,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }

  const search = { text: 'How do I learn to cook?', k: 1 };

  it('is open over loopback while no key exists', async () => {
    const stack = await start();

    const reply = await send(stack, 'POST', '/v1/search', undefined, search);
    const jobs = await send(stack, 'GET', '/v1/jobs');

    expect(reply.status).toBe(200);
    expect(jobs.status).toBe(200);
  });

  it('answers 401 without a key or with a bad one once a key exists', async () => {
    const stack = await start();
    stack.key('admin');

    for (const key of [undefined, 'sdk_not-a-real-key', '']) {
      const reply = await send(stack, 'POST', '/v1/search', key, search);
      expect(reply.status, String(key)).toBe(401);
      expect(reply.headers.get('content-type')).toMatch(
        /^application\/problem\+json/,
      );
      expect(reply.headers.get('www-authenticate')).toBe('Bearer');
      expect(((await reply.json()) as Problem).code).toBe('unauthorized');
    }
    // A working key under another scheme is refused, and told why.
    const secret = stack.key('client');
    const basic = await send(stack, 'POST', '/v1/search', undefined, search, {
      Authorization: `Basic ${secret}`,
    });
    expect(basic.status).toBe(401);
    expect(((await basic.json()) as Problem & { detail: string }).detail).toBe(
      'send the API key as "Authorization: Bearer <key>" or in the ' +
        'X-API-Key header; the Basic scheme is not used',
    );
    // Unknown paths under /v1 do not tell a stranger what exists.
    expect((await send(stack, 'GET', '/v1/nothing-here')).status).toBe(401);
    expect((await send(stack, 'GET', '/v1/review/next')).status).toBe(401);
  });

  it('keeps health, metrics, the API description and the review page open', async () => {
    const stack = await start();
    stack.key('admin');

    for (const path of [
      '/healthz',
      '/readyz',
      '/metrics',
      '/openapi.json',
      '/docs',
      '/review',
      '/review/review.js',
    ]) {
      expect((await send(stack, 'GET', path)).status, path).toBe(200);
    }
  });

  it('lets each role call its routes and answers 403 for the rest', async () => {
    const stack = await start();
    const added = await send(stack, 'POST', '/v1/items', stack.key('admin'), {
      text: 'A question to delete later?',
    });
    const { item } = (await added.json()) as { item: { id: number } };
    const calls: [string, string, unknown?][] = [
      ['POST', '/v1/search', search],
      ['POST', '/v1/score', { a: 'one', b: 'two' }],
      ['GET', `/v1/items/${item.id}`],
      ['GET', '/v1/review/stats'],
      ['GET', '/v1/review/next'],
      ['GET', '/v1/jobs'],
      ['GET', '/v1/models'],
      ['GET', '/v1/labels/export'],
      ['GET', '/v1/whoami'],
      ['DELETE', `/v1/items/${item.id}`],
    ];

    const statuses = async (key: string) => {
      const out: Record<string, number> = {};
      for (const [method, path, body] of calls) {
        const reply = await send(stack, method, path, key, body);
        out[`${method} ${path.replace(/\d+$/, ':id')}`] = reply.status;
      }
      return out;
    };

    expect(await statuses(stack.key('client'))).toEqual({
      'POST /v1/search': 200,
      'POST /v1/score': 200,
      'GET /v1/items/:id': 200,
      'GET /v1/review/stats': 403,
      'GET /v1/review/next': 403,
      'GET /v1/jobs': 403,
      'GET /v1/models': 403,
      'GET /v1/labels/export': 403,
      'GET /v1/whoami': 200,
      'DELETE /v1/items/:id': 403,
    });
    expect(await statuses(stack.key('reviewer', 'ann'))).toEqual({
      'POST /v1/search': 403,
      'POST /v1/score': 403,
      'GET /v1/items/:id': 403,
      'GET /v1/review/stats': 200,
      'GET /v1/review/next': 200,
      'GET /v1/jobs': 403,
      'GET /v1/models': 403,
      'GET /v1/labels/export': 403,
      'GET /v1/whoami': 200,
      'DELETE /v1/items/:id': 403,
    });
    expect(await statuses(stack.key('admin'))).toEqual({
      'POST /v1/search': 200,
      'POST /v1/score': 200,
      'GET /v1/items/:id': 200,
      'GET /v1/review/stats': 200,
      'GET /v1/review/next': 200,
      'GET /v1/jobs': 200,
      'GET /v1/models': 200,
      'GET /v1/labels/export': 200,
      'GET /v1/whoami': 200,
      'DELETE /v1/items/:id': 204,
    });

    const forbidden = await send(stack, 'GET', '/v1/jobs', stack.key('client'));
    const problem = (await forbidden.json()) as Problem;
    expect(problem.code).toBe('forbidden');
    expect(problem.detail).toMatch(
      /has the role client; GET \/v1\/jobs needs admin/,
    );
  });

  it('records reviewers under their key, not the X-Reviewer header', async () => {
    const stack = await start();
    const admin = stack.key('admin');
    const ann = stack.key('reviewer', 'ann');
    const unnamed = stack.key('reviewer');
    await send(stack, 'POST', '/v1/items/batch', admin, {
      items: [
        { text: 'How do I learn to play the guitar?' },
        { text: 'How do I learn to play guitar?' },
      ],
    });
    const asBob = { 'X-Reviewer': 'bob' };

    let pair: { pair_id: number } | undefined;
    for (let i = 0; i < 100 && !pair; i++) {
      const next = await send(
        stack,
        'GET',
        '/v1/review/next',
        ann,
        undefined,
        asBob,
      );
      expect(next.status).toBe(200);
      pair = ((await next.json()) as { pairs: { pair_id: number }[] }).pairs[0];
      if (!pair) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(pair).toBeDefined();
    const answer = await send(
      stack,
      'POST',
      `/v1/review/${pair?.pair_id}`,
      ann,
      { decision: 'duplicate' },
      asBob,
    );
    expect(answer.status).toBe(200);

    const stats = (await (
      await send(stack, 'GET', '/v1/review/stats', ann)
    ).json()) as { reviewers: { reviewer: string; duplicate: number }[] };
    expect(stats.reviewers).toEqual([
      expect.objectContaining({ reviewer: 'ann', duplicate: 1 }),
    ]);
    const me = await send(stack, 'GET', '/v1/whoami', unnamed);
    expect(await me.json()).toMatchObject({
      key: { id: 3, role: 'reviewer', name: 'key-3' },
      reviewer: 'key-3',
    });
  });

  it('accepts the key in X-API-Key and refuses it at once when revoked', async () => {
    const stack = await start();
    const secret = stack.key('client');
    const id = stack.keys.list()[0]?.id ?? 0;
    const viaHeader = () =>
      send(stack, 'POST', '/v1/search', undefined, search, {
        'X-API-Key': secret,
      });

    expect((await viaHeader()).status).toBe(200);
    stack.keys.revoke(id);
    const refused = await viaHeader();

    expect(refused.status).toBe(401);
    expect(((await refused.json()) as Problem).detail).toMatch(/revoked/);
  });

  it('limits the rate of each key on its own', async () => {
    const stack = await start({ RATE_LIMIT_PER_MINUTE: '3' });
    const first = stack.key('client');
    const second = stack.key('client');
    const firstId = stack.keys.findActive(first)?.id;

    const replies: number[] = [];
    for (let i = 0; i < 3; i++) {
      replies.push(
        (await send(stack, 'POST', '/v1/search', first, search)).status,
      );
    }
    const limited = await send(stack, 'POST', '/v1/search', first, search);
    const other = await send(stack, 'POST', '/v1/search', second, search);

    expect(replies).toEqual([200, 200, 200]);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    const problem = (await limited.json()) as Problem;
    expect(problem.code).toBe('rate_limited');
    expect(problem.detail).toContain(`API key ${firstId} (sdk_`);
    expect(other.status).toBe(200);
  });

  it('documents the keys and the access of every route in openapi.json', async () => {
    const stack = await start();
    stack.key('admin');

    const doc = (await (await send(stack, 'GET', '/openapi.json')).json()) as {
      paths: Record<string, Record<string, Record<string, unknown>>>;
      components: { securitySchemes: Record<string, unknown> };
    };

    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual([
      'bearerKey',
      'headerKey',
    ]);
    const access = (path: string, method: string) =>
      doc.paths[path]?.[method]?.['x-access'];
    expect(access('/v1/search', 'post')).toBe('client');
    expect(access('/v1/items/{id}', 'delete')).toBe('admin');
    expect(access('/v1/train', 'post')).toBe('admin');
    expect(access('/v1/review/next', 'get')).toBe('reviewer');
    expect(access('/v1/labels/export', 'get')).toBe('admin');
    expect(access('/healthz', 'get')).toBeUndefined();
    expect(access('/review', 'get')).toBeUndefined();
    expect(doc.paths['/v1/train']?.post?.responses).toHaveProperty('403');
  });
});
