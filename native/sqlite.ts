// The one door to better-sqlite3, the native SQLite binding. Its compiled addon is built for one Node/Electron ABI
// and is loaded lazily by the first `new Database()`; when it cannot load, this says so and how to fix it instead
// of surfacing a bare dlopen error.
import Database from 'better-sqlite3';

export type SqliteDatabase = Database.Database;
export type SqliteStatement<Params extends unknown[] = unknown[], Row = unknown> = Database.Statement<Params, Row>;

/** The native SQLite module cannot be loaded in this runtime (missing build or built for another ABI). */
export class NativeModuleError extends Error {
  override name = 'NativeModuleError';
}

export interface OpenSqliteOptions {
  readonly?: boolean;
  fileMustExist?: boolean;
  /** Milliseconds a statement waits for another connection's lock before failing with SQLITE_BUSY. */
  busyTimeoutMs?: number;
}

/** Opens (or creates) a SQLite database file; throws NativeModuleError when better-sqlite3's addon cannot load. */
export function openSqlite(file: string, options: OpenSqliteOptions = {}): SqliteDatabase {
  try {
    return new Database(file, {
      readonly: options.readonly ?? false,
      fileMustExist: options.fileMustExist ?? false,
      timeout: options.busyTimeoutMs ?? 5000,
    });
  } catch (error) {
    if (isAddonLoadFailure(error)) throw new NativeModuleError(addonLoadMessage(error));
    throw error;
  }
}

function isAddonLoadFailure(error: unknown): error is Error {
  if (!(error instanceof Error)) return false;
  const code = (error as NodeJS.ErrnoException).code;
  return (
    code === 'ERR_DLOPEN_FAILED' ||
    /NODE_MODULE_VERSION|better_sqlite3\.node|Could not locate the bindings file|invalid ELF header|was compiled against a different Node\.js version/.test(
      error.message,
    )
  );
}

function addonLoadMessage(error: Error): string {
  const electron = process.versions.electron;
  const runtime = electron
    ? `Electron ${electron} (module ABI ${process.versions.modules})`
    : `Node ${process.versions.node} (module ABI ${process.versions.modules})`;
  const fix = electron
    ? 'rebuild it for Electron: `npx electron-builder install-app-deps` (or `npx @electron/rebuild -f -w better-sqlite3`)'
    : 'rebuild it for this Node: `npm rebuild better-sqlite3`';
  return `the SQLite native module (better-sqlite3) could not be loaded in ${runtime}: ${error.message.replace(/\s*\n\s*/g, ' ')}. ` +
    `It must be compiled for the runtime that loads it; ${fix}, then start again.`;
}
