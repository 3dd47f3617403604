// Makes a Linux x64 directory build of EVGAP Studio from out/ with electron-builder.yml as it is, but with a
// placeholder Electron distribution (no Electron binary can be downloaded here) and without rebuilding native
// modules for Electron (that needs Electron's headers; a real `npm run dist` does rebuild better-sqlite3).
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Arch, build, Platform } from 'electron-builder';
import { writePlaceholderElectronDist } from './placeholderElectron';

export interface DirectoryBuild {
  /** The unpacked app: the executable, resources/app.asar and resources/app.asar.unpacked. */
  appDir: string;
  resourcesDir: string;
  asarFile: string;
  unpackedDir: string;
}

/** The Electron version the project builds against (node_modules/electron/package.json). */
export function electronVersion(projectDir: string): string {
  const manifest = JSON.parse(readFileSync(join(projectDir, 'node_modules', 'electron', 'package.json'), 'utf8')) as { version?: unknown };
  if (typeof manifest.version !== 'string') throw new Error(`expected a version in ${projectDir}/node_modules/electron/package.json`);
  return manifest.version;
}

/** Builds into `workDir` (placeholder distribution in workDir/electron-dist, output in workDir/dist). */
export async function buildDirectoryWithPlaceholderElectron(projectDir: string, workDir: string): Promise<DirectoryBuild> {
  const electronDist = writePlaceholderElectronDist(join(workDir, 'electron-dist'), electronVersion(projectDir));
  const output = join(workDir, 'dist');
  mkdirSync(output, { recursive: true });
  await build({
    projectDir,
    targets: Platform.LINUX.createTarget('dir', Arch.x64),
    config: { electronDist, npmRebuild: false, directories: { output } },
    publish: 'never',
  });
  const appDir = join(output, 'linux-unpacked');
  const resourcesDir = join(appDir, 'resources');
  return { appDir, resourcesDir, asarFile: join(resourcesDir, 'app.asar'), unpackedDir: join(resourcesDir, 'app.asar.unpacked') };
}
