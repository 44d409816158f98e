import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { ModelStore } from '../../../src/store/model-store.js';
import { openTempDb, steppingClock, thrown, type TempDb } from './temp-db.js';

describe('ModelStore', () => {
  let temp: TempDb;
  let models: ModelStore;

  beforeEach(() => {
    temp = openTempDb('models');
    models = new ModelStore(temp.db, { clock: steppingClock() });
  });

  afterEach(() => temp.cleanup());

  const register = (version: string) =>
    models.register({
      version,
      path: `/models/${version}`,
      metrics: { accuracy: 0.91 },
      threshold: 0.62,
    });

  it('registers inactive versions and lists them newest first', () => {
    expect(register('v1')).toEqual({
      version: 'v1',
      path: '/models/v1',
      metrics: { accuracy: 0.91 },
      threshold: 0.62,
      createdAt: '2026-01-01T00:00:00.000Z',
      active: false,
      activatedAt: null,
    });
    register('v2');

    expect(models.list().map((m) => m.version)).toEqual(['v2', 'v1']);
    expect(models.active()).toBeUndefined();
  });

  it('refuses a version registered twice', () => {
    register('v1');
    const err = thrown(() => register('v1'));
    expect(err).toMatchObject({ code: 'conflict' });
    expect((err as Error).message).toContain('"v1"');
  });

  it('refuses a negative threshold', () => {
    const err = thrown(() =>
      models.register({ version: 'v1', path: '/m', threshold: -1 }),
    );
    expect(err).toMatchObject({ code: 'bad_input' });
  });

  it('keeps exactly one version active', () => {
    register('v1');
    register('v2');

    models.activate('v1');
    const now = models.activate('v2');

    expect(now).toMatchObject({ version: 'v2', active: true });
    expect(models.active()?.version).toBe('v2');
    expect(models.list().filter((m) => m.active)).toHaveLength(1);
    expect(models.get('v1')?.active).toBe(false);
  });

  it('leaves the active version alone when activation fails', () => {
    register('v1');
    models.activate('v1');

    expect(thrown(() => models.activate('nope'))).toMatchObject({
      code: 'not_found',
    });
    expect(models.active()?.version).toBe('v1');
  });

  it('enforces one active version in the schema itself', () => {
    register('v1');
    register('v2');
    const setActive = temp.db.prepare(
      "UPDATE model_versions SET active = 1, activated_at = 'x' " +
        'WHERE version = ?',
    );
    setActive.run('v1');
    expect(() => setActive.run('v2')).toThrow(/UNIQUE/);
  });
});
