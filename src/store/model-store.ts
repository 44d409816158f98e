/**
 * Model versions: every trained encoder the service knows, its held-out
 * metrics and decision threshold, and which one serves requests.
 */
import type { Database } from 'better-sqlite3';

import { AppError, ErrorCode } from '../errors/app-error.js';
import { isoNow, systemClock, type Clock } from './clock.js';
import { withSqliteErrors } from './sqlite-error.js';

/** A model version to register. */
export interface NewModelVersion {
  /** Unique label, 1 to 128 characters, e.g. `2026-01-31T12-00-00`. */
  version: string;
  /** Folder holding the saved model. */
  path: string;
  /** Held-out metrics (accuracy, AUC, ...). Default `{}`. */
  metrics?: Record<string, unknown>;
  /** Energy at or under which a pair is called a duplicate; >= 0. */
  threshold: number;
}

/** A registered model version. */
export interface ModelVersion {
  /** Unique label. */
  version: string;
  /** Folder holding the saved model. */
  path: string;
  /** Held-out metrics. */
  metrics: Record<string, unknown>;
  /** Duplicate threshold on energy (Euclidean distance). */
  threshold: number;
  /** When it was registered, ISO-8601 UTC. */
  createdAt: string;
  /** True for the one version serving requests. */
  active: boolean;
  /** When it was last made active, ISO-8601 UTC, or null. */
  activatedAt: string | null;
}

interface ModelRow {
  version: string;
  path: string;
  metrics: string;
  threshold: number;
  created_at: string;
  active: 0 | 1;
  activated_at: string | null;
}

const COLUMNS =
  'version, path, metrics, threshold, created_at, active, activated_at';

/** Options of {@link ModelStore}. */
export interface ModelStoreOptions {
  /** Time source for timestamps. Default: the system clock. */
  clock?: Clock;
}

/** Reads and writes model versions. */
export class ModelStore {
  private readonly db: Database;
  private readonly clock: Clock;

  /** Works on `db`, which must be migrated (see openDatabase). */
  constructor(db: Database, options: ModelStoreOptions = {}) {
    this.db = db;
    this.clock = options.clock ?? systemClock;
  }

  /**
   * Registers an inactive model version and returns it. Throws
   * `conflict` when the version exists, `bad_input` for a negative or
   * non-finite threshold.
   */
  register(model: NewModelVersion): ModelVersion {
    if (!Number.isFinite(model.threshold) || model.threshold < 0) {
      throw new AppError(
        ErrorCode.BadInput,
        `threshold must be a finite number >= 0; got ${model.threshold}`,
        { 'model.version': model.version },
      );
    }

    const context = {
      action: `register model version ${model.version}`,
      conflict: `model version "${model.version}" is already registered`,
      details: { 'model.version': model.version },
    };
    withSqliteErrors(context, () =>
      this.db
        .prepare<[string, string, string, number, string]>(
          'INSERT INTO model_versions ' +
            '(version, path, metrics, threshold, created_at) ' +
            'VALUES (?, ?, ?, ?, ?)',
        )
        .run(
          model.version,
          model.path,
          JSON.stringify(model.metrics ?? {}),
          model.threshold,
          isoNow(this.clock),
        ),
    );
    return this.require(model.version);
  }

  /** Every version, newest first. */
  list(): ModelVersion[] {
    return this.db
      .prepare<[], ModelRow>(
        `SELECT ${COLUMNS} FROM model_versions ` +
          'ORDER BY created_at DESC, version DESC',
      )
      .all()
      .map(modelFromRow);
  }

  /** The version named `version`, or undefined. */
  get(version: string): ModelVersion | undefined {
    const row = this.db
      .prepare<[string], ModelRow>(
        `SELECT ${COLUMNS} FROM model_versions WHERE version = ?`,
      )
      .get(version);
    return row && modelFromRow(row);
  }

  /** The active version, or undefined when none is active yet. */
  active(): ModelVersion | undefined {
    const row = this.db
      .prepare<[], ModelRow>(
        `SELECT ${COLUMNS} FROM model_versions WHERE active = 1`,
      )
      .get();
    return row && modelFromRow(row);
  }

  /**
   * Makes `version` the only active one, in one transaction, and returns
   * it. Throws `not_found` when it is not registered; then the active
   * version is unchanged.
   */
  activate(version: string): ModelVersion {
    const now = isoNow(this.clock);
    const swap = this.db.transaction(() => {
      this.require(version);
      this.db
        .prepare('UPDATE model_versions SET active = 0 WHERE active = 1')
        .run();
      this.db
        .prepare<[string, string]>(
          'UPDATE model_versions SET active = 1, activated_at = ? ' +
            'WHERE version = ?',
        )
        .run(now, version);
    });

    const context = { action: `activate model version ${version}` };
    withSqliteErrors(context, () => swap.immediate());
    return this.require(version);
  }

  private require(version: string): ModelVersion {
    const model = this.get(version);
    if (model) return model;
    throw new AppError(
      ErrorCode.NotFound,
      `model version "${version}" is not registered`,
      { 'model.version': version },
    );
  }
}

function modelFromRow(row: ModelRow): ModelVersion {
  return {
    version: row.version,
    path: row.path,
    metrics: JSON.parse(row.metrics) as Record<string, unknown>,
    threshold: row.threshold,
    createdAt: row.created_at,
    active: row.active === 1,
    activatedAt: row.activated_at,
  };
}
