// Builds the evgap_matmul addon (native/matmul) with node-gyp at install time. A missing compiler, node-gyp or
// Node headers must not fail `npm ci`: the app then trains on the wasm backend's own kernels. So on failure this
// prints one line, writes the reason to native/matmul/build-failure.txt (where the loader, native/matmul/index.ts,
// finds it to say why the addon is not used) and exits 0. EVGAP_SKIP_NATIVE_BUILD=1 skips the build.
// Usage: node native/matmul/build.js
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const addonFolder = dirname(fileURLToPath(import.meta.url));
const failureFile = join(addonFolder, 'build-failure.txt');
const builtAddon = join(addonFolder, 'build', 'Release', 'evgap_matmul.node');

/** node-gyp's entry script: npm's own (npm exports its path to install scripts), the project's, or npm's bundled copy. */
function findNodeGyp() {
  const candidates = [process.env.npm_config_node_gyp];
  try {
    candidates.push(createRequire(import.meta.url).resolve('node-gyp/bin/node-gyp.js'));
  } catch {
    // not a dependency of the project: try npm's copy
  }
  if (process.env.npm_execpath) candidates.push(resolve(dirname(process.env.npm_execpath), '..', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
  candidates.push(resolve(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
  return candidates.find((candidate) => candidate !== undefined && candidate !== '' && existsSync(candidate));
}

/** Node's headers next to the running node (a distribution's /usr/include/node), so no download is needed. */
function localNodeDir() {
  if (process.env.npm_config_nodedir) return undefined;
  const prefix = resolve(dirname(process.execPath), '..');
  return existsSync(join(prefix, 'include', 'node', 'node_api.h')) ? prefix : undefined;
}

/** The line of the build output that says what went wrong. */
function failureReason(output) {
  const lines = output.split('\n').map((line) => line.trim()).filter((line) => line !== '');
  const telling = lines.find((line) => /No such file or directory|not found|error:|Error:|not ok/.test(line) && !line.startsWith('gyp info'));
  return telling ?? lines.at(-1) ?? 'node-gyp failed without output';
}

function fail(reason) {
  writeFileSync(failureFile, `${reason}\n`);
  console.log(`evgap: native matmul addon not built (${reason}); training will use the wasm backend's own kernels`);
  process.exit(0);
}

function main() {
  rmSync(failureFile, { force: true });
  if (process.env.EVGAP_SKIP_NATIVE_BUILD === '1') fail('EVGAP_SKIP_NATIVE_BUILD=1');
  const nodeGyp = findNodeGyp();
  if (nodeGyp === undefined) fail('node-gyp not found');
  const nodeDir = localNodeDir();
  const args = [nodeGyp, 'rebuild', '--release', ...(nodeDir === undefined ? [] : [`--nodedir=${nodeDir}`])];
  const result = spawnSync(process.execPath, args, { cwd: addonFolder, encoding: 'utf8', timeout: 600_000 });
  const output = `${result.stdout ?? ''}\n${result.stderr ?? ''}`;
  if (result.error !== undefined) fail(`could not run node-gyp: ${result.error.message}`);
  if (result.status !== 0) fail(`node-gyp exited with ${result.status}: ${failureReason(output)}`);
  if (!existsSync(builtAddon)) fail(`node-gyp succeeded but ${builtAddon} is missing`);
  console.log(`evgap: built native matmul addon ${builtAddon}`);
}

main();
