// The migration runner: all pending migrations in one transaction, and a newer file refused untouched.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { Catalog, CatalogVersionError } from '../../../main/catalog/Catalog';
import { openSession } from '../../../main/catalog/connection';
import { migrate, schemaVersionOf } from '../../../main/catalog/migrate';
import { migrations, type Migration } from '../../../main/catalog/migrations';
import { useTempDir } from './fixtures/catalogFixtures';

const tempDir = useTempDir();
const newest = migrations.at(-1)!.version;

describe('migrate', () => {
  it('brings a new catalog to the newest schema version', () => {
    const catalog = Catalog.open(join(tempDir(), 'nested', 'folders', 'catalog.sqlite'));
    try {
      expect(catalog.schemaVersion).toBe(newest);
      expect(catalog.listDatasets()).toEqual([]);
    } finally {
      catalog.close();
    }
  });

  it('opens the catalog in WAL mode', () => {
    const file = join(tempDir(), 'catalog.sqlite');
    Catalog.open(file).close();
    const db = new Database(file, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it('applies nothing when one pending migration fails', () => {
    const file = join(tempDir(), 'catalog.sqlite');
    const db = openSession(file);
    const failing: Migration[] = [
      { version: 10, name: '0010-ok', up: (d) => d.exec('CREATE TABLE a (x INTEGER) STRICT') },
      { version: 20, name: '0020-broken', up: (d) => d.exec('CREATE TABLE b (x NOSUCHTYPE) STRICT') },
    ];
    expect(() => migrate(db, file, failing)).toThrow(/unknown datatype/);
    expect(schemaVersionOf(db)).toBe(0);
    expect(db.prepare(`SELECT name FROM sqlite_schema WHERE name = 'a'`).get()).toBeUndefined();
    db.close();
  });

  it('refuses migrations that are not numbered in increasing tens', () => {
    const file = join(tempDir(), 'catalog.sqlite');
    const db = openSession(file);
    const misnumbered: Migration[] = [{ version: 15, name: '0015-odd', up: () => {} }];
    expect(() => migrate(db, file, misnumbered)).toThrow('migration 0015-odd: expected a version that is a multiple of 10 above 0, got 15');
    db.close();
  });

  it('refuses a file written by a newer app, naming both versions, and leaves its bytes unchanged', () => {
    const file = join(tempDir(), 'catalog.sqlite');
    const newer = new Database(file);
    newer.exec('CREATE TABLE future_things (id INTEGER PRIMARY KEY, payload TEXT)');
    newer.prepare('INSERT INTO future_things (payload) VALUES (?)').run('from the future');
    newer.pragma('user_version = 990');
    newer.close();
    const before = readFileSync(file);

    let thrown: unknown;
    try {
      Catalog.open(file).close();
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(CatalogVersionError);
    expect((thrown as Error).message).toBe(
      `catalog ${file} was written by a newer EVGAP Studio (schema 990, this app knows up to ${newest}); open it with a newer version`,
    );
    expect(readFileSync(file).equals(before)).toBe(true);
    expect(existsSync(`${file}-wal`)).toBe(false);
  });
});
