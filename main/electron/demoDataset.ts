// Help → Generate demo dataset without the dialogs: makes sure the catalog holds the synthetic demo dataset
// "demo" (what `evgap demo --no-pipeline` makes, in <data>/datasets/demo). A demo already in the catalog is kept;
// a complete demo folder (its manifest is written last) is registered without regenerating; otherwise it is
// generated in a sibling folder that replaces the target only when complete. Plain Node, tested without Electron.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Catalog } from '../catalog/Catalog';
import type { DemoProgress } from '../demo/generateDemo';
import { generateDemoFolder } from '../demo/generateDemoFolder';
import type { DemoOptions } from '../demo/options';
import { MANIFEST_FILE } from '../importers/folder/manifest';
import { commitImport } from '../importers/common/importResult';
import { readDataset } from '../importers/readDataset';
import { datasetsDir } from '../paths';

export const DEMO_DATASET_NAME = 'demo';

export interface DemoDatasetOutcome {
  datasetId: number;
  /** 'catalog': it was already registered; 'files': registered from a complete folder; 'generated': made now. */
  source: 'catalog' | 'files' | 'generated';
  folder: string;
}

export async function ensureDemoDataset(
  catalog: Catalog,
  dataDir: string,
  options: Partial<DemoOptions> = {},
  onProgress: (progress: DemoProgress) => void = () => undefined,
): Promise<DemoDatasetOutcome> {
  const folder = join(datasetsDir(dataDir), DEMO_DATASET_NAME);
  const existing = catalog.findDatasetByName(DEMO_DATASET_NAME);
  if (existing) return { datasetId: existing.id, source: 'catalog', folder: existing.root };
  let source: DemoDatasetOutcome['source'] = 'files';
  if (!existsSync(join(folder, MANIFEST_FILE))) {
    await generateDemoFolder(folder, options, onProgress);
    source = 'generated';
  }
  // Our own files: checked like any import, but not probed (the generator wrote the videos it declares).
  const result = await readDataset({ format: 'folder', root: folder, name: DEMO_DATASET_NAME, probeVideos: false });
  const datasetId = commitImport(catalog, result);
  return { datasetId, source, folder };
}
