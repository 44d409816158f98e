/**
 * The API process killed with SIGKILL while a stream of
 * POST /v1/items/batch requests is going on: after a restart over the
 * same DATA_DIR, every item whose batch was acknowledged (201) before
 * the kill can be read by id and is found by a search, so it is both
 * in SQLite and in the index.
 */
import { readdirSync, statSync, truncateSync } from 'node:fs';
import path from 'node:path';

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { indexDirFor } from '../../../src/service/data-files.js';
import {
  removeDir,
  saveTestModel,
  tempDir,
  TEST_MODEL_VERSION,
} from '../service/fixtures.js';
import {
  postJson,
  searchIds,
  startServe,
  waitReady,
  type ServeProcess,
} from './serve-process.js';

/** Items per batch request. */
const BATCH = 40;

/** Batch requests kept in flight at once. */
const IN_FLIGHT = 2;

/** Acknowledged batches after which the process is killed. */
const KILL_AFTER = 6;

interface Acked {
  id: number;
  text: string;
}

describe('the serve process killed mid-stream', () => {
  let modelDir: string;
  let dataDir: string;
  const started: ServeProcess[] = [];

  const serve = async () => {
    const proc = await startServe({
      DATA_DIR: dataDir,
      MODEL_DIR: modelDir,
      EMBEDDED_WORKER: 'false',
    });
    started.push(proc);
    return proc;
  };

  beforeAll(async () => {
    modelDir = await saveTestModel(tempDir('crash-model'));
  });
  afterAll(() => removeDir(modelDir));

  afterEach(async () => {
    for (const proc of started.splice(0)) await proc.kill();
    removeDir(dataDir);
  });

  it('keeps every acknowledged item after SIGKILL', async () => {
    dataDir = tempDir('crash');
    const first = await serve();
    await waitReady(first);

    const acked: Acked[] = [];
    let sent = 0;
    let ackedBatches = 0;
    let refused = 0;
    let killing: Promise<unknown> | undefined;

    /** Posts batch `n`; false when the process did not answer. */
    const post = async (n: number): Promise<boolean> => {
      const items = Array.from({ length: BATCH }, (_, i) => ({
        text: `crash stream batch ${n} question ${i} about topic ${n * i} ?`,
      }));
      let res: Response;
      try {
        res = await postJson(first.url, '/v1/items/batch', { items });
      } catch {
        refused++;
        return false;
      }
      expect(res.status).toBe(201);
      const body = (await res.json()) as { results: { item: Acked }[] };
      for (const { item } of body.results) {
        acked.push({ id: item.id, text: item.text });
      }
      return true;
    };

    // Each sender posts batches back to back until the process dies.
    const sender = async () => {
      while (!killing) {
        if (!(await post(sent++))) return;
        if (++ackedBatches === KILL_AFTER) {
          // One more batch goes out and the process is killed at once,
          // so at least that batch is cut off, whatever the other
          // sender's in-flight batch meets.
          const last = post(sent++);
          killing = first.kill();
          await last;
        }
      }
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, sender));
    const exit = await killing;

    expect(exit).toEqual({ code: null, signal: 'SIGKILL' });
    expect(acked.length).toBeGreaterThanOrEqual(KILL_AFTER * BATCH);
    // At least one batch was cut off by the kill.
    expect(refused).toBeGreaterThanOrEqual(1);

    const second = await serve();
    const ready = await waitReady(second);
    expect(ready.index_size).toBeGreaterThanOrEqual(acked.length);

    for (const item of acked) {
      const res = await fetch(`${second.url}/v1/items/${item.id}`);
      expect(res.status, `item ${item.id}`).toBe(200);
      const body = (await res.json()) as { item: Acked };
      expect(body.item.text).toBe(item.text);

      const hits = await searchIds(second.url, item.text, 3);
      expect(
        hits.map((hit) => hit.id),
        `search for item ${item.id}`,
      ).toContain(item.id);
    }
  });

  it('rebuilds a truncated index file from SQLite at start-up', async () => {
    dataDir = tempDir('truncated');
    const first = await serve();
    await waitReady(first);
    const texts = Array.from(
      { length: 200 },
      (_, i) => `truncated index question ${i} on subject ${i % 13} ?`,
    );
    const res = await postJson(first.url, '/v1/items/batch', {
      items: texts.map((text) => ({ text })),
    });
    expect(res.status).toBe(201);
    first.child.kill('SIGTERM');
    expect((await first.exited).code).toBe(0);

    // Cut the saved graph file in half, as a full disk or a crash might.
    const indexDir = indexDirFor(dataDir, TEST_MODEL_VERSION);
    const graph = readdirSync(indexDir).find((f) => f.endsWith('.hnsw'));
    expect(graph, `an index file in ${indexDir}`).toBeDefined();
    const file = path.join(indexDir, graph ?? '');
    truncateSync(file, Math.floor(statSync(file).size / 2));

    const second = await serve();
    const ready = await waitReady(second);
    expect(ready.index_size).toBe(texts.length);
    expect(second.output()).toContain('"saved index unused"');
    expect(second.output()).toContain('"indexOrigin":"rebuilt"');
    for (const text of texts.slice(0, 20)) {
      const [hit] = await searchIds(second.url, text, 1);
      expect(hit?.text).toBe(text);
    }
  });
});
