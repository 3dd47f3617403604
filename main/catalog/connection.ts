// How every catalog connection is configured. The UI process and the training worker write the same file through
// separate connections, so all of them must agree: WAL (readers never block the writer), foreign keys enforced,
// a busy timeout so a writer waits for the other instead of failing, and synchronous NORMAL (safe under WAL).
import { openSqlite, type SqliteDatabase } from '../../native/sqlite';

export const BUSY_TIMEOUT_MS = 5000;

/** Per-connection settings; they change nothing in the file, so they are safe before the schema version check. */
export const SESSION_PRAGMAS: readonly string[] = [
  `busy_timeout = ${BUSY_TIMEOUT_MS}`,
  'foreign_keys = ON',
  'synchronous = NORMAL',
];

/** Persistent settings written into the file header; applied only once the file is known to be ours to change. */
export const FILE_PRAGMAS: readonly string[] = ['journal_mode = WAL'];

/** Opens a connection with SESSION_PRAGMAS applied; the caller applies FILE_PRAGMAS after checking the version. */
export function openSession(file: string): SqliteDatabase {
  const db = openSqlite(file, { busyTimeoutMs: BUSY_TIMEOUT_MS });
  try {
    applyPragmas(db, SESSION_PRAGMAS);
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

export function applyPragmas(db: SqliteDatabase, pragmas: readonly string[]): void {
  for (const pragma of pragmas) db.pragma(pragma);
}
