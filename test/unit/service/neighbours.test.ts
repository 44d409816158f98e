import { describe, expect, it } from 'vitest';

import { indexDirFor } from '../../../src/service/data-files.js';
import { describeHits, nearest } from '../../../src/service/neighbours.js';
import type { Item } from '../../../src/store/item-types.js';

function item(id: number, deleted = false): Item {
  return {
    id,
    externalId: null,
    text: `text ${id}`,
    metadata: null,
    createdAt: '2026-01-01T00:00:00.000Z',
    deletedAt: deleted ? '2026-01-02T00:00:00.000Z' : null,
  };
}

describe('neighbour helpers', () => {
  it('describes hits in order, dropping deleted and unknown items', () => {
    const items = new Map([
      [1, item(1)],
      [2, item(2, true)],
      [3, item(3)],
    ]);
    const hits = [
      { id: 3, energy: 0.25 },
      { id: 2, energy: 0.3 },
      { id: 9, energy: 0.4 },
      { id: 1, energy: 1.5 },
    ];

    expect(describeHits(hits, items, 1)).toEqual([
      { id: 3, text: 'text 3', energy: 0.25, similarity: 0.75 },
      { id: 1, text: 'text 1', energy: 1.5, similarity: 0 },
    ]);
  });

  it('keeps the k nearest, ties broken by id', () => {
    const hits = [
      { id: 5, energy: 0.2 },
      { id: 2, energy: 0.2 },
      { id: 1, energy: 0.9 },
      { id: 7, energy: 0.1 },
    ];
    expect(nearest(hits, 3).map((h) => h.id)).toEqual([7, 2, 5]);
  });
});

describe('index folders', () => {
  it('uses the version as the folder name when it is safe', () => {
    expect(indexDirFor('/data', '2026-01-31T12-00-00')).toBe(
      '/data/index/2026-01-31T12-00-00',
    );
  });

  it('hashes versions that are not safe file names', () => {
    const dir = indexDirFor('/data', '../escape');
    expect(dir).toMatch(/^\/data\/index\/v-[0-9a-f]{16}$/);
    expect(indexDirFor('/data', '..')).not.toBe('/data');
  });
});
