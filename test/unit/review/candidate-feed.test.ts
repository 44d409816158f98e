import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { CandidateFeed } from '../../../src/review/candidate-feed.js';
import type {
  NeighbourHit,
  ReviewItem,
  ReviewSource,
} from '../../../src/review/review-source.js';
import type { IngestResult } from '../../../src/service/service-types.js';
import { MODEL, openQueue, type QueueFixture } from './queue-fixture.js';

/** A source whose neighbour search records what it was asked. */
function recordingSource(hitsFor: (item: ReviewItem) => NeighbourHit[]): {
  source: ReviewSource;
  asked: number[];
} {
  const asked: number[] = [];
  return {
    asked,
    source: {
      model: () => MODEL,
      neighbours: (item) => {
        asked.push(item.id);
        return Promise.resolve(hitsFor(item));
      },
    },
  };
}

/** What an ingest reports for `id` with one likely duplicate `near`. */
function ingested(id: number, near: number): IngestResult {
  const at = '2026-01-01T00:00:00.000Z';
  return {
    item: {
      id,
      externalId: null,
      text: `question number ${id}`,
      metadata: null,
      createdAt: at,
      deletedAt: null,
    },
    duplicates: [
      {
        id: near,
        text: `question number ${near}`,
        energy: 0.3,
        similarity: 0.7,
      },
    ],
    duplicate: true,
  };
}

