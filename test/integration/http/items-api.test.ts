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

const QUESTIONS = [
  'How do I learn to play the guitar ?',
  'What is the best way to lose weight ?',
  'Why is the sky blue ?',
  'How can I improve my English writing ?',
];

describe('the items, search and score API', () => {
  let modelDir: string;
  let server: TestServer;

  beforeAll(async () => {
    modelDir = await saveTestModel(tempDir('http-model'));
  });
  afterAll(() => removeDir(modelDir));

  beforeEach(async () => {
    server = await startTestServer(modelDir);
  });
  afterEach(async () => {
    await server.close();
  });

  const addAll = async () => {
    const reply = await server.call(
      server.schemas.ingestResults,
      'POST',
      '/v1/items/batch',
      { items: QUESTIONS.map((text, i) => ({ text, external_id: `q${i}` })) },
    );
    expect(reply.status).toBe(201);
    return reply.body.results.map((result) => result.item.id);
  };

  const search = (body: object) =>
    server.call(server.schemas.searchResponse, 'POST', '/v1/search', body);

  it('stores an item and answers with the documented shape', async () => {
    const reply = await server.call(
      server.schemas.ingestResult,
      'POST',
      '/v1/items',
      { text: QUESTIONS[0], external_id: 'ext-1', metadata: { from: 'test' } },
    );

    expect(reply.status).toBe(201);
    expect(reply.body).toMatchObject({
      item: {
        external_id: 'ext-1',
        text: QUESTIONS[0],
        metadata: { from: 'test' },
      },
      duplicates: [],
      duplicate: false,
    });
  });

  it('finds an item itself first at energy about 0', async () => {
    const ids = await addAll();

    const reply = await search({ text: QUESTIONS[2], k: 3 });

    expect(reply.status).toBe(200);
    const [first, ...rest] = reply.body.results;
    expect(first?.id).toBe(ids[2]);
    expect(first?.energy).toBeCloseTo(0, 5);
    expect(rest).toHaveLength(2);
    for (const hit of rest) {
      expect(hit.energy).toBeGreaterThanOrEqual(first?.energy ?? 0);
    }
  });

  it('flags the same text ingested again as a duplicate', async () => {
    const [original] = await addAll();

    const reply = await server.call(
      server.schemas.ingestResult,
      'POST',
      '/v1/items',
      { text: QUESTIONS[0] },
    );

    expect(reply.status).toBe(201);
    expect(reply.body.duplicate).toBe(true);
    const [nearest] = reply.body.duplicates;
    expect(nearest).toMatchObject({ id: original, text: QUESTIONS[0] });
    expect(nearest?.energy).toBeCloseTo(0, 5);
    expect(nearest?.similarity).toBeCloseTo(1, 5);
  });

  it('answers per item for a batch, in order', async () => {
    const reply = await server.call(
      server.schemas.ingestResults,
      'POST',
      '/v1/items/batch',
      { items: [{ text: 'one ?' }, { text: 'two ?' }, { text: 'one ?' }] },
    );

    expect(reply.status).toBe(201);
    const results = reply.body.results;
    expect(results.map((r) => r.item.text)).toEqual([
      'one ?',
      'two ?',
      'one ?',
    ]);
    // An untrained model may call 'one ?' and 'two ?' close; only the
    // first (nothing before it) and the repeat are certain.
    expect(results[0]?.duplicate).toBe(false);
    expect(results[2]?.duplicate).toBe(true);
    expect(results[2]?.duplicates[0]?.id).toBe(results[0]?.item.id);
  });

  it('scores identical texts at 0 as duplicates', async () => {
    const reply = await server.call(
      server.schemas.scoreResponse,
      'POST',
      '/v1/score',
      { a: 'Will it rain today ?', b: 'Will it rain today ?' },
    );

    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ energy: 0, similarity: 1, duplicate: true });
  });

  it('reads an item, deletes it, then answers 404 and leaves it out', async () => {
    const ids = await addAll();
    const id = ids[1] as number;

    const read = await server.call(
      server.schemas.itemResponse,
      'GET',
      `/v1/items/${id}`,
    );
    expect(read.status).toBe(200);
    expect(read.body.item).toMatchObject({ id, external_id: 'q1' });

    const deleted = await server.request('DELETE', `/v1/items/${id}`);
    expect(deleted.status).toBe(204);
    expect(deleted.body).toBeUndefined();

    for (const method of ['GET', 'DELETE']) {
      const gone = await server.call(
        server.schemas.problem,
        method,
        `/v1/items/${id}`,
      );
      expect(gone.status).toBe(404);
      expect(gone.body.code).toBe('not_found');
    }
    const found = await search({ text: QUESTIONS[1], k: 10 });
    const foundIds = found.body.results.map((r) => r.id);
    expect(foundIds).not.toContain(id);
    expect(foundIds).toHaveLength(QUESTIONS.length - 1);
  });

  it('refuses an external id used before, even by a deleted item', async () => {
    const ids = await addAll();
    await server.request('DELETE', `/v1/items/${ids[0]}`);

    const reply = await server.call(
      server.schemas.problem,
      'POST',
      '/v1/items',
      { text: 'another', external_id: 'q0' },
    );

    expect(reply.status).toBe(409);
    expect(reply.body.code).toBe('conflict');
    expect(reply.body.detail).toBe(
      `external id "q0" is already used by item ${ids[0]}, which is ` +
        'deleted; external ids are never reused',
    );
    expect(server.service.items.count().live).toBe(QUESTIONS.length - 1);
  });

  it('keeps search results within max_energy', async () => {
    await addAll();

    const reply = await search({ text: QUESTIONS[3], max_energy: 0.000001 });

    expect(reply.body.results.map((r) => r.text)).toEqual([QUESTIONS[3]]);
  });

  it('serves the same items after a restart on the same DATA_DIR', async () => {
    const ids = await addAll();
    const dataDir = server.dataDir;
    await server.running.stop();
    await server.service.close();
    const again = await startTestServer(modelDir, { dataDir });

    try {
      expect(again.service.status().indexOrigin).toBe('loaded');
      const reply = await again.call(
        again.schemas.searchResponse,
        'POST',
        '/v1/search',
        { text: QUESTIONS[3], k: 1 },
      );
      expect(reply.body.results[0]?.id).toBe(ids[3]);
    } finally {
      await again.close();
      removeDir(dataDir);
    }
  });
});
