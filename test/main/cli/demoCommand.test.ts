// `evgap demo` in-process with features only: generate, reuse, refuse other options, --force, re-register.
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Catalog } from '../../../main/catalog/Catalog';
import { catalogFile } from '../../../main/paths';
import { runCaptured } from './cliHarness';

let dataDir: string;
const demoFolder = () => join(dataDir, 'datasets', 'demo');
const small = () => ['demo', '--scenes', '3', '--dim', '8', '--no-videos', '--no-pipeline', '--data', dataDir];

function demoDatasets() {
  const catalog = Catalog.open(catalogFile(dataDir));
  try {
    return catalog.listDatasets();
  } finally {
    catalog.close();
  }
}

beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'evgap-demo-cli-'));
});

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('evgap demo (in-process, features only)', () => {
  it('generates the demo into <data>/datasets/demo and registers it as "demo"', async () => {
    const result = await runCaptured(small());
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Demo dataset ready: "demo" \(id \d+; seed 1, 3 scenes, 8-d features, videos off\)/);
    expect(result.stdout).toContain('3 scenes, 36 views (12 ego, 24 exo), 36 tracks');
    expect(result.stderr).toMatch(/^Generating demo: \d+% \(1\/\d+\)/);
    expect(demoDatasets()).toMatchObject([{ name: 'demo', format: 'demo', root: demoFolder(), sceneCount: 3 }]);
    expect(existsSync(join(demoFolder(), 'manifest.json'))).toBe(true);
    expect(readdirSync(join(dataDir, 'datasets'))).toEqual(['demo']);
  });

  it('reuses a demo with the same options without generating', async () => {
    const [before] = demoDatasets();
    const result = await runCaptured(small());
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Demo dataset already up to date/);
    expect(result.stderr).toBe('');
    expect(demoDatasets()).toEqual([before]);
  });

  it('refuses other options without --force and changes nothing', async () => {
    const before = demoDatasets();
    const result = await runCaptured(['demo', '--seed', '2', '--scenes', '3', '--dim', '8', '--no-videos', '--data', dataDir]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'evgap: a dataset "demo" from other options (seed 1, 3 scenes, 8-d features, videos off) is already in the catalog; ' +
        'run again with --force to replace it\n',
    );
    expect(demoDatasets()).toEqual(before);
  });

  it('--force regenerates and replaces the demo', async () => {
    const result = await runCaptured(['demo', '--seed', '2', '--scenes', '4', '--dim', '8', '--no-videos', '--force', '--no-pipeline', '--data', dataDir]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Demo dataset ready: "demo" \(id \d+; seed 2, 4 scenes/);
    const after = demoDatasets();
    expect(after).toHaveLength(1);
    expect(after[0]!.sceneCount).toBe(4);
    expect(readdirSync(join(dataDir, 'datasets'))).toEqual(['demo']);
  });

  it('registers matching files again when the catalog lost the dataset', async () => {
    const catalog = Catalog.open(catalogFile(dataDir));
    catalog.deleteDataset(catalog.findDatasetByName('demo')!.id);
    catalog.close();
    const result = await runCaptured(['demo', '--seed', '2', '--scenes', '4', '--dim', '8', '--no-videos', '--no-pipeline', '--data', dataDir]);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe(`Reusing the demo files in ${demoFolder()}\n`);
    expect(demoDatasets()).toMatchObject([{ name: 'demo', sceneCount: 4 }]);
  });

  it.each([
    [['--scenes', 'many'], /^evgap: --scenes: expected an integer/],
    [['--scenes', '2'], /^evgap: demo option scenes: expected an integer in \[3, /],
    [['--dim', '0'], /^evgap: --dim: expected an integer/],
    [['--videos'], /^evgap: Unknown option '--videos'/],
  ])('%j is a usage error', async (flags, message) => {
    const result = await runCaptured(['demo', ...flags, '--data', dataDir]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });
});
