import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { ItemStore } from '../../../src/store/item-store.js';
import { ModelStore } from '../../../src/store/model-store.js';
import {
  openDatabase,
  type Database,
} from '../../../src/store/open-database.js';
import { PairStore } from '../../../src/store/pair-store.js';
import { makeTempDir, thrown } from '../../unit/store/temp-db.js';

describe('the SQLite file', () => {
  let dir: string;
  let file: string;
  const open: Database[] = [];

  const connect = () => {
    const db = openDatabase(file);
    open.push(db);
    return db;
  };

  beforeEach(() => {
    dir = makeTempDir('db-file');
    file = path.join(dir, 'nested', 'data', 'dedup.sqlite');
  });

  afterEach(() => {
    for (const db of open.splice(0)) if (db.open) db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is created with its folders and the agreed settings', () => {
    const db = connect();

    expect(existsSync(file)).toBe(true);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    // synchronous: 1 is NORMAL.
    expect(db.pragma('synchronous', { simple: true })).toBe(1);
  });

  it('keeps data and its migration ledger across restarts', () => {
    const first = connect();
    const items = new ItemStore(first);
    const id = items.insert({ text: 'persisted', externalId: 'p-1' });
    const ledger = first.prepare('SELECT * FROM schema_migrations').all();
    first.close();

    const second = connect();

    expect(second.prepare('SELECT * FROM schema_migrations').all()).toEqual(
      ledger,
    );
    expect(new ItemStore(second).getByExternalId('p-1')?.id).toBe(id);
  });

  it('lets a reader see committed rows while a writer is busy', () => {
    const writer = connect();
    const reader = connect();
    const items = new ItemStore(writer);
    items.insert({ text: 'committed' });

    writer.exec('BEGIN IMMEDIATE');
    writer
      .prepare(
        'INSERT INTO items (text, created_at) ' +
          "VALUES ('x', '2026-01-01T00:00:00.000Z')",
      )
      .run();

    // WAL: the reader is not blocked and sees only committed rows.
    expect(new ItemStore(reader).count()).toEqual({ live: 1, deleted: 0 });
    writer.exec('COMMIT');
    expect(new ItemStore(reader).count()).toEqual({ live: 2, deleted: 0 });
  });

  it('shares one active model and the labels between connections', () => {
    const a = connect();
    const b = connect();
    const modelsA = new ModelStore(a);
    const modelsB = new ModelStore(b);
    modelsA.register({ version: 'v1', path: '/m/v1', threshold: 0.5 });
    modelsB.register({ version: 'v2', path: '/m/v2', threshold: 0.5 });

    modelsA.activate('v1');
    modelsB.activate('v2');

    expect(modelsA.active()?.version).toBe('v2');
    expect(modelsA.list().filter((m) => m.active)).toHaveLength(1);

    new PairStore(a).add({
      a: { text: 'x' },
      b: { text: 'y' },
      label: 1,
      source: 'api',
    });
    expect(new PairStore(b).count()).toBe(1);
  });

  it('enforces foreign keys on every connection', () => {
    const db = connect();
    const err = thrown(() =>
      db
        .prepare("INSERT INTO item_vectors VALUES (42, 'v1', x'0000803f')")
        .run(),
    );
    expect(String(err)).toMatch(/FOREIGN KEY/);
  });

  it('reports a file that cannot be opened as a storage error', () => {
    const err = thrown(() => openDatabase(dir));
    expect(err).toMatchObject({ code: 'storage_error' });
  });
});
