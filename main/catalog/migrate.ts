// The schema migration runner: applies the migrations above the file's `PRAGMA user_version` in one write
// transaction and refuses a file written by a newer app, so an older EVGAP Studio never damages a newer catalog.
import type { SqliteDatabase } from '../../native/sqlite';
import type { Migration } from './migrations';

/** The catalog file's schema is newer than any this app knows. */
export class CatalogVersionError extends Error {
  override name = 'CatalogVersionError';
  constructor(
    readonly file: string,
    readonly fileVersion: number,
    readonly knownVersion: number,
  ) {
    super(
      `catalog ${file} was written by a newer EVGAP Studio (schema ${fileVersion}, this app knows up to ${knownVersion}); ` +
        'open it with a newer version',
    );
  }
}

export function schemaVersionOf(db: SqliteDatabase): number {
  return db.pragma('user_version', { simple: true }) as number;
}

export function latestVersion(migrations: readonly Migration[]): number {
  return migrations.at(-1)?.version ?? 0;
}

/** Throws CatalogVersionError if the file's schema is newer than the newest migration; reads only. */
export function assertKnownVersion(db: SqliteDatabase, file: string, migrations: readonly Migration[]): void {
  const fileVersion = schemaVersionOf(db);
  const known = latestVersion(migrations);
  if (fileVersion > known) throw new CatalogVersionError(file, fileVersion, known);
}

/**
 * Brings the schema to `target` (default: the newest migration) and returns the resulting version. The version is
 * re-read inside the immediate transaction, so two processes opening a fresh file at once migrate it only once.
 */
export function migrate(
  db: SqliteDatabase,
  file: string,
  migrations: readonly Migration[],
  target = latestVersion(migrations),
): number {
  checkOrder(migrations);
  if (target !== 0 && !migrations.some((migration) => migration.version === target)) {
    throw new Error(`migrate: expected a target of 0 or a known migration version, got ${target}`);
  }
  const apply = db.transaction(() => {
    assertKnownVersion(db, file, migrations);
    const current = schemaVersionOf(db);
    if (current >= target) return current;
    for (const migration of migrations) {
      if (migration.version > current && migration.version <= target) migration.up(db);
    }
    db.pragma(`user_version = ${target}`);
    return target;
  });
  return apply.immediate();
}

function checkOrder(migrations: readonly Migration[]): void {
  migrations.forEach((migration, index) => {
    const previous = index === 0 ? 0 : migrations[index - 1]!.version;
    if (!Number.isInteger(migration.version) || migration.version % 10 !== 0 || migration.version <= previous) {
      throw new Error(
        `migration ${migration.name}: expected a version that is a multiple of 10 above ${previous}, got ${migration.version}`,
      );
    }
  });
}
