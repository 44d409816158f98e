/**
 * Which ids an HNSW graph holds, live or deleted, and what follows from
 * that alone: the rebuild check and the search beam for its size. Kept
 * by {@link VectorIndex} beside its graph and by IndexThread, which
 * mirrors its thread's index so these answer without asking it.
 */
import {
  DEFAULT_REBUILD_SHARE,
  DEFAULT_TUNING,
  grownEf,
  type IndexTuning,
} from './index-options.js';

/** Live and deleted ids of one graph. */
export class IndexLabels {
  private readonly liveIds = new Set<number>();
  private readonly deletedIds = new Set<number>();
  private readonly baseEf: number;
  private readonly growEf: boolean;

  constructor(tuning: Pick<IndexTuning, 'ef' | 'growEf'> = {}) {
    this.baseEf = tuning.ef ?? DEFAULT_TUNING.ef;
    this.growEf = tuning.growEf ?? true;
  }

  /** Live (searchable) entries. */
  get live(): number {
    return this.liveIds.size;
  }

  /** Deleted entries still taking room in the graph. */
  get deleted(): number {
    return this.deletedIds.size;
  }

  /** Entries in the graph, deleted ones included. */
  get entries(): number {
    return this.liveIds.size + this.deletedIds.size;
  }

  /**
   * The beam width a search of the graph uses at its present size:
   * the configured ef, widened by {@link grownEf} unless `growEf` is off.
   */
  get ef(): number {
    return this.growEf ? grownEf(this.baseEf, this.entries) : this.baseEf;
  }

  /** True when `id` is live. */
  has(id: number): boolean {
    return this.liveIds.has(id);
  }

  /** True when `id` is in the graph, live or deleted. */
  known(id: number): boolean {
    return this.liveIds.has(id) || this.deletedIds.has(id);
  }

  /** Marks `id` live, deleted before or not. */
  markLive(id: number): void {
    this.deletedIds.delete(id);
    this.liveIds.add(id);
  }

  /** Marks live `id` deleted; false when it was not live. */
  markDeleted(id: number): boolean {
    if (!this.liveIds.delete(id)) return false;
    this.deletedIds.add(id);
    return true;
  }

  /**
   * True when at least `share` (default INDEX_REBUILD_DELETED_SHARE, 0.2)
   * of the entries are deleted, so a rebuild would save memory and
   * search time.
   */
  needsRebuild(share: number = DEFAULT_REBUILD_SHARE): boolean {
    return this.entries > 0 && this.deleted / this.entries >= share;
  }

  /** The live and the deleted ids, each in ascending order. */
  sorted(): { live: number[]; deleted: number[] } {
    const ascending = (ids: Set<number>) => [...ids].sort((x, y) => x - y);
    return {
      live: ascending(this.liveIds),
      deleted: ascending(this.deletedIds),
    };
  }
}
