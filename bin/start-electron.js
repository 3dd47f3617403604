#!/usr/bin/env node
// `npm start`: builds EVGAP Studio and opens it in Electron. Electron's binary is downloaded on first use when it is
// missing (installs may skip it); where that download is impossible, say so in one line and point at the browser.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));

/** The Electron executable if it is installed, else null (the electron package throws when its binary is missing). */
function electronBinary() {
  try {
    const binary = require('electron');
    return typeof binary === 'string' && existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

function downloadElectron() {
  const install = join(root, 'node_modules', 'electron', 'install.js');
  if (!existsSync(install)) return false;
  const env = { ...process.env };
  delete env.ELECTRON_SKIP_BINARY_DOWNLOAD;
  const result = spawnSync(process.execPath, [install], { cwd: root, env, stdio: 'ignore', timeout: 15 * 60_000 });
  return result.status === 0;
}

function build() {
  const cli = join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js');
  const result = spawnSync(process.execPath, [cli, 'build'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const binary = electronBinary() ?? (downloadElectron() ? electronBinary() : null);
if (!binary) {
  console.error("Electron's binary could not be downloaded here; use `npm run serve` to open EVGAP Studio in a browser.");
  process.exit(1);
}
build();
const env = { ...process.env };
delete env.ELECTRON_RUN_AS_NODE;
const child = spawn(binary, [join(root, 'out', 'main', 'index.js'), ...process.argv.slice(2)], { cwd: root, env, stdio: 'inherit' });
child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 0)));
