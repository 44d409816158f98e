/**
 * API keys in SQLite (table `api_keys`): made, listed, revoked, and
 * found by the secret a request presents. See key-secret.ts for what is
 * stored and why.
 */
import type { Database } from 'better-sqlite3';

import { AppError, ErrorCode } from '../errors/app-error.js';
import { REVIEWER_PATTERN } from '../review/reviewer-identity.js';
import { isoNow, systemClock, type Clock } from '../store/clock.js';
import { withSqliteErrors } from '../store/sqlite-error.js';
import {
  hashSecret,
  KEY_PATTERN,
  newSecret,
  secretPrefix,
} from './key-secret.js';
import { isRole, ROLES, type Role } from './roles.js';

/** A stored key, without its secret. */
export interface ApiKey {
  /** Stable id, never reused. */
  id: number;
  /** Who or what holds it; null when none was given. */
  name: string | null;
  /** What it may do. */
  role: Role;
  /** The first characters of the key, to recognise it. */
  prefix: string;
  /** When it was made, ISO-8601 UTC. */
  createdAt: string;
  /** When it was revoked, ISO-8601 UTC, or null while it works. */
  revokedAt: string | null;
}

/** A key just made: the only time its secret is known. */
export interface CreatedKey {
  /** The stored key. */
  key: ApiKey;
  /** The key itself, to hand to its holder. */
  secret: string;
}

/** What a new key is. */
export interface NewKey {
  /** Its role. */
  role: Role;
  /**
   * Its holder, 1 to 64 letters, digits, spaces or `._@-`; reviewers
   * are recorded under it. Default none (the key is then `key-<id>`).
   */
  name?: string;
}

/** Options of {@link ApiKeyStore}. */
export interface ApiKeyStoreOptions {
  /** Time source. Default: the system clock. */
  clock?: Clock;
}

interface KeyRow {
  id: number;
  name: string | null;
  role: string;
  prefix: string;
  created_at: string;
  revoked_at: string | null;
}

const COLUMNS = 'id, name, role, prefix, created_at, revoked_at';

/** Names that would pass for another key's default name. */
const DEFAULT_NAME = /^key-\d+$/;

/** Reads and writes API keys. */
export class ApiKeyStore {
  private readonly clock: Clock;

  /** Works on `db`, which must be migrated (see openDatabase). */
  constructor(
    private readonly db: Database,
    options: ApiKeyStoreOptions = {},
  ) {
    this.clock = options.clock ?? systemClock;
  }

  /**
   * Makes a key and returns it with its secret. Throws `bad_input` for
   * an unknown role or a bad name.
   */
  create(request: NewKey): CreatedKey {
    checkRole(request.role);
    const name = request.name === undefined ? null : checkName(request.name);
    const secret = newSecret();

    const result = withSqliteErrors({ action: 'create an API key' }, () =>
      this.db
        .prepare<[string | null, string, string, string, string]>(
          'INSERT INTO api_keys ' +
            '(name, role, prefix, secret_sha256, created_at) ' +
            'VALUES (?, ?, ?, ?, ?)',
        )
        .run(
          name,
          request.role,
          secretPrefix(secret),
          hashSecret(secret),
          isoNow(this.clock),
        ),
    );
    return { key: this.require(Number(result.lastInsertRowid)), secret };
  }

  /** Every key, revoked ones too, oldest first. */
  list(): ApiKey[] {
    return this.db
      .prepare<[], KeyRow>(`SELECT ${COLUMNS} FROM api_keys ORDER BY id`)
      .all()
      .map(keyFromRow);
  }

  /** Key `id`, or undefined. */
  get(id: number): ApiKey | undefined {
    const row = this.db
      .prepare<[number], KeyRow>(`SELECT ${COLUMNS} FROM api_keys WHERE id = ?`)
      .get(id);
    return row && keyFromRow(row);
  }

  /**
   * Revokes key `id` at once (the next request with it is refused) and
   * returns it; a revoked key stays revoked at its first time. Throws
   * `not_found` for an unknown id.
   */
  revoke(id: number): ApiKey {
    this.require(id);
    withSqliteErrors({ action: `revoke API key ${id}` }, () =>
      this.db
        .prepare<[string, number]>(
          'UPDATE api_keys SET revoked_at = ? ' +
            'WHERE id = ? AND revoked_at IS NULL',
        )
        .run(isoNow(this.clock), id),
    );
    return this.require(id);
  }

  /** The working key whose secret is `secret`, or undefined. */
  findActive(secret: string): ApiKey | undefined {
    if (!KEY_PATTERN.test(secret)) return undefined;
    const row = this.db
      .prepare<[string], KeyRow>(
        `SELECT ${COLUMNS} FROM api_keys ` +
          'WHERE secret_sha256 = ? AND revoked_at IS NULL',
      )
      .get(hashSecret(secret));
    return row && keyFromRow(row);
  }

  /** True while at least one key is not revoked. */
  hasActive(): boolean {
    const found = this.db
      .prepare<[], number>(
        'SELECT EXISTS (SELECT 1 FROM api_keys WHERE revoked_at IS NULL)',
      )
      .pluck()
      .get();
    return found === 1;
  }

  private require(id: number): ApiKey {
    const key = this.get(id);
    if (!key) {
      throw new AppError(ErrorCode.NotFound, `API key ${id} does not exist`, {
        'key.id': id,
      });
    }
    return key;
  }
}

/** The name reviewers and logs know a key by: its name, or `key-<id>`. */
export function keyName(key: ApiKey): string {
  return key.name ?? `key-${key.id}`;
}

function checkRole(role: string): void {
  if (!isRole(role)) {
    throw new AppError(
      ErrorCode.BadInput,
      `role "${role}" is not one of ${ROLES.join(', ')}`,
      { field: 'role' },
    );
  }
}

function checkName(name: string): string {
  if (!REVIEWER_PATTERN.test(name)) {
    throw new AppError(
      ErrorCode.BadInput,
      `key name "${name}" must be 1 to 64 letters, digits, spaces or ` +
        '. _ @ - (no space at either end)',
      { field: 'name' },
    );
  }
  if (DEFAULT_NAME.test(name)) {
    throw new AppError(
      ErrorCode.BadInput,
      `key name "${name}" looks like another key's default name; ` +
        'choose another',
      { field: 'name' },
    );
  }
  return name;
}

function keyFromRow(row: KeyRow): ApiKey {
  return {
    id: row.id,
    name: row.name,
    role: row.role as Role,
    prefix: row.prefix,
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
  };
}
