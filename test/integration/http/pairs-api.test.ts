import {
  afterAll,
  afterEach,
  beforeAll,
  beforeEach,
  describe,
  expect,
  it,
} from 'vitest';

import { removeDir, saveTestModel, tempDir } from '../service/fixtures.js';
import { startTestServer, type TestServer } from './http-fixture.js';

describe('the pairs API', () => {
  let modelDir: string;
  let server: TestServer;
  let ids: number[];

  const page = async (query: string) =>
    (await server.call(server.schemas.pairPage, 'GET', `/v1/pairs?${query}`))
      .body;

  beforeAll(async () => {
    modelDir = await saveTestModel(tempDir('pairs-model'));
  });
  afterAll(() => removeDir(modelDir));

  beforeEach(async () => {
    server = await startTestServer(modelDir);
    const reply = await server.call(
      server.schemas.ingestResults,
      'POST',
      '/v1/items/batch',
      {
        items: [{ text: 'first ?' }, { text: 'second ?' }, { text: 'third ?' }],
      },
    );
    ids = reply.body.results.map((result) => result.item.id);
  });
  afterEach(async () => {
    await server.close();
  });

  it('labels a pair of stored items', async () => {
    const reply = await server.call(
      server.schemas.pairResponse,
      'POST',
      '/v1/pairs',
      { a_id: ids[0], b_id: ids[1], label: 1, who: 'alice' },
    );

    expect(reply.status).toBe(201);
    expect(reply.body.pair).toMatchObject({
      a_id: ids[0],
      a: 'first ?',
      b_id: ids[1],
      b: 'second ?',
      label: 1,
      source: 'api',
      who: 'alice',
    });
  });

  it('labels pairs of texts and mixed pairs in one batch', async () => {
    const reply = await server.call(
      server.schemas.pairsResponse,
      'POST',
      '/v1/pairs/batch',
      {
        pairs: [
          { a: 'How old is the moon ?', b: 'Age of the moon ?', label: 1 },
          { a_id: ids[2], b: 'fourth ?', label: 0 },
        ],
        who: 'bob',
      },
    );

    expect(reply.status).toBe(201);
    const [texts, mixed] = reply.body.pairs;
    expect(texts).toMatchObject({ a_id: null, b_id: null, label: 1 });
    expect(mixed).toMatchObject({ a_id: ids[2], a: 'third ?', who: 'bob' });
  });

  it('pages by offset and by cursor, with filters', async () => {
    const labels = [1, 0, 1, 1, 0];
    await server.request('POST', '/v1/pairs/batch', {
      pairs: labels.map((label, i) => ({ a: `q${i} ?`, b: `r${i} ?`, label })),
    });
    await server.request('POST', '/v1/pairs', {
      a: 'x ?',
      b: 'y ?',
      label: 1,
      who: 'carol',
    });
    const texts = (p: { pairs: { a: string }[] }) => p.pairs.map((x) => x.a);

    const first = await page('limit=2');
    expect(first.total).toBe(6);
    expect(texts(first)).toEqual(['q0 ?', 'q1 ?']);

    const next = await page(`limit=2&after=${first.next_after}`);
    expect(texts(next)).toEqual(['q2 ?', 'q3 ?']);

    const last = await page('limit=10&offset=4');
    expect(texts(last)).toEqual(['q4 ?', 'x ?']);
    expect(last.next_after).toBeNull();

    expect((await page('label=1')).total).toBe(4);
    expect(texts(await page('who=carol&source=api'))).toEqual(['x ?']);
    expect(await page('source=import')).toEqual({
      pairs: [],
      next_after: null,
      total: 0,
    });
  });

  it('refuses a pair naming a deleted item', async () => {
    await server.request('DELETE', `/v1/items/${ids[0]}`);

    const reply = await server.call(
      server.schemas.problem,
      'POST',
      '/v1/pairs',
      { a_id: ids[0], b_id: ids[1], label: 1 },
    );

    expect(reply.status).toBe(404);
    expect(reply.body.errors?.[0]?.field).toBe('a_id');
  });
});
