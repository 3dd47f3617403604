// Where EVGAP Studio keeps its data: the per-user data directory (overridable with --data or EVGAP_DATA_DIR),
// the catalog file inside it, and the folder for generated datasets.
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export const APP_NAME = 'EVGAP Studio';
export const DATA_DIR_ENV = 'EVGAP_DATA_DIR';

/** The platform's standard per-user data folder for this app. */
export function defaultDataDir(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env): string {
  const home = homedir();
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), APP_NAME);
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', APP_NAME);
  return join(env.XDG_DATA_HOME ?? join(home, '.local', 'share'), 'evgap-studio');
}

/** --data wins, then EVGAP_DATA_DIR, then the platform default. */
export function resolveDataDir(flag?: string, env: NodeJS.ProcessEnv = process.env): string {
  if (flag) return resolve(flag);
  if (env[DATA_DIR_ENV]) return resolve(env[DATA_DIR_ENV]!);
  return defaultDataDir(process.platform, env);
}

export const catalogFile = (dataDir: string) => join(dataDir, 'catalog.sqlite');
export const datasetsDir = (dataDir: string) => join(dataDir, 'datasets');
