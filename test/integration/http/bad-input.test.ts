import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { removeDir, saveTestModel, tempDir } from '../service/fixtures.js';
import { startTestServer, type TestServer } from './http-fixture.js';

/** Small limits so that every limit is cheap to cross. */
const LIMITS = {
  MAX_TEXT_CHARS: '200',
  MAX_BODY_BYTES: '4096',
  MAX_BATCH_ITEMS: '5',
  MAX_K: '20',
};

interface Case {
  name: string;
  method: string;
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
  status: number;
  code: string;
  /** A field the problem's `errors` must name. */
  field?: string;
  /** What the problem's `detail` must say. */
  detail?: RegExp;
}

const text = (n: number) => 'x'.repeat(n);

const CASES: Case[] = [
  // Bodies that are not JSON objects.
  {
    name: 'malformed JSON',
    method: 'POST',
    path: '/v1/items',
    body: '{"text": ',
    status: 400,
    code: 'bad_input',
    field: 'body',
  },
  ...(
    [
      ['[]', 'an array'],
      ['[{"text":"a"}]', 'an array'],
      ['"a text"', 'a string'],
      ['42', 'a number'],
      ['null', 'null'],
      ['true', 'a boolean'],
    ] as const
  ).map(([body, kind]): Case => ({
    name: `JSON that is not an object: ${body}`,
    method: 'POST',
    path: '/v1/items',
    body,
    status: 400,
    code: 'bad_input',
    field: 'body',
    detail: new RegExp(`^the body must be a JSON object; got ${kind}$`),
  })),
  {
    name: 'no JSON content type',
    method: 'POST',
    path: '/v1/items',
    body: '{"text":"a"}',
    headers: { 'content-type': 'text/plain' },
    status: 400,
    code: 'bad_input',
    field: 'body',
  },
  {
    name: 'a body over MAX_BODY_BYTES',
    method: 'POST',
    path: '/v1/items',
    body: { text: 'a', metadata: { pad: text(5000) } },
    status: 413,
    code: 'too_large',
  },
  // Items.
  ...(
    [
      ['missing text', {}],
      ['empty text', { text: '' }],
      ['white-space text', { text: ' \n\t ' }],
      ['text that is a number', { text: 7 }],
    ] as const
  ).map(([name, body]): Case => ({
    name,
    method: 'POST',
    path: '/v1/items',
    body,
    status: 400,
    code: 'bad_input',
    field: 'text',
  })),
  {
    name: 'text over MAX_TEXT_CHARS',
    method: 'POST',
    path: '/v1/items',
    body: { text: text(201) },
    status: 400,
    code: 'bad_input',
    field: 'text',
    detail: /201 characters long; the limit is 200 \(MAX_TEXT_CHARS\)/,
  },
  {
    name: 'an unknown field',
    method: 'POST',
    path: '/v1/items',
    body: { text: 'a', txet: 'b' },
    status: 400,
    code: 'bad_input',
    field: 'txet',
  },
  {
    name: 'an empty external id',
    method: 'POST',
    path: '/v1/items',
    body: { text: 'a', external_id: '' },
    status: 400,
    code: 'bad_input',
    field: 'external_id',
  },
  {
    name: 'metadata that is not an object',
    method: 'POST',
    path: '/v1/items',
    body: { text: 'a', metadata: [1, 2] },
    status: 400,
    code: 'bad_input',
    field: 'metadata',
  },
  {
    name: 'an empty batch',
    method: 'POST',
    path: '/v1/items/batch',
    body: { items: [] },
    status: 400,
    code: 'bad_input',
    field: 'items',
  },
  {
    name: 'a batch over MAX_BATCH_ITEMS',
    method: 'POST',
    path: '/v1/items/batch',
    body: { items: Array.from({ length: 6 }, (_, i) => ({ text: `t${i}` })) },
    status: 400,
    code: 'bad_input',
    field: 'items',
  },
  {
    name: 'a batch with one blank text',
    method: 'POST',
    path: '/v1/items/batch',
    body: { items: [{ text: 'fine' }, { text: ' ' }] },
    status: 400,
    code: 'bad_input',
    field: 'items.1.text',
  },
  {
    name: 'an external id repeated in a batch',
    method: 'POST',
    path: '/v1/items/batch',
    body: {
      items: [
        { text: 'a', external_id: 'same' },
        { text: 'b', external_id: 'same' },
      ],
    },
    status: 409,
    code: 'conflict',
  },
  {
    name: 'an external id already stored',
    method: 'POST',
    path: '/v1/items',
    body: { text: 'again', external_id: 'taken' },
    status: 409,
    code: 'conflict',
  },
  // Item ids.
  ...(
    [
      ['GET', '/v1/items/abc', 400, 'bad_input'],
      ['GET', '/v1/items/0', 400, 'bad_input'],
      ['GET', '/v1/items/1.5', 400, 'bad_input'],
      ['GET', '/v1/items/999999', 404, 'not_found'],
      ['DELETE', '/v1/items/999999', 404, 'not_found'],
      ['DELETE', '/v1/items/-3', 400, 'bad_input'],
      ['GET', '/v1/items/99999999999999999999999', 400, 'bad_input'],
    ] as const
  ).map(([method, path, status, code]): Case => ({
    name: `${method} ${path}`,
    method,
    path,
    status,
    code,
    field: status === 400 ? 'id' : undefined,
    detail:
      status === 400
        ? /id: must be a whole number from 1 to 9007199254740991/
        : undefined,
  })),
  // Search.
  ...[0, -1, 1.5, 21, 1e300, '5', null, true].map((k): Case => ({
    name: `k = ${JSON.stringify(k)}`,
    method: 'POST',
    path: '/v1/search',
    body: { text: 'a', k },
    status: 400,
    code: 'bad_input',
    field: 'k',
  })),
  {
    name: 'a negative max_energy',
    method: 'POST',
    path: '/v1/search',
    body: { text: 'a', max_energy: -0.5 },
    status: 400,
    code: 'bad_input',
    field: 'max_energy',
  },
  {
    name: 'a blank search text',
    method: 'POST',
    path: '/v1/search',
    body: { text: '   ' },
    status: 400,
    code: 'bad_input',
    field: 'text',
  },
  // Score.
  {
    name: 'a score without b',
    method: 'POST',
    path: '/v1/score',
    body: { a: 'x' },
    status: 400,
    code: 'bad_input',
    field: 'b',
  },
  // Pairs.
  {
    name: 'a pair side given twice',
    method: 'POST',
    path: '/v1/pairs',
    body: { a: 'x', a_id: 1, b: 'y', label: 1 },
    status: 400,
    code: 'bad_input',
    field: 'a',
  },
  {
    name: 'a pair side missing',
    method: 'POST',
    path: '/v1/pairs',
    body: { a: 'x', label: 1 },
    status: 400,
    code: 'bad_input',
    field: 'b',
  },
  {
    name: 'a label that is not 0 or 1',
    method: 'POST',
    path: '/v1/pairs',
    body: { a: 'x', b: 'y', label: 2 },
    status: 400,
    code: 'bad_input',
    field: 'label',
  },
  ...[1.5, 0, 2 ** 53 + 2, '5'].map((id): Case => ({
    name: `a pair with a_id ${JSON.stringify(id)}`,
    method: 'POST',
    path: '/v1/pairs',
    body: { a_id: id, b: 'y', label: 1 },
    status: 400,
    code: 'bad_input',
    field: 'a_id',
    detail:
      /^invalid body: a_id: must be a whole number from 1 to 9007199254740991$/,
  })),
  {
    name: 'a pair naming an unknown item',
    method: 'POST',
    path: '/v1/pairs',
    body: { a_id: 999999, b: 'y', label: 1 },
    status: 404,
    code: 'not_found',
    field: 'a_id',
    detail: /^a_id: item 999999 does not exist or was deleted$/,
  },
  {
    name: 'a pair of an item with itself',
    method: 'POST',
    path: '/v1/pairs/batch',
    body: {
      pairs: [
        { a: 'x', b: 'y', label: 0 },
        { a_id: 1, b_id: 1, label: 1 },
      ],
    },
    status: 400,
    code: 'bad_input',
  },
  {
    name: 'a pair batch with one bad text',
    method: 'POST',
    path: '/v1/pairs/batch',
    body: {
      pairs: [
        { a: 'x', b: 'y', label: 0 },
        { a: '', b: 'y', label: 1 },
      ],
    },
    status: 400,
    code: 'bad_input',
    field: 'pairs.1.a',
  },
  // Pair listing.
  ...(
    [
      ['limit=0', 'limit'],
      ['limit=abc', 'limit'],
      ['limit=1001', 'limit'],
      ['offset=-1', 'offset'],
      ['label=2', 'label'],
      ['source=robot', 'source'],
      ['colour=red', 'colour'],
    ] as const
  ).map(([query, field]): Case => ({
    name: `GET /v1/pairs?${query}`,
    method: 'GET',
    path: `/v1/pairs?${query}`,
    status: 400,
    code: 'bad_input',
    field,
  })),
  // Routes without query parameters refuse them too.
  {
    name: 'a query parameter on a route that takes none',
    method: 'GET',
    path: '/v1/items/1?k=5',
    status: 400,
    code: 'bad_input',
    field: 'k',
    detail: /takes no query parameters \(got k\)/,
  },
  {
    name: 'a query parameter on a POST route',
    method: 'POST',
    path: '/v1/search?k=3',
    body: { text: 'hello' },
    status: 400,
    code: 'bad_input',
    field: 'k',
  },
  {
    name: 'a query parameter given twice',
    method: 'GET',
    path: '/v1/pairs?label=1&label=0',
    status: 400,
    code: 'bad_input',
    field: 'label',
    detail: /given more than once: label/,
  },
  {
    name: 'offset and after together',
    method: 'GET',
    path: '/v1/pairs?offset=1&after=1',
    status: 400,
    code: 'bad_input',
  },
  // Path parameters that do not percent-decode.
  ...[
    'GET /v1/items/%ZZ',
    'DELETE /v1/items/%E0',
    'GET /v1/items/%E0%A4%A',
  ].map((request): Case => {
    const [method, path] = request.split(' ') as [string, string];
    return {
      name: `a broken percent-escape: ${request}`,
      method,
      path,
      status: 400,
      code: 'bad_input',
      field: 'path',
      detail: /broken percent-escape/,
    };
  }),
  // Routes.
  {
    name: 'an unknown route',
    method: 'GET',
    path: '/v1/nothing-here',
    status: 404,
    code: 'not_found',
  },
  {
    name: 'a method a route does not serve',
    method: 'PUT',
    path: '/v1/items',
    body: { text: 'a' },
    status: 404,
    code: 'not_found',
  },
];

