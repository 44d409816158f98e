import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { AppError } from '../../../src/errors/app-error.js';
import { runMigrations } from '../../../src/store/migrate.js';
import { defaultMigrationsDir } from '../../../src/store/migrations-dir.js';
import { openDatabase } from '../../../src/store/open-database.js';
import { makeTempDir, thrown } from './temp-db.js';

interface LedgerRow {
  version: number;
  name: string;
}

describe('runMigrations', () => {
  let dir: string;
  let migrations: string;

  beforeEach(() => {
    dir = makeTempDir('migrate');
    migrations = path.join(dir, 'migrations');
    mkdirSync(migrations);
  });

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  const write = (name: string, sql: string) =>
    writeFileSync(path.join(migrations, name), sql);

  const connect = () => new BetterSqlite3(path.join(dir, 'db.sqlite'));

  it('finds the project migrations from the source tree', () => {
    expect(defaultMigrationsDir).toBe(
      path.resolve(import.meta.dirname, '../../../migrations'),
    );
  });

  it('applies the project schema once and records it', () => {
    const file = path.join(dir, 'db.sqlite');
    openDatabase(file).close();
    const db = openDatabase(file);

    const ledger = db
      .prepare('SELECT version, name FROM schema_migrations')
      .all() as LedgerRow[];
    const shipped = readdirSync(defaultMigrationsDir)
      .filter((name) => /^\d+_.*\.sql$/.test(name))
      .sort();
    expect(ledger.map((row) => row.name)).toEqual(shipped);
    expect(ledger[0]).toEqual({ version: 1, name: '001_init.sql' });

    const tables = db
      .prepare("SELECT name FROM sqlite_schema WHERE type = 'table'")
      .pluck()
      .all();
    expect(tables).toEqual(
      expect.arrayContaining([
        'items',
        'item_vectors',
        'pairs',
        'model_versions',
        'jobs',
      ]),
    );
    db.close();
  });

  it('applies in numeric order and is idempotent', () => {
    write('010_c.sql', 'INSERT INTO t (v) VALUES (10);');
    write('001_a.sql', 'CREATE TABLE t (v INTEGER);');
    write('002_b.sql', 'INSERT INTO t (v) VALUES (2);');
    write('README.txt', 'not a migration');
    const db = connect();

    const first = runMigrations(db, { dir: migrations });
    const second = runMigrations(db, { dir: migrations });

    expect(first).toEqual({
      applied: ['001_a.sql', '002_b.sql', '010_c.sql'],
      version: 10,
    });
    expect(second).toEqual({ applied: [], version: 10 });
    expect(db.prepare('SELECT v FROM t ORDER BY rowid').pluck().all()).toEqual([
      2, 10,
    ]);
    db.close();
  });

  it('applies only migrations added since the last run', () => {
    write('001_a.sql', 'CREATE TABLE t (v INTEGER);');
    const db = connect();
    runMigrations(db, { dir: migrations });

    write('002_b.sql', 'CREATE TABLE u (v INTEGER);');
    expect(runMigrations(db, { dir: migrations }).applied).toEqual([
      '002_b.sql',
    ]);
    db.close();
  });

  it('rolls a failing migration back and records nothing', () => {
    write('001_a.sql', 'CREATE TABLE t (v INTEGER);');
    write(
      '002_bad.sql',
      'CREATE TABLE u (v INTEGER); INSERT INTO nope VALUES (1);',
    );
    const db = connect();

    const err = thrown(() => runMigrations(db, { dir: migrations }));

    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: 'storage_error' });
    expect((err as Error).message).toContain('002_bad.sql');
    const ledger = db
      .prepare('SELECT name FROM schema_migrations')
      .pluck()
      .all();
    expect(ledger).toEqual(['001_a.sql']);
    const u = db
      .prepare("SELECT count(*) FROM sqlite_schema WHERE name = 'u'")
      .pluck()
      .get();
    expect(u).toBe(0);
    db.close();
  });

  it('refuses a migration edited after it ran', () => {
    write('001_a.sql', 'CREATE TABLE t (v INTEGER);');
    const db = connect();
    runMigrations(db, { dir: migrations });
    write('001_a.sql', 'CREATE TABLE t (v INTEGER, w TEXT);');

    const err = thrown(() => runMigrations(db, { dir: migrations }));

    expect(err).toMatchObject({ code: 'storage_error' });
    expect((err as Error).message).toMatch(/001_a\.sql changed/);
    db.close();
  });

  it('refuses a database migrated by a newer build', () => {
    write('001_a.sql', 'CREATE TABLE t (v INTEGER);');
    write('002_b.sql', 'CREATE TABLE u (v INTEGER);');
    const db = connect();
    runMigrations(db, { dir: migrations });
    rmSync(path.join(migrations, '002_b.sql'));

    const err = thrown(() => runMigrations(db, { dir: migrations }));

    expect(err).toMatchObject({ code: 'storage_error' });
    expect((err as Error).message).toContain('002_b.sql');
    db.close();
  });

  it('rejects misnamed and duplicate-numbered files', () => {
    write('1_a.sql', 'SELECT 1;');
    const db = connect();
    expect(thrown(() => runMigrations(db, { dir: migrations }))).toMatchObject({
      code: 'bad_config',
    });

    rmSync(path.join(migrations, '1_a.sql'));
    write('003_a.sql', 'SELECT 1;');
    write('003_b.sql', 'SELECT 1;');
    const err = thrown(() => runMigrations(db, { dir: migrations }));
    expect(err).toMatchObject({ code: 'bad_config' });
    expect((err as Error).message).toMatch(/share version 3/);
    db.close();
  });

  it('reports a missing folder as bad configuration', () => {
    const db = connect();
    const missing = path.join(dir, 'absent');
    expect(thrown(() => runMigrations(db, { dir: missing }))).toMatchObject({
      code: 'bad_config',
    });
    db.close();
  });
});
