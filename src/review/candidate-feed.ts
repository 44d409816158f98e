/**
 * Keeps the candidate pool filled and scored: pairs raised as likely
 * duplicates at ingest arrive at once; a sweep walks every live item
 * (those loaded in bulk too) and adds its nearest neighbours; and when
 * another model version serves, stored energies are recomputed from the
 * item vectors that version stored, so no text is embedded again.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';

import type { Database } from 'better-sqlite3';

import { energy } from '../encoder/types.js';
import { silentLogger, type Logger } from '../logging/logger.js';
import type { IngestResult } from '../service/service-types.js';
import { ItemStore } from '../store/item-store.js';
import type {
  CandidateStore,
  NewCandidate,
  StaleCandidate,
} from './candidate-store.js';
import type { ReviewSource } from './review-source.js';

/** Items swept per chunk; the sweep yields to requests between chunks. */
export const SWEEP_CHUNK = 100;

/** Milliseconds the background sweep waits once it has caught up. */
export const SWEEP_IDLE_MS = 30_000;

/** Candidates rescored per transaction after a model change. */
const RESCORE_CHUNK = 1000;

/** What the feed is built from. */
export interface CandidateFeedParts {
  /** The queue's SQLite connection. */
  db: Database;
  /** Where candidates are kept. */
  candidates: CandidateStore;
  /** Model facts and neighbour search. */
  source: ReviewSource;
  /** Nearest neighbours per item to take as candidates. */
  neighbours: number;
  /** Logger for the background sweep. Default: silent. */
  logger?: Logger;
}

interface ItemRow {
  id: number;
  text: string;
}

/** Finds candidate pairs and keeps their energies current. */
export class CandidateFeed {
  private readonly db: Database;
  private readonly candidates: CandidateStore;
  private readonly source: ReviewSource;
  private readonly k: number;
  private readonly logger: Logger;
  private readonly items: ItemStore;
  private sweeping: Promise<number> | null = null;
  private rescoring: Promise<number> | null = null;
  private timer: NodeJS.Timeout | undefined;
  private stopped = true;
  private unsubscribe: (() => void) | undefined;
  /** Per other version, the last candidate rescored under `version`. */
  private rescored: { version: string; after: Map<string, number> } = {
    version: '',
    after: new Map(),
  };
  /** Items whose neighbours came with their ingest, not yet passed. */
  private covered: { version: string; ids: Set<number> } = {
    version: '',
    ids: new Set(),
  };

  /** Works on the given parts; call start() for the background work. */
  constructor(parts: CandidateFeedParts) {
    this.db = parts.db;
    this.candidates = parts.candidates;
    this.source = parts.source;
    this.k = parts.neighbours;
    this.logger = parts.logger ?? silentLogger();
    this.items = new ItemStore(parts.db);
  }