describe('CandidateFeed', () => {
  let fixture: QueueFixture;
  let ids: number[];

  beforeEach(() => {
    fixture = openQueue();
    ids = fixture.items.insertMany(
      Array.from({ length: 6 }, (_, i) => ({ text: `question number ${i}` })),
    );
  });

  afterEach(async () => {
    await fixture.cleanup();
  });

  /** A feed over the fixture's database taking 5 neighbours an item. */
  function feedOver(source: ReviewSource): CandidateFeed {
    return new CandidateFeed({
      db: fixture.db,
      candidates: fixture.candidates,
      source,
      neighbours: 5,
    });
  }

  /** Each item's neighbour is the next item (the last one's, the first). */
  function nextItem(item: ReviewItem): NeighbourHit[] {
    const at = ids.indexOf(item.id);
    const next = ids[(at + 1) % ids.length] as number;
    return [{ id: next, text: `question number ${next}`, energy: 0.4 }];
  }

  it('sweeps every live item once, taking its neighbours as candidates', async () => {
    const { source, asked } = recordingSource(nextItem);
    const feed = feedOver(source);

    expect(await feed.sweep(100)).toBe(ids.length);
    expect(asked).toEqual(ids);
    expect(fixture.candidates.count()).toBe(ids.length);
    expect(feed.hasUnswept(MODEL.version)).toBe(false);
    expect(await feed.sweep(100)).toBe(0);
    expect(asked).toHaveLength(ids.length);
  });

  it('skips items whose ingest looked up as many neighbours as it takes', async () => {
    const { source, asked } = recordingSource(nextItem);
    const feed = feedOver(source);
    const [a, b, c, d] = ids as [number, number, number, number];

    // Looked up against 5 neighbours: the sweep need not search again.
    expect(feed.fromIngest([ingested(b, a)], MODEL.version, 5)).toBe(1);
    // Against 2 only, or none (a bulk load): the sweep still searches.
    feed.fromIngest([ingested(c, b)], MODEL.version, 2);
    feed.fromIngest([ingested(d, c)], MODEL.version, 0);
    // Scored by another version: no cover under the serving one.
    feed.fromIngest([ingested(ids[4] as number, d)], 'v0', 5);

    expect(await feed.sweep(100)).toBe(ids.length);
    expect(asked).toEqual(ids.filter((id) => id !== b));
    // The ingest's own candidate stands for b's lookup.
    const pairs = fixture.db
      .prepare<[], { a: number; b: number }>(
        'SELECT a_item_id AS a, b_item_id AS b FROM review_candidates',
      )
      .all()
      .map((row) => [Math.min(row.a, row.b), Math.max(row.a, row.b)]);
    expect(pairs).toContainEqual([a, b]);
  });

  it('rescores candidates of every other version from stored vectors', async () => {
    const feed = feedOver(recordingSource(nextItem).source);
    // Item i sits at (i, 0) under v1: the energy of a pair is |i - j|.
    fixture.items.saveVectors(
      MODEL.version,
      ids.map((itemId, i) => ({ itemId, vector: new Float32Array([i, 0]) })),
    );
    const pair = (i: number, j: number, version: string) => ({
      a: { id: ids[i] as number, text: `question number ${i}` },
      b: { id: ids[j] as number, text: `question number ${j}` },
      energy: 0.9,
      modelVersion: version,
      origin: 'neighbour' as const,
    });
    fixture.candidates.addMany([
      pair(0, 1, 'v0'),
      pair(0, 3, 'a-older'),
      pair(2, 5, 'v0'),
      pair(1, 2, MODEL.version),
    ]);

    expect(fixture.candidates.otherVersions(MODEL.version)).toEqual([
      'a-older',
      'v0',
    ]);
    expect(await feed.rescore(MODEL.version)).toBe(3);
    expect(fixture.candidates.otherVersions(MODEL.version)).toEqual([]);
    const energies = fixture.db
      .prepare<[], { a: number; b: number; energy: number; v: string }>(
        'SELECT a_item_id AS a, b_item_id AS b, energy, model_version AS v ' +
          'FROM review_candidates ORDER BY id',
      )
      .all();
    expect(energies).toEqual([
      { a: ids[0], b: ids[1], energy: 1, v: MODEL.version },
      { a: ids[0], b: ids[3], energy: 3, v: MODEL.version },
      { a: ids[2], b: ids[5], energy: 3, v: MODEL.version },
      { a: ids[1], b: ids[2], energy: 0.9, v: MODEL.version },
    ]);
    expect(await feed.rescore(MODEL.version)).toBe(0);
  });

  it('looks at a candidate it cannot rescore once, and at new ones later', async () => {
    const feed = feedOver(recordingSource(nextItem).source);
    // Only the first four items have vectors under v1.
    fixture.items.saveVectors(
      MODEL.version,
      ids
        .slice(0, 4)
        .map((itemId, i) => ({ itemId, vector: new Float32Array([i, 0]) })),
    );
    const pair = (i: number, j: number) => ({
      a: { id: ids[i] as number, text: `question number ${i}` },
      b: { id: ids[j] as number, text: `question number ${j}` },
      energy: 0.9,
      modelVersion: 'v0',
      origin: 'neighbour' as const,
    });
    fixture.candidates.addMany([pair(0, 5), pair(1, 2)]);
    const scoredBy = vi.spyOn(fixture.candidates, 'scoredBy');

    expect(await feed.rescore(MODEL.version)).toBe(1);
    const firstPass = scoredBy.mock.calls.length;
    // The pair with item 5, which has no vector, is not read again.
    expect(await feed.rescore(MODEL.version)).toBe(0);
    expect(scoredBy.mock.calls.slice(firstPass).map((c) => c[1])).not.toContain(
      0,
    );
    // A stale candidate stored later is rescored on the next call.
    fixture.candidates.addMany([pair(2, 3)]);
    expect(await feed.rescore(MODEL.version)).toBe(1);
    expect(fixture.candidates.otherVersions(MODEL.version)).toEqual(['v0']);
  });

  it('rescores a large pool in chunks, serving other work between them', async () => {
    const feed = feedOver(recordingSource(nextItem).source);
    const more = fixture.items.insertMany(
      Array.from({ length: 70 }, (_, i) => ({ text: `another question ${i}` })),
    );
    fixture.items.saveVectors(
      MODEL.version,
      more.map((itemId, i) => ({ itemId, vector: new Float32Array([i, 0]) })),
    );
    // 70 items give 2,415 pairs: three chunks of candidates.
    const stale = more.flatMap((a, i) =>
      more.slice(i + 1).map((b) => ({
        a: { id: a, text: `another question ${a}` },
        b: { id: b, text: `another question ${b}` },
        energy: 0.9,
        modelVersion: 'v0',
        origin: 'neighbour' as const,
      })),
    );
    fixture.candidates.addMany(stale);

    const order: string[] = [];
    setImmediate(() => order.push('other work'));
    // A second call meanwhile waits for the first and finds nothing left.
    const [first, second] = await Promise.all([
      feed.rescore(MODEL.version).then((n) => (order.push('rescored'), n)),
      feed.rescore(MODEL.version),
    ]);

    expect([first, second]).toEqual([2415, 0]);
    expect(order).toEqual(['other work', 'rescored']);
    expect(fixture.candidates.otherVersions(MODEL.version)).toEqual([]);
  });
});