describe('bad input', () => {
  let modelDir: string;
  let server: TestServer;
  let itemId: number;

  /** Everything a rejected request must leave alone. */
  const snapshot = () => ({
    items: server.service.items.count(),
    vectors: server.service.items.countVectors('test'),
    pairs: server.service.pairs.count(),
    index: server.service.status().indexSize,
  });

  beforeAll(async () => {
    modelDir = await saveTestModel(tempDir('bad-input-model'));
    server = await startTestServer(modelDir, { env: LIMITS });
    const reply = await server.call(
      server.schemas.ingestResult,
      'POST',
      '/v1/items',
      { text: 'a stored question', external_id: 'taken' },
    );
    itemId = reply.body.item.id;
    await server.request('POST', '/v1/pairs', {
      a_id: itemId,
      b: 'x',
      label: 1,
    });
  });
  afterAll(async () => {
    await server.close();
    removeDir(modelDir);
  });

  it.each(CASES)('$name: $status $code', async (c) => {
    const before = snapshot();

    const reply = await server.call(
      server.schemas.problem,
      c.method,
      c.path,
      c.body,
      c.headers,
    );

    expect(reply.status).toBe(c.status);
    expect(reply.headers.get('content-type')).toMatch(
      /^application\/problem\+json/,
    );
    expect(reply.body).toMatchObject({
      type: `urn:siamese-dedup:problem:${c.code}`,
      status: c.status,
      code: c.code,
    });
    if (c.field) {
      const fields = (reply.body.errors ?? []).map((e) => e.field);
      expect(fields).toContain(c.field);
    }
    if (c.detail) expect(reply.body.detail).toMatch(c.detail);
    expect(snapshot()).toEqual(before);
  });

  it('still serves good requests afterwards', async () => {
    const reply = await server.request('GET', `/v1/items/${itemId}`);
    expect(reply.status).toBe(200);
  });
});
