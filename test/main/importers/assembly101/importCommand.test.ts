// `evgap import` in-process (runImport): an Assembly101 folder as shipped with features apart (--features), the
// printed summary and report, --json, and failures that name the bad input and leave the catalog empty.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Catalog } from '../../../../main/catalog/Catalog';
import type { CliIO } from '../../../../main/cli/commandLine';
import { runImport } from '../../../../main/cli/commands/import';
import { catalogFile } from '../../../../main/paths';
import { useTempDir } from '../../catalog/fixtures/catalogFixtures';
import { EXO, TRAIN_SEQUENCE, tracksFor, writeAnnotations, writeLmdbFeatures } from './assembly101Fixture';

const tempDir = useTempDir();

async function run(args: string[], stop: Promise<string> = new Promise(() => undefined)) {
  let stdout = '';
  let stderr = '';
  const io: CliIO = {
    stdout: { write: (text: string) => (stdout += text), isTTY: false },
    stderr: { write: (text: string) => (stderr += text), isTTY: false },
    env: {},
    untilStopped: () => stop,
  };
  const code = await runImport(args, io);
  return { code, stdout, stderr };
}

async function shippedDataset(): Promise<{ annotations: string; features: string }> {
  const annotations = join(tempDir(), 'assembly101-annotations');
  writeAnnotations(annotations, [TRAIN_SEQUENCE]);
  const features = join(tempDir(), 'TSM_features');
  writeLmdbFeatures(features, tracksFor(TRAIN_SEQUENCE, EXO, 80, 6));
  return { annotations, features };
}

function datasetsIn(data: string) {
  const catalog = Catalog.open(catalogFile(data));
  try {
    return catalog.listDatasets();
  } finally {
    catalog.close();
  }
}

describe('evgap import', () => {
  it('imports Assembly101 with features and annotations in separate folders and prints the report', async () => {
    const { annotations, features } = await shippedDataset();
    const data = tempDir();
    const result = await run(['assembly101', annotations, '--features', features, '--feature-dim', '6', '--name', 'a101', '--data', data]);
    expect(result.stderr).toContain('Importing assembly101: 100%');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Imported "a101"');
    expect(result.stdout).toContain('1 scene, 8 views (0 ego, 8 exo), 8 tracks');
    expect(result.stdout).toMatch(/validation: 4 missingView, 361 missingFeatures/);
    expect(datasetsIn(data).map((d) => [d.name, d.format])).toEqual([['a101', 'assembly101']]);
  });

  it('prints the dataset and the whole report as JSON with --json', async () => {
    const { annotations, features } = await shippedDataset();
    const result = await run(['assembly101', annotations, '--features', features, '--feature-dim', '6', '--json', '--data', tempDir()]);
    const json = JSON.parse(result.stdout);
    expect(json.dataset).toMatchObject({ name: 'assembly101', sceneCount: 1, trackCount: 8 });
    expect(json.report.counts).toEqual({ missingView: 4, missingFeatures: 361 });
  });

  it('fails naming the bad key and imports nothing', async () => {
    const annotations = join(tempDir(), 'annotations');
    writeAnnotations(annotations, [TRAIN_SEQUENCE]);
    const features = join(tempDir(), 'features');
    writeLmdbFeatures(features, tracksFor(TRAIN_SEQUENCE, ['C10095_rgb'], 5, 6), [3]);
    const data = tempDir();
    await expect(run(['assembly101', annotations, '--features', features, '--data', data])).rejects.toThrow(/C10095_rgb_0000000003\.jpg: missing/);
    expect(datasetsIn(data)).toEqual([]);
  });

  it('stops on Ctrl-C with exit 130 and imports nothing', async () => {
    const { annotations, features } = await shippedDataset();
    const data = tempDir();
    const result = await run(['assembly101', annotations, '--features', features, '--feature-dim', '6', '--data', data], Promise.resolve('SIGINT'));
    expect(result.code).toBe(130);
    expect(result.stderr).toContain('nothing was imported');
    expect(datasetsIn(data)).toEqual([]);
  });

  it('rejects an unknown format as a usage error', async () => {
    await expect(run(['epic-kitchens', '/tmp'])).rejects.toThrow(/unknown format "epic-kitchens"/);
  });
});
