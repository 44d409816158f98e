import {
  afterAll,
  afterEach,
  beforeAll,
  beforeEach,
  describe,
  expect,
  it,
} from 'vitest';

import BetterSqlite3 from 'better-sqlite3';

import {
  quoraQuestions,
  removeDir,
  saveSmallModel,
  startReviewApp,
  tempDir,
  type ReviewApp,
} from './review-app.js';

interface Problem {
  code: string;
  detail: string;
  status: number;
}

interface ApiPair {
  pair_id: number;
  a: { id: number; text: string };
  b: { id: number; text: string };
  energy: number;
  similarity: number;
  guess: string;
  reserved_until: string;
}

describe('review API', () => {
  let modelDir: string;
  let dataDir: string;
  let questions: string[];
  let app: ReviewApp;

  beforeAll(async () => {
    modelDir = await saveSmallModel(tempDir('model'));
    questions = await quoraQuestions(40);
  });
  afterAll(() => removeDir(modelDir));

  beforeEach(() => {
    dataDir = tempDir('api');
  });
  afterEach(async () => {
    await app.stop();
    removeDir(dataDir);
  });

  /** Calls the API as `reviewer` (no header when undefined). */
  async function call(
    method: string,
    path: string,
    reviewer: string | undefined,
    body?: unknown,
  ): Promise<{ status: number; json: unknown; text: string; type: string }> {
    const headers: Record<string, string> = {};
    if (reviewer !== undefined) headers['X-Reviewer'] = reviewer;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const response = await fetch(`${app.url}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    const type = response.headers.get('content-type') ?? '';
    const json: unknown =
      type.includes('json') && !type.includes('ndjson')
        ? JSON.parse(text)
        : undefined;
    return { status: response.status, json, text, type };
  }

  async function next(reviewer: string, count = 1): Promise<ApiPair[]> {
    const response = await call(
      'GET',
      `/v1/review/next?count=${count}`,
      reviewer,
    );
    expect(response.status).toBe(200);
    return (response.json as { pairs: ApiPair[] }).pairs;
  }

  it('serves pairs of ingested items, reserved for the reviewer', async () => {
    app = await startReviewApp(dataDir, modelDir, questions);
    const texts = new Set(questions);

    const response = await call('GET', '/v1/review/next?count=3', 'ada');

    expect(response.status).toBe(200);
    const body = response.json as { pairs: ApiPair[]; remaining: number };
    expect(body.pairs).toHaveLength(3);
    for (const pair of body.pairs) {
      expect(texts.has(pair.a.text)).toBe(true);
      expect(texts.has(pair.b.text)).toBe(true);
      expect(pair.a.id).not.toBe(pair.b.id);
      expect(pair.energy).toBeGreaterThanOrEqual(0);
      expect(pair.similarity).toBeCloseTo(Math.max(0, 1 - pair.energy), 6);
      expect(['duplicate', 'different']).toContain(pair.guess);
      expect(Date.parse(pair.reserved_until)).toBeGreaterThan(Date.now());
    }
    expect(body.remaining).toBeGreaterThan(0);
  });

  it('stores a decision as a reviewer label in the SQLite file', async () => {
    app = await startReviewApp(dataDir, modelDir, questions);
    const [pair] = await next('ada');

    const response = await call('POST', `/v1/review/${pair?.pair_id}`, 'ada', {
      decision: 'duplicate',
      note: 'same intent',
    });

    expect(response.status).toBe(200);
    const body = response.json as { label_id: number; decision: string };
    expect(body.decision).toBe('duplicate');
    const db = new BetterSqlite3(app.dbFile, { readonly: true });
    try {
      const row = db
        .prepare(
          'SELECT a_item_id, b_item_id, label, source, who FROM pairs WHERE id = ?',
        )
        .get(body.label_id);
      expect(row).toEqual({
        a_item_id: pair?.a.id,
        b_item_id: pair?.b.id,
        label: 1,
        source: 'reviewer',
        who: 'ada',
      });
    } finally {
      db.close();
    }
  });

  it('answers 409 with a clear code for a pair held by someone else', async () => {
    app = await startReviewApp(dataDir, modelDir, questions);
    const [pair] = await next('ada');

    const response = await call('POST', `/v1/review/${pair?.pair_id}`, 'bob', {
      decision: 'different',
    });

    expect(response.status).toBe(409);
    expect(response.type).toContain('application/problem+json');
    expect((response.json as Problem).code).toBe('not_reserved');
  });

  it('answers 409 reservation_expired after the reservation ran out', async () => {
    app = await startReviewApp(dataDir, modelDir, questions, {
      REVIEW_RESERVATION_SECONDS: '5',
    });
    const [pair] = await next('ada');
    await new Promise((resolve) => setTimeout(resolve, 5200));

    const response = await call('POST', `/v1/review/${pair?.pair_id}`, 'ada', {
      decision: 'duplicate',
    });

    expect(response.status).toBe(409);
    const problem = response.json as Problem;
    expect(problem.code).toBe('reservation_expired');
    expect(problem.detail).toContain('REVIEW_RESERVATION_SECONDS=5');
  });

  it('validates the reviewer header, the body and the pair id', async () => {
    app = await startReviewApp(dataDir, modelDir, questions);
    const bad = async (reviewer: string | undefined) =>
      (await call('GET', '/v1/review/next', reviewer)).json as Problem;

    expect((await bad(undefined)).code).toBe('bad_input');
    expect((await bad('')).code).toBe('bad_input');
    expect((await bad('x'.repeat(65))).code).toBe('bad_input');
    expect((await bad('ada<script>')).code).toBe('bad_input');
    expect((await bad('ada/bob')).code).toBe('bad_input');
    expect((await call('GET', '/v1/review/next', 'Ada Lovelace')).status).toBe(
      200,
    );
    expect((await call('GET', '/v1/review/next', 'x'.repeat(64))).status).toBe(
      200,
    );

    const wrong = await call('POST', '/v1/review/1', 'ada', {
      decision: 'maybe',
    });
    expect(wrong.status).toBe(400);
    const unknown = await call('POST', '/v1/review/999999', 'ada', {
      decision: 'skip',
    });
    expect(unknown.status).toBe(404);
    const count = await call('GET', '/v1/review/next?count=500', 'ada');
    expect(count.status).toBe(400);
    expect((count.json as Problem).detail).toContain(
      'count: must be a whole number from 1 to 20',
    );
    for (const id of ['0', '-1', 'abc', '1.5']) {
      const response = await call('POST', `/v1/review/${id}`, 'ada', {
        decision: 'skip',
      });
      expect(response.status, id).toBe(400);
      expect((response.json as Problem).detail).toContain(
        'pair_id: must be a whole number from 1 to',
      );
    }
  });

  it('undoes decisions one per call, removing their labels', async () => {
    app = await startReviewApp(dataDir, modelDir, questions);
    const decided: number[] = [];
    for (let i = 0; i < 11; i += 1) {
      const [pair] = await next('ada');
      const id = pair?.pair_id as number;
      decided.push(id);
      await call('POST', `/v1/review/${id}`, 'ada', { decision: 'different' });
    }

    // Undo takes no body: a field sent by mistake is named, not ignored.
    const stray = await call('POST', '/v1/review/undo', 'ada', { count: 3 });
    expect(stray.status).toBe(400);
    expect(stray.json).toMatchObject({
      code: 'bad_input',
      errors: [{ field: 'body.count' }],
    });
    expect(app.service.pairs.count()).toBe(11);

    for (const id of [...decided].reverse()) {
      const response = await call('POST', '/v1/review/undo', 'ada');
      expect(response.status).toBe(200);
      const body = response.json as { pair: ApiPair; removed_label_id: number };
      expect(body.pair.pair_id).toBe(id);
      expect(body.removed_label_id).toBeGreaterThan(0);
    }

    expect(app.service.pairs.count()).toBe(0);
    const none = await call('POST', '/v1/review/undo', 'ada');
    expect(none.status).toBe(404);
  });

  it("reports per-reviewer counts and two reviewers' kappa", async () => {
    app = await startReviewApp(dataDir, modelDir, questions.slice(0, 12), {
      REVIEW_OVERLAP: '1',
    });
    // Both label every pair; bob disagrees on every third one.
    const labels = new Map<number, string>();
    for (;;) {
      const [pair] = await next('ada');
      if (!pair) break;
      const decision = pair.pair_id % 2 === 0 ? 'duplicate' : 'different';
      labels.set(pair.pair_id, decision);
      await call('POST', `/v1/review/${pair.pair_id}`, 'ada', { decision });
    }
    let k = 0;
    const ratings: [number, number][] = [];
    for (;;) {
      const [pair] = await next('bob');
      if (!pair) break;
      const first = labels.get(pair.pair_id) === 'duplicate' ? 1 : 0;
      const second = k++ % 3 === 0 ? 1 - first : first;
      ratings.push([first, second]);
      await call('POST', `/v1/review/${pair.pair_id}`, 'bob', {
        decision: second === 1 ? 'duplicate' : 'different',
      });
    }

    const stats = (await call('GET', '/v1/review/stats', undefined)).json as {
      reviewers: { reviewer: string; duplicate: number; different: number }[];
      agreement: { pairs: number; kappa: number | null; observed: number };
      queue: { waiting: number };
    };

    const n = ratings.length;
    const observed = ratings.filter(([a, b]) => a === b).length / n;
    const p1 = ratings.filter(([a]) => a === 1).length / n;
    const p2 = ratings.filter(([, b]) => b === 1).length / n;
    const expected = p1 * p2 + (1 - p1) * (1 - p2);
    expect(n).toBe(labels.size);
    expect(stats.agreement.pairs).toBe(n);
    expect(stats.agreement.observed).toBeCloseTo(observed, 10);
    expect(stats.agreement.kappa).toBeCloseTo(
      (observed - expected) / (1 - expected),
      10,
    );
    expect(stats.reviewers.map((r) => r.reviewer).sort()).toEqual([
      'ada',
      'bob',
    ]);
    expect(stats.queue.waiting).toBe(0);
  });

  it('exports every label as quoted CSV and as JSON Lines', async () => {
    app = await startReviewApp(dataDir, modelDir, [
      'He said "hi", then left',
      'Line one\nline two',
      'plain text',
    ]);
    const [a, b, c] = [1, 2, 3];
    await call('POST', '/v1/pairs', undefined, { a_id: a, b_id: b, label: 1 });
    await call('POST', '/v1/pairs', undefined, {
      a_id: c,
      b: 'free, text',
      label: 0,
      who: 'importer',
    });

    const csv = await call('GET', '/v1/labels/export?format=csv', undefined);
    expect(csv.status).toBe(200);
    expect(csv.type).toContain('text/csv');
    const lines = csv.text.split('\r\n');
    expect(lines[0]).toBe('id,a_id,a,b_id,b,label,source,who,created_at');
    expect(lines[1]).toMatch(
      /^1,1,"He said ""hi"", then left",2,"Line one\nline two",1,api,,\d{4}-/,
    );
    expect(lines[2]).toMatch(/^2,3,plain text,,"free, text",0,api,importer,/);
    expect(lines[3]).toBe('');

    const jsonl = await call(
      'GET',
      '/v1/labels/export?format=jsonl',
      undefined,
    );
    expect(jsonl.type).toContain('application/x-ndjson');
    const records = jsonl.text
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(records).toHaveLength(2);
    expect(records[0]).toMatchObject({
      a: 'He said "hi", then left',
      b: 'Line one\nline two',
      label: 1,
      who: null,
    });

    const bad = await call('GET', '/v1/labels/export?format=xml', undefined);
    expect(bad.status).toBe(400);
  });

  it('says the pool is empty rather than failing', async () => {
    app = await startReviewApp(dataDir, modelDir, []);

    const response = await call('GET', '/v1/review/next?count=5', 'ada');

    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({
      pairs: [],
      remaining: 0,
      message: expect.stringContaining('Nothing to review') as unknown,
    });
  });

  it('lists the review endpoints in openapi.json', async () => {
    app = await startReviewApp(dataDir, modelDir, []);

    const doc = (await call('GET', '/openapi.json', undefined)).json as {
      paths: Record<string, unknown>;
    };

    for (const path of [
      '/v1/review/next',
      '/v1/review/{pair_id}',
      '/v1/review/undo',
      '/v1/review/stats',
      '/v1/labels/export',
      '/review',
    ]) {
      expect(doc.paths).toHaveProperty([path]);
    }
  });
});
