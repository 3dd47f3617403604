// A stand-in for an unpacked Electron distribution (what electron-builder's `electronDist` points at), for
// directory builds where Electron's binary cannot be downloaded. electron-builder copies the folder as the app's
// shell, renames `electron` to the executable name and adds resources/app.asar; so the stand-in holds an `electron`
// script that says what it is, the version file, Electron's LICENSE and an empty resources/ folder (no
// default_app.asar: electron-builder hashes every .asar it finds there, and a fake one is not an archive).
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Writes the stand-in distribution into `folder` (created if needed) and returns `folder`. */
export function writePlaceholderElectronDist(folder: string, electronVersion: string): string {
  mkdirSync(join(folder, 'resources'), { recursive: true });
  const executable = join(folder, 'electron');
  writeFileSync(executable, `#!/bin/sh\necho "placeholder for Electron ${electronVersion}: this directory build is for inspection only" >&2\nexit 1\n`);
  chmodSync(executable, 0o755);
  writeFileSync(join(folder, 'version'), `${electronVersion}\n`);
  writeFileSync(join(folder, 'LICENSE'), 'Placeholder for the Electron distribution\'s LICENSE file.\n');
  return folder;
}
