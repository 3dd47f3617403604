// The packaged app, inspected: a Linux x64 directory build made from out/ with electron-builder.yml and a
// placeholder Electron distribution (see directoryBuild.ts). Its app.asar must hold the built entry points and the
// production dependencies they import, no sources or tests, with native addons, ffmpeg/ffprobe and the wasm
// backend's binaries unpacked as real files, within the size budget. Needs out/ built (`npm test` builds it first;
// test/preconditions.ts: skipped with the reason, failing under CI); about 15 s.
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { extractAll, extractFile } from '@electron/asar';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { builtFile, needs } from '../preconditions';
import { buildDirectoryWithPlaceholderElectron, type DirectoryBuild } from './directoryBuild';
import { archivedFiles, biggestContributors, folderSize, megabytes, type ArchivedFile } from './packageInventory';

const projectDir = join(import.meta.dirname, '..', '..');
const builtApp = ['out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html'].map(builtFile);
const matmulAddon = 'native/matmul/build/Release/evgap_matmul.node';

/** Size budget of the app's own files (app.asar plus app.asar.unpacked) on Linux x64, native TensorFlow aside. */
const APP_BUDGET_BYTES = 200 * 1024 * 1024;
/** The archive alone: the built code and the pure-JavaScript dependencies. */
const ASAR_BUDGET_BYTES = 25 * 1024 * 1024;
/** All TF.js packages together (their unused browser and ES module bundles left out). */
const TFJS_BUDGET_BYTES = 16 * 1024 * 1024;
/** @tensorflow/tfjs-node(-gpu): optional, in the package only when installed where it is built. */
const NATIVE_TENSORFLOW = /^node_modules\/@tensorflow\/tfjs-node(-gpu)?\//;

