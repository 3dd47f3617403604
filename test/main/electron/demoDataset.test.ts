// Help → Generate demo dataset: generates the demo into <data>/datasets/demo and registers it once; a demo in the
// catalog is kept, and a complete demo folder is registered without regenerating. File → Import dataset… reads a
// folder in the chosen format into the catalog.
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Catalog } from '../../../main/catalog/Catalog';
import { importDatasetFolder, importFormats, type ImportFormat } from '../../../main/electron/datasetImport';
import { DEMO_DATASET_NAME, ensureDemoDataset } from '../../../main/electron/demoDataset';
import { datasetsDir } from '../../../main/paths';

const tiny = { scenes: 3, featureDim: 8, egoViews: 1, exoViews: 2, sceneSeconds: 12, videos: false, seed: 3 };

let dataDir: string;
let catalog: Catalog;
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'evgap-shell-demo-'));
  catalog = Catalog.open(join(dataDir, 'catalog.sqlite'));
});
afterEach(() => {
  catalog.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('ensureDemoDataset', () => {
  it('generates the demo into the data folder with progress, then keeps the registered one', async () => {
    const progress: number[] = [];
    const first = await ensureDemoDataset(catalog, dataDir, tiny, ({ done }) => progress.push(done));
    expect(first.source).toBe('generated');
    expect(first.folder).toBe(join(datasetsDir(dataDir), DEMO_DATASET_NAME));
    expect(catalog.findDatasetByName(DEMO_DATASET_NAME)?.id).toBe(first.datasetId);
    expect(catalog.getDataset(first.datasetId).dataset.sceneCount).toBe(3);
    expect(progress.length).toBeGreaterThan(0);
    expect(readdirSync(datasetsDir(dataDir))).toEqual([DEMO_DATASET_NAME]);

    const second = await ensureDemoDataset(catalog, dataDir, tiny);
    expect(second).toEqual({ datasetId: first.datasetId, source: 'catalog', folder: first.folder });
  });

  it('registers a complete demo folder that another catalog made, without regenerating it', async () => {
    await ensureDemoDataset(catalog, dataDir, tiny);
    catalog.close();
    rmSync(join(dataDir, 'catalog.sqlite'));
    catalog = Catalog.open(join(dataDir, 'catalog.sqlite'));
    const outcome = await ensureDemoDataset(catalog, dataDir, tiny, () => {
      throw new Error('should not regenerate');
    });
    expect(outcome.source).toBe('files');
    expect(catalog.getDataset(outcome.datasetId).dataset.name).toBe(DEMO_DATASET_NAME);
  });

  it('leaves no partial folder behind when generation fails', async () => {
    await expect(ensureDemoDataset(catalog, dataDir, { ...tiny, scenes: 0 })).rejects.toThrow(/scenes/);
    const datasets = datasetsDir(dataDir);
    expect(existsSync(datasets) ? readdirSync(datasets) : []).toEqual([]);
    expect(catalog.listDatasets()).toEqual([]);
  });
});

describe('importDatasetFolder', () => {
  it('imports an EVGAP manifest folder and reports its validation', async () => {
    const { folder } = await ensureDemoDataset(catalog, dataDir, tiny);
    const progressSeen: string[] = [];
    const outcome = await importDatasetFolder(catalog, 'folder', folder, { onProgress: ({ what }) => progressSeen.push(what) });
    const { dataset } = catalog.getDataset(outcome.datasetId);
    expect(dataset.format).toBeTruthy();
    expect(dataset.sceneCount).toBe(3);
    expect(outcome.validation).toBe('no issues');
    expect(outcome.transcodeOffers).toBe(0);
  });

  it('offers the four importers and refuses an unknown format by name', async () => {
    expect(importFormats.map((format) => format.id)).toEqual(['folder', 'assembly101', 'charades-ego', 'egoexo4d']);
    await expect(importDatasetFolder(catalog, 'imagenet' as ImportFormat, dataDir)).rejects.toThrow(/expected an import format .* got imagenet/);
  });

  it('fails with the reader’s message on a folder that is not in the format', async () => {
    await expect(importDatasetFolder(catalog, 'folder', dataDir)).rejects.toThrow(/manifest/);
    expect(catalog.listDatasets()).toEqual([]);
  });
});
