import { createHash } from 'node:crypto';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { ApiKeyStore, keyName } from '../../../src/access/key-store.js';
import {
  hashSecret,
  KEY_PATTERN,
  newSecret,
  secretPrefix,
} from '../../../src/access/key-secret.js';
import { AppError, ErrorCode } from '../../../src/errors/app-error.js';
import {
  openTempDb,
  steppingClock,
  thrown,
  type TempDb,
} from '../store/temp-db.js';

describe('API key secrets', () => {
  it('are 256 random bits behind a recognisable mark', () => {
    const a = newSecret();
    const b = newSecret();

    expect(a).toMatch(KEY_PATTERN);
    expect(a).not.toBe(b);
    expect(Buffer.from(a.slice(4), 'base64url')).toHaveLength(32);
    expect(secretPrefix(a)).toBe(a.slice(0, 12));
  });

  it('are stored as their SHA-256', () => {
    const secret = newSecret();

    expect(hashSecret(secret)).toBe(
      createHash('sha256').update(secret).digest('hex'),
    );
  });
});

describe('ApiKeyStore', () => {
  let temp: TempDb;
  let store: ApiKeyStore;

  beforeEach(() => {
    temp = openTempDb('keys');
    store = new ApiKeyStore(temp.db, { clock: steppingClock() });
  });
  afterEach(() => temp.cleanup());

  it('finds a working key by its secret and keeps no secret', () => {
    const { key, secret } = store.create({ role: 'reviewer', name: 'ann' });

    expect(key).toEqual({
      id: 1,
      name: 'ann',
      role: 'reviewer',
      prefix: secret.slice(0, 12),
      createdAt: '2026-01-01T00:00:00.000Z',
      revokedAt: null,
    });
    expect(store.findActive(secret)).toEqual(key);
    const row = temp.db.prepare('SELECT * FROM api_keys').get() as Record<
      string,
      unknown
    >;
    expect(Object.values(row)).not.toContain(secret);
    expect(row.secret_sha256).toBe(hashSecret(secret));
  });

  it('finds nothing for a wrong, altered or malformed secret', () => {
    const { secret } = store.create({ role: 'admin' });
    const last = secret.at(-1) === 'A' ? 'B' : 'A';

    expect(store.findActive(newSecret())).toBeUndefined();
    expect(store.findActive(secret.slice(0, -1) + last)).toBeUndefined();
    expect(store.findActive(`${secret} `)).toBeUndefined();
    expect(store.findActive('')).toBeUndefined();
    expect(store.findActive(hashSecret(secret))).toBeUndefined();
  });

  it('stops finding a key once it is revoked, and says when', () => {
    const { key, secret } = store.create({ role: 'client' });
    expect(store.hasActive()).toBe(true);

    const revoked = store.revoke(key.id);
    const again = store.revoke(key.id);

    expect(revoked.revokedAt).toBe('2026-01-01T00:00:01.000Z');
    expect(again.revokedAt).toBe(revoked.revokedAt);
    expect(store.findActive(secret)).toBeUndefined();
    expect(store.hasActive()).toBe(false);
    expect(store.list()).toEqual([revoked]);
  });

  it('never reuses an id, so a name like key-1 always means one key', () => {
    const first = store.create({ role: 'client' }).key;
    temp.db.prepare('DELETE FROM api_keys').run();
    const second = store.create({ role: 'client' }).key;

    expect(keyName(first)).toBe('key-1');
    expect(second.id).toBe(2);
  });

  it('refuses unknown roles, bad names and unknown ids', () => {
    const role = thrown(() =>
      store.create({ role: 'root' as 'admin' }),
    ) as AppError;
    const name = thrown(() =>
      store.create({ role: 'client', name: ' ann' }),
    ) as AppError;
    const lookalike = thrown(() =>
      store.create({ role: 'client', name: 'key-7' }),
    ) as AppError;
    const missing = thrown(() => store.revoke(9)) as AppError;

    expect(role.code).toBe(ErrorCode.BadInput);
    expect(role.message).toContain('client, reviewer, admin');
    expect(name.code).toBe(ErrorCode.BadInput);
    expect(lookalike.message).toContain('default name');
    expect(missing.code).toBe(ErrorCode.NotFound);
    expect(store.list()).toEqual([]);
    expect(store.hasActive()).toBe(false);
  });
});
