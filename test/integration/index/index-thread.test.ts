import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';

import { INDEX_FILE } from '../../../src/index/index-files.js';
import {
  DEFAULT_TUNING,
  EF_GROWTH_FROM,
} from '../../../src/index/index-options.js';
import { IndexThread } from '../../../src/index/index-thread.js';
import { VectorIndex } from '../../../src/index/vector-index.js';
import { bruteForce, randomVectors } from '../../unit/index/random-vectors.js';
import { makeTempDir, thrown } from '../../unit/store/temp-db.js';
import { stopFromOutside } from './stop-thread.js';

const DIM = 12;
const options = { dim: DIM, modelVersion: 'm1', initialCapacity: 8 };

/** A logger that keeps its lines, parsed. */
function recordingLogger() {
  const lines: Record<string, unknown>[] = [];
  const logger = pino(
    { level: 'debug' },
    { write: (line: string) => lines.push(JSON.parse(line) as never) },
  );
  return { logger, lines };
}

const entries = (n: number, seed: number, firstId = 1) =>
  randomVectors(n, DIM, seed).map((vector, i) => ({ id: firstId + i, vector }));

describe('IndexThread', () => {
  const open: IndexThread[] = [];
  const dirs: string[] = [];
  const track = (index: IndexThread) => (open.push(index), index);

  afterEach(async () => {
    await Promise.all(open.splice(0).map((index) => index.close()));
    for (const dir of dirs.splice(0))
      rmSync(dir, { recursive: true, force: true });
  });

  it('answers as the same index in this thread does', async () => {
    const thread = track(IndexThread.create(options));
    const local = new VectorIndex(options);
    const stored = entries(400, 3);
    void thread.addMany(stored);
    local.addMany(stored);

    for (const query of randomVectors(15, DIM, 8)) {
      expect(await thread.search(query, 7)).toEqual(local.search(query, 7));
    }
    const fresh = entries(40, 9, 1000);
    expect(await thread.lookupAndAdd(fresh, 4)).toEqual(
      local.lookupAndAdd(fresh, 4),
    );
    expect(thread.size).toBe(440);
    expect(await thread.vectorOf(1005)).toEqual(fresh[5]?.vector);
  });

  it('applies changes in the order sent, without waiting for them', async () => {
    const thread = track(IndexThread.create(options));
    const stored = entries(50, 4);
    const byId = new Map(stored.map((e) => [e.id, e.vector] as const));
    const query = byId.get(10) as Float32Array;

    void thread.addMany(stored);
    expect(thread.remove(10)).toBe(true);
    expect(thread.remove(10)).toBe(false);
    expect([thread.size, thread.deletedCount, thread.has(10)]).toEqual([
      49,
      1,
      false,
    ]);

    byId.delete(10);
    const hits = await thread.search(query, 5);
    expect(hits.map((h) => h.id)).toEqual(
      bruteForce(query, byId, 5).map((h) => h.id),
    );
    expect(await thread.vectorOf(10)).toBeUndefined();
    expect(thread.needsRebuild(0.02)).toBe(true);
    expect(thread.needsRebuild(0.5)).toBe(false);
  });

  it('refuses bad input here, at once, and sends nothing', async () => {
    const thread = track(IndexThread.create(options));
    const [good] = entries(1, 5);
    const bad = [
      () => thread.addMany([good!, { id: -3, vector: good!.vector }]),
      () => thread.addMany([{ id: 2, vector: new Float32Array(DIM + 1) }]),
      () =>
        thread.lookupAndAdd(
          [{ id: 2, vector: new Float32Array(DIM).fill(Infinity) }],
          3,
        ),
      () => thread.lookupAndAdd([good!], 0),
      () => thread.search(new Float32Array(3), 1),
      () => thread.search(good!.vector, 1, { maxEnergy: -1 }),
      () => thread.remove(1.5),
    ];
    for (const run of bad) {
      expect(thrown(run)).toMatchObject({ code: 'bad_input' });
    }
    expect(thread.size).toBe(0);
    expect(await thread.search(good!.vector, 3)).toEqual([]);
    expect(() => IndexThread.create({ ...options, dim: 0 })).toThrow(/dim/);
  });

  it('reports the search ef its index uses, widened as the graph grows', async () => {
    const small = track(IndexThread.create({ ...options, ef: 30 }));
    expect(small.ef).toBe(30);

    const grown = { dim: 2, modelVersion: 'm1', m: 4, efConstruction: 10 };
    const count = EF_GROWTH_FROM + 5000;
    const stored = randomVectors(count, 2, 4).map((vector, i) => ({
      id: i + 1,
      vector,
    }));
    const thread = track(IndexThread.create(grown));
    const local = new VectorIndex(grown);
    expect(thread.ef).toBe(local.ef);
    void thread.addMany(stored);
    local.addMany(stored);
    thread.remove(7);
    local.remove(7);
    expect(thread.ef).toBeGreaterThan(DEFAULT_TUNING.ef);
    expect(thread.ef).toBe(local.ef);
    await thread.flush();
  });

  it('saves and loads through the thread, logging through the parent', async () => {
    const dir = makeTempDir('index-thread');
    dirs.push(dir);
    const { logger, lines } = recordingLogger();
    const thread = track(IndexThread.create({ ...options, logger }));
    void thread.addMany(entries(100, 6));
    thread.remove(3);

    const manifest = await thread.save(dir);
    expect(manifest).toMatchObject({ count: 99, deletedIds: [3] });
    expect(lines).toContainEqual(
      expect.objectContaining({
        msg: 'saved index',
        count: 99,
        'model.version': 'm1',
      }),
    );

    const loaded = track(
      (await IndexThread.load(
        dir,
        { modelVersion: 'm1', dim: DIM },
        { logger },
      )) as IndexThread,
    );
    expect([
      loaded.size,
      loaded.deletedCount,
      loaded.has(3),
      loaded.has(4),
    ]).toEqual([99, 1, false, true]);
    const query = randomVectors(1, DIM, 77)[0] as Float32Array;
    expect(await loaded.search(query, 6)).toEqual(
      await thread.search(query, 6),
    );
  });

  it('loads nothing from a missing or damaged folder, and says why', async () => {
    const dir = makeTempDir('index-thread');
    dirs.push(dir);
    const { logger, lines } = recordingLogger();
    const expected = { modelVersion: 'm1', dim: DIM };

    expect(
      await IndexThread.load(path.join(dir, 'none'), expected, { logger }),
    ).toBeNull();

    const thread = track(IndexThread.create(options));
    void thread.addMany(entries(20, 7));
    await thread.save(dir);
    writeFileSync(path.join(dir, INDEX_FILE), 'not an index');
    expect(await IndexThread.load(dir, expected, { logger })).toBeNull();
    expect(lines.filter((l) => l.msg === 'saved index unused')).toHaveLength(2);
  });

  it('fails calls after close, and calls still waiting when it closes', async () => {
    const thread = IndexThread.create(options);
    void thread.addMany(entries(3000, 8));
    const waiting = expect(
      thread.search(randomVectors(1, DIM, 1)[0] as Float32Array, 3),
    ).rejects.toMatchObject({ code: 'internal' });

    await thread.close();

    await waiting;
    await expect(thread.flush()).rejects.toThrow(/index thread stopped/);
  });

  it('reports a thread that stops on its own, and fails every later call', async () => {
    const { logger, lines } = recordingLogger();
    const thread = IndexThread.create({ ...options, logger });
    void thread.addMany(entries(10, 2));
    await thread.flush();
    expect(thread.failure).toBeUndefined();

    // As if the thread died: the parent sees it exit unasked.
    await stopFromOutside(thread);

    expect(thread.failure?.message).toMatch(/index thread stopped: it exited/);
    await expect(thread.search(entries(1, 3)[0]!.vector, 2)).rejects.toBe(
      thread.failure,
    );
    expect(lines).toContainEqual(
      expect.objectContaining({ msg: 'the index thread stopped', level: 50 }),
    );
  });
});
