// Where the desktop app keeps its files: one data folder shared with the `evgap` CLI (main/paths.ts: the
// platform's per-user data folder, or EVGAP_DATA_DIR / --data), which is also Electron's userData, with
// Chromium's own session data (caches, local storage) in a subfolder of it, apart from the catalog and datasets.
import { join } from 'node:path';
import { resolveDataDir } from '../paths';

export interface ElectronDataPaths {
  dataDir: string;
  /** app.setPath('userData', …). */
  userData: string;
  /** app.setPath('sessionData', …). */
  sessionData: string;
}

/** The value of `--data DIR` or `--data=DIR` among the app's command-line arguments, if given. */
export function dataFlag(argv: readonly string[]): string | undefined {
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index] as string;
    if (argument === '--data') return argv[index + 1];
    if (argument.startsWith('--data=')) return argument.slice('--data='.length);
  }
  return undefined;
}

export function electronDataPaths(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): ElectronDataPaths {
  const dataDir = resolveDataDir(dataFlag(argv), env);
  return { dataDir, userData: dataDir, sessionData: join(dataDir, 'electron-session') };
}