/** Bare package names the bundled main code imports at run time (its externals), node: builtins and electron aside. */
function externalPackages(): string[] {
  const names = new Set<string>();
  const folders = [join(projectDir, 'out', 'main'), join(projectDir, 'out', 'main', 'chunks')];
  for (const folder of folders.filter((candidate) => existsSync(candidate))) {
    for (const name of readdirJs(folder)) {
      const code = readFileSync(join(folder, name), 'utf8');
      for (const match of code.matchAll(/(?:from\s*|import\s*\(\s*|require\(\s*)["']([^"'./][^"']*)["']/g)) {
        const specifier = match[1] as string;
        if (specifier.startsWith('node:') || specifier === 'electron') continue;
        const parts = specifier.split('/');
        names.add(specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] as string));
      }
    }
  }
  return [...names].sort();
}

function readdirJs(folder: string): string[] {
  return readdirSync(folder).filter((name) => name.endsWith('.js'));
}

needs(...builtApp).describe('packaged app (directory build with a placeholder Electron)', () => {
  let workDir: string;
  let build: DirectoryBuild;
  let files: ArchivedFile[];
  let byPath: Map<string, ArchivedFile>;

  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), 'evgap-package-'));
    build = await buildDirectoryWithPlaceholderElectron(projectDir, workDir);
    files = archivedFiles(build.asarFile);
    byPath = new Map(files.map((file) => [file.path, file]));
  }, 240_000);

  afterAll(() => {
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  it('holds the built entry points: shell, CLI, workers, preload and renderer', () => {
    for (const entry of ['out/main/index.js', 'out/main/cli.js', 'out/main/worker.js', 'out/main/pipeline.js', 'out/main/heads.js', 'out/preload/index.cjs', 'out/renderer/index.html', 'package.json']) {
      expect(byPath.has(entry), `${entry} is missing from app.asar`).toBe(true);
    }
    const manifest = JSON.parse(extractFile(build.asarFile, 'package.json').toString('utf8')) as { main?: string; type?: string };
    expect(manifest.main).toBe('out/main/index.js');
    expect(manifest.type).toBe('module');
    expect(existsSync(join(build.appDir, 'evgap-studio')), 'the executable is named evgap-studio').toBe(true);
  });

  it('holds no TypeScript sources, tests, source maps or build intermediates', () => {
    const offending = files.filter(
      (file) =>
        /\.(ts|mts|cts|tsx|map|cc|cpp|h|o|a)$/.test(file.path) ||
        /(^|\/)(test|tests|__tests__)\//.test(file.path) ||
        /^(main|contract|preload|renderer|native\/matmul\/src|bench|bin|resources)\//.test(file.path) ||
        file.path.startsWith('node_modules/better-sqlite3/deps/'),
    );
    expect(offending.map((file) => file.path)).toEqual([]);
  });

  it('holds every package the bundled main code imports, with its entry file', () => {
    const externals = externalPackages();
    expect(externals).toEqual(expect.arrayContaining(['@tensorflow/tfjs', 'better-sqlite3', 'ws']));
    expect(externals, 'LMDB is read by main/formats/lmdb, not a native package').not.toContain('lmdb');
    for (const name of [...externals, '@tensorflow/tfjs-backend-wasm', '@ffmpeg-installer/ffmpeg', '@ffprobe-installer/ffprobe']) {
      const manifestPath = `node_modules/${name}/package.json`;
      expect(byPath.has(manifestPath), `${manifestPath} is missing`).toBe(true);
      const manifest = JSON.parse(extractFile(build.asarFile, manifestPath).toString('utf8')) as { main?: string };
      const main = (manifest.main ?? 'index.js').replace(/^\.\//, '');
      const candidates = [main, `${main}.js`, `${main}/index.js`].map((file) => `node_modules/${name}/${file}`);
      expect(candidates.some((file) => byPath.has(file)), `${name}'s entry ${main} is missing`).toBe(true);
    }
  });

  it('keeps of TF.js only the Node bundles and the wasm binaries', () => {
    const tfjs = files.filter((file) => file.path.startsWith('node_modules/@tensorflow/') && !NATIVE_TENSORFLOW.test(file.path));
    const dist = tfjs.filter((file) => /^node_modules\/@tensorflow\/[^/]+\/dist\//.test(file.path));
    expect(dist.length).toBeGreaterThan(0);
    expect(dist.filter((file) => !/\/dist\/[^/]+\.node\.js$|\/dist\/[^/]+\.wasm$/.test(file.path)).map((file) => file.path)).toEqual([]);
    const total = tfjs.reduce((sum, file) => sum + file.size, 0);
    expect(total).toBeLessThan(TFJS_BUDGET_BYTES);
  });

  it('unpacks native addons, ffmpeg/ffprobe and the wasm binaries as real files beside the archive', () => {
    const mustBeFiles = files.filter((file) => /\.(node|wasm)$/.test(file.path) || /^node_modules\/@ff(mpeg|probe)-installer\/[^/]+\/ff(mpeg|probe)(\.exe)?$/.test(file.path));
    const expected = [
      'node_modules/better-sqlite3/build/Release/better_sqlite3.node',
      'node_modules/@ffmpeg-installer/linux-x64/ffmpeg',
      'node_modules/@ffprobe-installer/linux-x64/ffprobe',
      'node_modules/@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm',
      'node_modules/@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm',
      ...(existsSync(join(projectDir, matmulAddon)) ? [matmulAddon] : []),
    ];
    expect(mustBeFiles.map((file) => file.path)).toEqual(expect.arrayContaining(expected));
    for (const file of mustBeFiles) {
      expect(file.unpacked, `${file.path} is inside app.asar`).toBe(true);
      expect(existsSync(join(build.unpackedDir, file.path)), `${file.path} is not in app.asar.unpacked`).toBe(true);
    }
    for (const binary of ['node_modules/@ffmpeg-installer/linux-x64/ffmpeg', 'node_modules/@ffprobe-installer/linux-x64/ffprobe']) {
      expect(statSync(join(build.unpackedDir, binary)).mode & 0o111, `${binary} is not executable`).not.toBe(0);
    }
  });

  it('runs from its own files: the CLI registers a demo, and TF.js computes on the wasm backend', () => {
    const extracted = join(workDir, 'extracted');
    extractAll(build.asarFile, extracted);
    cpSync(build.unpackedDir, extracted, { recursive: true, force: true });
    const env = { ...process.env, EVGAP_DATA_DIR: join(workDir, 'data') };
    const demo = spawnSync(process.execPath, ['out/main/cli.js', 'demo', '--no-pipeline', '--no-videos', '--scenes', '3', '--dim', '8'], {
      cwd: extracted,
      env,
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(demo.status, demo.stderr).toBe(0);
    expect(demo.stdout).toMatch(/Demo dataset ready/);
    const script = [
      "import * as tf from '@tensorflow/tfjs';",
      "import * as wasm from '@tensorflow/tfjs-backend-wasm';",
      "import { createRequire } from 'node:module';",
      "import { dirname, sep } from 'node:path';",
      "const require = createRequire(process.cwd() + '/package.json');",
      "wasm.setWasmPaths(dirname(require.resolve('@tensorflow/tfjs-backend-wasm')) + sep);",
      "await tf.setBackend('wasm');",
      "const product = tf.matMul(tf.tensor2d([[1, 2], [3, 4]]), tf.tensor2d([[1], [1]]));",
      "console.log(tf.getBackend(), JSON.stringify(await product.data()));",
      "console.log(require('@ffmpeg-installer/ffmpeg').path);",
    ].join('\n');
    const tfjs = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: extracted, encoding: 'utf8', timeout: 120_000 });
    expect(tfjs.status, tfjs.stderr).toBe(0);
    const [backendLine, ffmpegLine] = tfjs.stdout.trim().split('\n');
    expect(backendLine).toBe('wasm {"0":3,"1":7}');
    expect(statSync(ffmpegLine as string).mode & 0o111).not.toBe(0);
  });

  it('carries the PyTorch package unpacked, and `evgap export job` copies it into a job folder', () => {
    const python = files.filter((file) => file.path.startsWith('python/'));
    expect(python.map((file) => file.path)).toEqual(expect.arrayContaining(['python/evgap_torch/__init__.py', 'python/evgap_torch/train.py']));
    expect(python.filter((file) => !/^python\/evgap_torch\/\w+\.py$/.test(file.path) || !file.unpacked)).toEqual([]);
    const extracted = join(workDir, 'extracted-for-job');
    extractAll(build.asarFile, extracted);
    cpSync(build.unpackedDir, extracted, { recursive: true, force: true });
    const env = { ...process.env, EVGAP_DATA_DIR: join(workDir, 'job-data') };
    const run = (args: string[]) => spawnSync(process.execPath, ['out/main/cli.js', ...args], { cwd: extracted, env, encoding: 'utf8', timeout: 120_000 });
    const demo = run(['demo', '--no-pipeline', '--no-videos', '--scenes', '3', '--dim', '8']);
    expect(demo.status, demo.stderr).toBe(0);
    const job = join(workDir, 'job');
    const exported = run(['export', 'job', '--dataset', 'demo', '--step', '1', '--out', job]);
    expect(exported.status, exported.stderr).toBe(0);
    expect(readdirSync(join(job, 'python', 'evgap_torch')).sort()).toEqual(python.map((file) => file.path.split('/').pop()).sort());
  });

  it('stays within the size budget', () => {
    const asarBytes = statSync(build.asarFile).size;
    const unpackedBytes = folderSize(build.unpackedDir);
    // The native TensorFlow bindings (libtensorflow) ship only when installed at build time; they are not budgeted.
    const nativeTensorFlowBytes = files.filter((file) => NATIVE_TENSORFLOW.test(file.path)).reduce((sum, file) => sum + file.size, 0);
    const contributors = biggestContributors(files, 8).map(({ contributor, bytes }) => `${contributor} ${megabytes(bytes)}`);
    console.info(
      `packaged app (linux-x64, Electron itself not counted): ${megabytes(asarBytes + unpackedBytes)} = ` +
        `app.asar ${megabytes(asarBytes)} + app.asar.unpacked ${megabytes(unpackedBytes)}` +
        `${nativeTensorFlowBytes > 0 ? `, of which native TensorFlow bindings ${megabytes(nativeTensorFlowBytes)}` : ''}; ` +
        `biggest: ${contributors.join(', ')}`,
    );
    expect(asarBytes).toBeLessThan(ASAR_BUDGET_BYTES);
    expect(asarBytes + unpackedBytes - nativeTensorFlowBytes).toBeLessThan(APP_BUDGET_BYTES);
  });
});
