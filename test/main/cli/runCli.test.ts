// The CLI in-process: help and usage errors with their exit codes, datasets/info output, a newer catalog refused.
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogFile } from '../../../main/paths';
import { createCatalogFixture, type CatalogFixture } from '../api/catalogFixture';
import { runCaptured } from './cliHarness';

let fixture: CatalogFixture;

beforeAll(() => {
  fixture = createCatalogFixture();
});

afterAll(() => fixture.cleanup());

describe('evgap: help and usage', () => {
  it.each([[['--help']], [['-h']], [['help']]])('%j prints the commands and exits 0', async (argv) => {
    const result = await runCaptured(argv);
    expect(result.code).toBe(0);
    for (const command of ['demo', 'serve', 'datasets', 'info']) expect(result.stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
    expect(result.stdout).toContain('--data DIR');
  });

  it.each(['demo', 'serve', 'datasets', 'info'])('%s --help prints its usage and exits 0', async (command) => {
    for (const flag of ['--help', '-h']) {
      const result = await runCaptured([command, flag]);
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(new RegExp(`^Usage: evgap ${command}`));
      expect(result.stderr).toBe('');
    }
  });

  it('no command prints the help to stderr and exits 2', async () => {
    const result = await runCaptured([]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Commands:');
  });

  it('an unknown command exits 2 naming it', async () => {
    const result = await runCaptured(['frobnicate']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^evgap: unknown command "frobnicate"/);
  });

  it.each([
    [['datasets', '--frob'], /^evgap: Unknown option '--frob'/],
    [['serve', '--port', 'abc'], /^evgap: --port: expected an integer from 0 to 65535, got "abc"/],
    [['serve', '--port'], /^evgap: Option '--port <value>' argument missing/],
    [['info'], /^evgap: missing DATASET/],
    [['info', 'a', 'b'], /^evgap: unexpected argument "b"/],
    [['--frob', 'datasets'], /^evgap: unknown global option "--frob"/],
  ])('%j is a usage error (exit 2)', async (argv, message) => {
    const result = await runCaptured(argv);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toMatch(/Run `evgap .*--help` for usage\./);
  });

  it('--version prints the package version', async () => {
    const result = await runCaptured(['--version']);
    expect(result.stdout.trim()).toBe(JSON.parse(readFileSync(join(import.meta.dirname, '../../../package.json'), 'utf8')).version);
  });
});

describe('evgap datasets / info', () => {
  it('datasets --json lists the catalog, with --data before or after the command', async () => {
    for (const argv of [['datasets', '--json', '--data', fixture.dataDir], ['--data', fixture.dataDir, 'datasets', '--json']]) {
      const result = await runCaptured(argv);
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout)).toEqual(fixture.catalog.listDatasets());
    }
  });

  it('takes the data folder from EVGAP_DATA_DIR', async () => {
    const result = await runCaptured(['datasets'], { env: { EVGAP_DATA_DIR: fixture.dataDir } });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^ID\s+NAME\s+FORMAT/);
    expect(result.stdout).toMatch(/^\d+\s+small\s+folder\s+2\s+4\s+4\s+4\s+0\s+/m);
  });

  it('info DATASET --json reports scenes, views, tracks, segments and totals', async () => {
    for (const name of ['small', String(fixture.datasetId)]) {
      const result = await runCaptured(['info', name, '--json', '--data', fixture.dataDir]);
      expect(result.code).toBe(0);
      const report = JSON.parse(result.stdout);
      expect(report.dataset.name).toBe('small');
      expect(report.totals).toEqual({ scenes: 2, views: { ego: 2, exo: 2 }, tracks: 4, frames: 120, segments: 4, runs: 0 });
      expect(report.scenes).toHaveLength(2);
      expect(report.scenes[0].views[0].track).toMatchObject({ frameCount: 30, featureDim: 16 });
      expect(report.scenes[0].segments[0]).toMatchObject({ label: 'take cup', startFrame: 0, endFrame: 10 });
      expect(report.runs).toEqual([]);
    }
  });

  it('info prints a readable report', async () => {
    const result = await runCaptured(['info', 'small', '--data', fixture.dataDir]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('2 scenes, 4 views (2 ego, 2 exo), 4 tracks, 120 frames, 4 segments, 0 runs');
    expect(result.stdout).toMatch(/ego ego-1, offset \+0, features 30 frames × 16-d @ 15 fps, video 32×24 2\.0 s/);
  });

  it('info on an unknown dataset is one error line, exit 1', async () => {
    const result = await runCaptured(['info', 'nope', '--data', fixture.dataDir]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('evgap: no dataset named "nope" (see `evgap datasets`)\n');
  });

  it('a catalog from a newer version is refused with a clear message, exit 1, file unchanged', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'evgap-newer-'));
    try {
      const file = catalogFile(dataDir);
      copyFileSync(fixture.catalog.file, file);
      const db = new Database(file);
      db.pragma('wal_checkpoint(TRUNCATE)');
      db.pragma('user_version = 9999');
      db.close();
      const before = readFileSync(file);
      const result = await runCaptured(['datasets', '--data', dataDir]);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/^evgap: catalog .* was written by a newer EVGAP Studio \(schema 9999/);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(readFileSync(file).equals(before)).toBe(true);
      expect(existsSync(`${file}-wal`) ? readFileSync(`${file}-wal`).length : 0).toBe(0);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
