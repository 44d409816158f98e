import type { Request, Response } from 'express';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { ApiKeyStore } from '../../../src/access/key-store.js';
import type { Access } from '../../../src/access/roles.js';
import { AppError } from '../../../src/errors/app-error.js';
import { AccessControl } from '../../../src/http/access-control.js';
import { openTempDb, type TempDb } from '../store/temp-db.js';

/**
 * Runs identify() then require(access) on a request arriving at
 * `localAddress` with `headers`; returns the error code passed on, or
 * 'ok'.
 */
function decide(
  control: AccessControl,
  access: Access,
  localAddress: string,
  headers: Record<string, string> = {},
): string {
  const lower = Object.fromEntries(
    Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]),
  );
  const req = {
    method: 'GET',
    originalUrl: '/v1/search',
    socket: { localAddress },
    get: (name: string) => lower[name.toLowerCase()],
  } as unknown as Request;
  const res = { locals: {}, set: () => res } as unknown as Response;

  let outcome = 'not called';
  const next = (err?: unknown) => {
    outcome = err instanceof AppError ? err.code : err ? 'other' : 'ok';
  };
  control.identify(req, res, next);
  if (outcome !== 'ok') return outcome;
  void control.require(access)(req, res, next);
  return outcome;
}

describe('AccessControl', () => {
  let temp: TempDb;
  let keys: ApiKeyStore;

  beforeEach(() => {
    temp = openTempDb('access');
    keys = new ApiKeyStore(temp.db);
  });
  afterEach(() => temp.cleanup());

  it('without keys serves only callers arriving over loopback', () => {
    const closed = new AccessControl({ keys });

    expect(decide(closed, 'admin', '127.0.0.1')).toBe('ok');
    expect(decide(closed, 'admin', '::ffff:127.0.0.1')).toBe('ok');
    expect(decide(closed, 'client', '10.0.0.7')).toBe('unauthorized');
    expect(decide(closed, 'public', '10.0.0.7')).toBe('ok');
  });

  it('without keys serves every caller with ALLOW_OPEN_ACCESS', () => {
    const open = new AccessControl({ keys, allowOpenAccess: true });

    expect(decide(open, 'admin', '10.0.0.7')).toBe('ok');
  });

  it('with keys refuses callers without one, loopback or not', () => {
    const open = new AccessControl({ keys, allowOpenAccess: true });
    const { secret } = keys.create({ role: 'client' });

    expect(decide(open, 'client', '127.0.0.1')).toBe('unauthorized');
    expect(decide(open, 'client', '10.0.0.7')).toBe('unauthorized');
    expect(
      decide(open, 'client', '10.0.0.7', { Authorization: `Bearer ${secret}` }),
    ).toBe('ok');
    expect(decide(open, 'client', '10.0.0.7', { 'X-API-Key': secret })).toBe(
      'ok',
    );
  });

  it('refuses a key sent another way than Bearer, even with no keys', () => {
    const control = new AccessControl({ keys });
    const { secret } = keys.create({ role: 'admin' });
    keys.revoke(1);

    const basic = { Authorization: `Basic ${secret}` };
    expect(decide(control, 'client', '127.0.0.1', basic)).toBe('unauthorized');
    expect(
      decide(control, 'client', '127.0.0.1', { 'X-API-Key': secret }),
    ).toBe('unauthorized');
    expect(decide(control, 'client', '127.0.0.1')).toBe('ok');
  });

  it('grants admins everything and other roles their own', () => {
    const control = new AccessControl({ keys });
    const as = (role: 'client' | 'reviewer' | 'admin') => ({
      Authorization: `Bearer ${keys.create({ role }).secret}`,
    });
    const client = as('client');
    const reviewer = as('reviewer');
    const admin = as('admin');

    const table = (['client', 'reviewer', 'admin', 'any-key'] as const).map(
      (access) => [
        access,
        decide(control, access, '127.0.0.1', client),
        decide(control, access, '127.0.0.1', reviewer),
        decide(control, access, '127.0.0.1', admin),
      ],
    );

    expect(table).toEqual([
      ['client', 'ok', 'forbidden', 'ok'],
      ['reviewer', 'forbidden', 'ok', 'ok'],
      ['admin', 'forbidden', 'forbidden', 'ok'],
      ['any-key', 'ok', 'ok', 'ok'],
    ]);
  });
});