  /**
   * Listens to ingests and sweeps in the background: through every
   * unswept item, then again every {@link SWEEP_IDLE_MS} for items the
   * ingest news missed (bulk loads look up no neighbours).
   */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.unsubscribe = this.source.onIngest?.((results, version, searched) =>
      this.fromIngest(results, version, searched),
    );
    this.schedule(0);
  }

  /** Stops listening and sweeping; waits for a sweep under way. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    await this.sweeping?.catch(() => undefined);
    await this.rescoring?.catch(() => undefined);
  }

  /**
   * Takes the likely duplicates of each ingested item as candidates;
   * returns how many were new. When the ingest looked each item up
   * against at least as many neighbours as the sweep takes (`searched`)
   * with the serving model, the sweep skips those items while that
   * model serves: their near neighbours came with the ingest, and items
   * stored after them meet them in their own lookups.
   */
  fromIngest(
    results: readonly IngestResult[],
    version: string,
    searched = 0,
  ): number {
    if (searched >= this.k && version === this.source.model()?.version) {
      if (this.covered.version !== version) {
        this.covered = { version, ids: new Set() };
      }
      for (const result of results) this.covered.ids.add(result.item.id);
    }
    const found: NewCandidate[] = results.flatMap((result) =>
      result.duplicates.map((hit) => ({
        a: { id: result.item.id, text: result.item.text },
        b: { id: hit.id, text: hit.text },
        energy: hit.energy,
        modelVersion: version,
        origin: 'ingest' as const,
      })),
    );
    return found.length === 0 ? 0 : this.candidates.addMany(found);
  }

  /**
   * Sweeps up to `maxItems` live items not yet swept under the serving
   * model: each one's nearest neighbours become candidates. Returns how
   * many items were swept (0 when caught up or no model serves). One
   * sweep runs at a time; a second call waits for it and returns 0.
   */
  async sweep(maxItems = SWEEP_CHUNK): Promise<number> {
    if (this.sweeping) {
      await this.sweeping.catch(() => undefined);
      return 0;
    }
    this.sweeping = this.sweepNow(maxItems).finally(() => {
      this.sweeping = null;
    });
    return this.sweeping;
  }

  /** True when some live item has not been swept under `version`. */
  hasUnswept(version: string): boolean {
    const after = this.cursor(version);
    const next = this.db
      .prepare<[number], number>(
        'SELECT 1 FROM items WHERE deleted_at IS NULL AND id > ? LIMIT 1',
      )
      .pluck()
      .get(after);
    return next !== undefined;
  }

  /**
   * Recomputes the energy of every candidate scored by another version
   * from the item vectors stored for `version`. Candidates whose items
   * lack vectors (deleted ones: every live item is embedded before a
   * version serves) keep their old score and stay out of the pool. Each
   * candidate is looked at once while `version` serves, so the ones that
   * cannot be rescored cost nothing on later calls. Yields to the event
   * loop between chunks. Resolves to how many were rescored.
   */
  rescore(version: string): Promise<number> {
    // One run at a time; a caller arriving meanwhile shares it, and one
    // for a newer version waits for it first.
    const previous = this.rescoring?.catch(() => 0) ?? Promise.resolve(0);
    const run = previous.then(() => this.rescoreNow(version));
    this.rescoring = run;
    void run
      .finally(() => {
        if (this.rescoring === run) this.rescoring = null;
      })
      .catch(() => undefined);
    return run;
  }

  private async rescoreNow(version: string): Promise<number> {
    if (this.rescored.version !== version) {
      this.rescored = { version, after: new Map() };
    }
    let rescored = 0;
    for (const other of this.candidates.otherVersions(version)) {
      let after = this.rescored.after.get(other) ?? 0;
      for (;;) {
        const stale = this.candidates.scoredBy(other, after, RESCORE_CHUNK);
        const last = stale.at(-1);
        if (!last) break;
        after = last.id;
        rescored += this.rescoreChunk(version, stale);
        this.rescored.after.set(other, after);
        // A corpus's candidates take seconds to rescore; requests are
        // served between chunks.
        await nextTurn();
      }
    }
    return rescored;
  }

  private rescoreChunk(version: string, stale: StaleCandidate[]): number {
    const ids = [...new Set(stale.flatMap((c) => [c.aItemId, c.bItemId]))];
    const vectors = this.items.loadVectors(version, ids);
    const energies = stale.flatMap((c) => {
      const a = vectors.get(c.aItemId);
      const b = vectors.get(c.bItemId);
      return a && b ? [{ id: c.id, energy: energy(a, b) }] : [];
    });
    this.candidates.rescore(version, energies);
    return energies.length;
  }

  private async sweepNow(maxItems: number): Promise<number> {
    const model = this.source.model();
    if (!model) return 0;
    const after = this.cursor(model.version);
    const items = this.db
      .prepare<[number, number], ItemRow>(
        'SELECT id, text FROM items WHERE deleted_at IS NULL AND id > ? ' +
          'ORDER BY id LIMIT ?',
      )
      .all(after, maxItems);

    const covered =
      this.covered.version === model.version
        ? this.covered.ids
        : new Set<number>();
    const found: NewCandidate[] = [];
    for (const item of items) {
      if (covered.has(item.id)) continue;
      const hits = await this.source.neighbours(item, this.k);
      for (const hit of hits) {
        found.push({
          a: item,
          b: { id: hit.id, text: hit.text },
          energy: hit.energy,
          modelVersion: model.version,
          origin: 'neighbour',
        });
      }
    }

    this.candidates.addMany(found);
    const last = items.at(-1);
    if (last) {
      this.candidates.setState(cursorKey(model.version), `${last.id}`);
      for (const id of covered) if (id <= last.id) covered.delete(id);
    }
    return items.length;
  }

  private cursor(version: string): number {
    return Number(this.candidates.getState(cursorKey(version)) ?? 0);
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.backgroundStep().then(
        (more) => this.schedule(more ? 0 : SWEEP_IDLE_MS),
        (err: unknown) => {
          this.logger.error({ err }, 'the review candidate sweep failed');
          this.schedule(SWEEP_IDLE_MS);
        },
      );
    }, delayMs);
    this.timer.unref();
  }

  /** One chunk of background work; true when more is waiting. */
  private async backgroundStep(): Promise<boolean> {
    const model = this.source.model();
    if (!model || this.stopped) return false;
    await this.rescore(model.version);
    const swept = await this.sweep(SWEEP_CHUNK);
    return swept > 0 && this.hasUnswept(model.version);
  }
}

function cursorKey(version: string): string {
  return `sweep:${version}`;
}
