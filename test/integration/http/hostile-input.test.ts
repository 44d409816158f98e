/**
 * Input a careless or hostile client sends, at the shipped limits: a
 * 1 MB text, bytes that are not UTF-8, control characters and broken
 * surrogates are refused with a 4xx and a code, and change nothing;
 * emoji, non-Latin scripts and SQL-looking strings are ordinary text,
 * stored and returned verbatim; identical inserts racing each other
 * store what they should, once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { removeDir, saveTestModel, tempDir } from '../service/fixtures.js';
import { startTestServer, type TestServer } from './http-fixture.js';

interface Problem {
  status: number;
  code: string;
  detail: string;
  errors?: { field: string }[];
}

interface Stored {
  item: { id: number; text: string; external_id: string | null };
}

describe('hostile input at the shipped limits', () => {
  let modelDir: string;
  let server: TestServer;

  /** What a refused request must leave alone. */
  const snapshot = () => ({
    items: server.service.items.count().live,
    pairs: server.service.pairs.count(),
    index: server.service.status().indexSize,
  });

  beforeAll(async () => {
    modelDir = await saveTestModel(tempDir('hostile-model'));
    server = await startTestServer(modelDir);
    await server.request('POST', '/v1/items', { text: 'a stored question' });
  });
  afterAll(async () => {
    await server.close();
    removeDir(modelDir);
  });

  /** Sends `body` as raw bytes to POST /v1/items. */
  async function postBytes(body: Uint8Array<ArrayBuffer>): Promise<Problem> {
    const res = await fetch(`${server.url}/v1/items`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    expect(res.headers.get('content-type')).toMatch(/problem\+json/);
    return { ...((await res.json()) as Problem), status: res.status };
  }

  it('refuses a 1 MB text with 413 before embedding it', async () => {
    const before = snapshot();
    const body = JSON.stringify({ text: 'why '.repeat(262_144) });
    expect(body.length).toBeGreaterThan(1_000_000);

    const problem = await postBytes(new TextEncoder().encode(body));
    expect(problem.status).toBe(413);
    expect(problem.code).toBe('too_large');
    expect(problem.detail).toContain('MAX_BODY_BYTES');
    expect(snapshot()).toEqual(before);
  });

  it('refuses bytes that are not UTF-8', async () => {
    const before = snapshot();
    const head = new TextEncoder().encode('{"text": "caf');
    const tail = new TextEncoder().encode(' latte?"}');
    // 0xE9 alone is é in Latin-1 and a broken sequence in UTF-8.
    const body = new Uint8Array([...head, 0xe9, ...tail]);

    const problem = await postBytes(body);
    expect(problem.status).toBe(400);
    expect(problem.code).toBe('bad_input');
    expect(problem.detail).toMatch(/not valid UTF-8/);
    expect(snapshot()).toEqual(before);
  });

  it.each([
    ['a NUL', 'what is\u0000 this?', 'U+0000'],
    ['an escape sequence', 'red \u001b[31mtext\u001b[0m?', 'U+001B'],
    ['DEL', 'delete\u007f me', 'U+007F'],
    ['a C1 control', 'next\u0085line', 'U+0085'],
  ])('refuses a text with %s', async (_name, text, shown) => {
    const before = snapshot();
    const reply = await server.request('POST', '/v1/items', { text });
    const problem = reply.body as Problem;
    expect(reply.status).toBe(400);
    expect(problem.code).toBe('bad_input');
    expect(problem.detail).toContain(shown);
    expect(problem.detail).toContain('text');
    expect(snapshot()).toEqual(before);
  });

  it.each([
    ['a NUL', 'a\u0000b', /external_id holds the control character U\+0000/],
    ['only white space', '   ', /must not start or end with white space/],
    ['a space at one end', ' q1', /must not start or end with white space/],
  ])('refuses an external id with %s', async (_name, id, message) => {
    const before = snapshot();
    const reply = await server.request('POST', '/v1/items', {
      text: 'A fine question?',
      external_id: id,
    });
    expect(reply.status).toBe(400);
    expect(reply.body).toMatchObject({
      code: 'bad_input',
      errors: [{ field: 'external_id' }],
    });
    expect((reply.body as Problem).detail).toMatch(message);
    expect(snapshot()).toEqual(before);
  });

  it('refuses an unpaired surrogate in any text field', async () => {
    const before = snapshot();
    // JSON can spell half a surrogate pair; no UTF-8 can store it.
    const raw = '{"a": "fine", "b": "broken \\ud800 half"}';
    const reply = await server.request('POST', '/v1/score', raw);
    const problem = reply.body as Problem;
    expect(reply.status).toBe(400);
    expect(problem.code).toBe('bad_input');
    expect(problem.detail).toMatch(/b holds an unpaired surrogate U\+D800/);

    const search = await server.request(
      'POST',
      '/v1/search',
      '{"text": "\\udfff"}',
    );
    expect(search.status).toBe(400);
    expect(snapshot()).toEqual(before);
  });

  it('refuses metadata nested deeper than 32 levels, at any depth', async () => {
    const before = snapshot();
    const nested = (depth: number) =>
      `${'{"a":'.repeat(depth - 1)}{}${'}'.repeat(depth - 1)}`;
    for (const depth of [33, 50_000]) {
      const body = `{"text": "deep?", "metadata": ${nested(depth)}}`;
      const problem = await postBytes(new TextEncoder().encode(body));
      expect(problem.status, `depth ${depth}`).toBe(400);
      expect(problem.code).toBe('bad_input');
      expect(problem.errors?.map((e) => e.field)).toEqual(['metadata']);
    }
    expect(snapshot()).toEqual(before);

    const ok = await server.request(
      'POST',
      '/v1/items',
      `{"text": "deep enough?", "metadata": ${nested(32)}}`,
    );
    expect(ok.status).toBe(201);
  });

  it('refuses a body that does not decompress as it says, storing nothing', async () => {
    const before = snapshot();
    for (const encoding of ['gzip', 'deflate', 'br']) {
      for (const route of ['/v1/items', '/v1/search']) {
        const res = await fetch(`${server.url}${route}`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'content-encoding': encoding,
          },
          body: '{"text": "not compressed at all"}',
        });
        const problem = (await res.json()) as Problem;
        expect(res.status, `${encoding} ${route}`).toBe(400);
        expect(problem.code).toBe('bad_input');
        expect(problem.detail).toMatch(/body could not be read/);
      }
    }
    expect(snapshot()).toEqual(before);
  });

  it('refuses a body declared in a charset other than UTF-8', async () => {
    const before = snapshot();
    for (const [charset, why] of [
      ['utf-16', /declared as charset "utf-16"; send JSON encoded as UTF-8/],
      ['utf-32le', /declared as charset "utf-32le"/],
      ['latin1', /unsupported body encoding/],
    ] as const) {
      const res = await fetch(`${server.url}/v1/items`, {
        method: 'POST',
        headers: { 'content-type': `application/json; charset=${charset}` },
        body: '{"text": "caf\u00e9 question"}',
      });
      const problem = (await res.json()) as Problem;
      expect(res.status, charset).toBe(400);
      expect(problem.code).toBe('bad_input');
      expect(problem.detail).toMatch(why);
      expect(problem.errors?.map((e) => e.field)).toEqual(['body']);
    }
    const utf8 = await fetch(`${server.url}/v1/items`, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=UTF-8' },
      body: '{"text": "caf\u00e9 question"}',
    });
    expect(utf8.status).toBe(201);
    expect(snapshot().items).toBe(before.items + 1);
  });

  it('tells JSON that is not an object from broken JSON', async () => {
    const notObject = await server.request('POST', '/v1/items', 'null');
    expect(notObject.status).toBe(400);
    expect((notObject.body as Problem).detail).toBe(
      'the body must be a JSON object; got null',
    );
    const broken = await server.request('POST', '/v1/items', '{"text": ');
    expect((broken.body as Problem).detail).toMatch(/^the body is not valid/);
  });

  it('refuses a text labelled different from itself', async () => {
    const before = snapshot();
    const reply = await server.request('POST', '/v1/pairs', {
      a: 'Is this the same?',
      b: ' Is this the same? ',
      label: 0,
    });
    expect(reply.status).toBe(400);
    expect(reply.body).toMatchObject({
      code: 'bad_input',
      detail:
        'a and b are the same text: a text always matches itself, so it ' +
        'cannot be labelled 0',
      errors: [{ field: 'b' }],
    });
    expect(snapshot()).toEqual(before);

    // Labelled a duplicate it is redundant, not wrong: real data holds it.
    const same = await server.request('POST', '/v1/pairs', {
      a: 'Is this the same?',
      b: 'Is this the same?',
      label: 1,
    });
    expect(same.status).toBe(201);
  });

  it('keeps tabs and line breaks', async () => {
    const text = 'line one\n\tline two\r\nline three?';
    const reply = await server.request('POST', '/v1/items', { text });
    expect(reply.status).toBe(201);
    expect((reply.body as Stored).item.text).toBe(text);
  });

  it.each([
    ['emoji', 'Is 🍕 pizza better than 🍔 burgers? 👍🏽'],
    ['Chinese', '如何快速学习编程？'],
    ['Arabic', 'ما هي أفضل طريقة لتعلم البرمجة؟'],
    ['Russian', 'Как быстро выучить английский язык?'],
    ['Hindi', 'मैं प्रोग्रामिंग कैसे सीखूँ?'],
    ['combining marks', 'Cafe\u0301 or cafe\u0300? Zalgo: z̷̢a̵l̶g̸o̴'],
  ])('stores and finds %s verbatim', async (_name, text) => {
    const reply = await server.request('POST', '/v1/items', { text });
    expect(reply.status).toBe(201);
    const { item } = reply.body as Stored;
    expect(item.text).toBe(text);

    const read = await server.request('GET', `/v1/items/${item.id}`);
    expect((read.body as Stored).item.text).toBe(text);
    const found = await server.request('POST', '/v1/search', { text, k: 1 });
    const results = (found.body as { results: { id: number }[] }).results;
    expect(results[0]?.id).toBe(item.id);
  });

  it.each([
    "Robert'); DROP TABLE items;--",
    "' OR '1'='1",
    '1; DELETE FROM pairs WHERE 1=1; SELECT * FROM sqlite_master',
    '%_\\ LIKE wildcards and \\" quotes',
  ])('stores the SQL-looking %j verbatim and nothing else', async (text) => {
    const before = snapshot();
    const reply = await server.request('POST', '/v1/items', {
      text,
      external_id: text,
      metadata: { note: text },
    });
    expect(reply.status).toBe(201);
    const { item } = reply.body as Stored;
    expect(item.text).toBe(text);
    expect(item.external_id).toBe(text);

    const read = await server.request('GET', `/v1/items/${item.id}`);
    expect(read.body).toMatchObject({
      item: { text, metadata: { note: text } },
    });
    expect(snapshot()).toEqual({
      ...before,
      items: before.items + 1,
      index: before.index + 1,
    });
  });

  it('stores one of many identical inserts with one external id', async () => {
    const before = snapshot();
    const body = { text: 'How do I race a request?', external_id: 'race-1' };
    const replies = await Promise.all(
      Array.from({ length: 12 }, () =>
        server.request('POST', '/v1/items', body),
      ),
    );

    const statuses = replies.map((r) => r.status).sort();
    expect(statuses).toEqual([201, ...Array<number>(11).fill(409)]);
    for (const reply of replies.filter((r) => r.status === 409)) {
      expect((reply.body as Problem).code).toBe('conflict');
    }
    expect(snapshot()).toEqual({
      ...before,
      items: before.items + 1,
      index: before.index + 1,
    });
  });

  it('stores identical inserts without an external id, each indexed', async () => {
    const before = snapshot();
    const text = 'Is this the same question asked at once?';
    const replies = await Promise.all(
      Array.from({ length: 6 }, () =>
        server.request('POST', '/v1/items', { text }),
      ),
    );
    expect(replies.map((r) => r.status)).toEqual(Array<number>(6).fill(201));
    const ids = replies.map((r) => (r.body as Stored).item.id);
    expect(new Set(ids).size).toBe(6);

    // Flagging is advisory: all six are kept, and all six are found.
    const found = await server.request('POST', '/v1/search', { text, k: 6 });
    const results = (found.body as { results: { id: number }[] }).results;
    expect(results.map((r) => r.id).sort()).toEqual([...ids].sort());
    expect(snapshot()).toEqual({
      ...before,
      items: before.items + 6,
      index: before.index + 6,
    });
  });
});
