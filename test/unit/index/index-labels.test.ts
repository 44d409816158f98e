import { describe, expect, it } from 'vitest';

import { IndexLabels } from '../../../src/index/index-labels.js';
import { EF_GROWTH_FROM, grownEf } from '../../../src/index/index-options.js';

describe('IndexLabels', () => {
  it('tracks live and deleted ids, and revives a deleted one', () => {
    const ids = new IndexLabels();
    for (const id of [3, 1, 2]) ids.markLive(id);

    expect(ids.markDeleted(2)).toBe(true);
    expect(ids.markDeleted(2)).toBe(false);
    expect(ids.markDeleted(9)).toBe(false);
    expect([ids.live, ids.deleted, ids.entries]).toEqual([2, 1, 3]);
    expect([ids.has(2), ids.known(2), ids.known(9)]).toEqual([
      false,
      true,
      false,
    ]);
    expect(ids.sorted()).toEqual({ live: [1, 3], deleted: [2] });

    ids.markLive(2);
    expect(ids.sorted()).toEqual({ live: [1, 2, 3], deleted: [] });
  });

  it('needs a rebuild once the deleted share reaches the bound', () => {
    const ids = new IndexLabels();
    expect(ids.needsRebuild()).toBe(false);
    for (let id = 1; id <= 10; id++) ids.markLive(id);
    ids.markDeleted(1);
    expect(ids.needsRebuild()).toBe(false);
    ids.markDeleted(2);
    expect(ids.needsRebuild()).toBe(true);
    expect(ids.needsRebuild(0.3)).toBe(false);
  });

  it('widens ef with the entries, deleted ones counted, unless told not to', () => {
    const grown = new IndexLabels({ ef: 40 });
    const fixed = new IndexLabels({ ef: 40, growEf: false });
    const count = EF_GROWTH_FROM * 4;
    for (let id = 1; id <= count; id++) {
      grown.markLive(id);
      fixed.markLive(id);
    }
    grown.markDeleted(5);

    expect(grown.ef).toBe(grownEf(40, count));
    expect(grown.ef).toBe(80);
    expect(fixed.ef).toBe(40);
  });
});
