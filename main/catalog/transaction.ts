// Write transactions for a file shared by several processes. BEGIN IMMEDIATE takes the write lock at BEGIN, where
// busy_timeout makes a second writer wait; a deferred transaction that reads first and writes later can instead
// fail with SQLITE_BUSY at its first write, which no timeout can fix.
import type { SqliteDatabase } from '../../native/sqlite';

export function writeTransaction<Args extends unknown[], Result>(
  db: SqliteDatabase,
  fn: (...args: Args) => Result,
): (...args: Args) => Result {
  const transaction = db.transaction(fn);
  return (...args: Args) => transaction.immediate(...args);
}
