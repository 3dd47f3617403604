// A small demo dataset (main/demo) in a fresh data folder and catalog, for pipeline tests: 8 scenes (4 train,
// 4 test) of 2 ego and 3 exo views, 24 s at 15 fps, 32-d features, no videos. Small enough that the quick
// pipeline runs in seconds, and still the demo's design: raw features of different cameras are unrelated (a
// large per-camera nuisance), while one shared map aligns them.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Catalog } from '../../../main/catalog/Catalog';
import { generateDemo } from '../../../main/demo/generateDemo';
import { readFolderDataset } from '../../../main/importers/folder/readFolderDataset';
import { catalogFile } from '../../../main/paths';

export type PipelineFixture = { dataDir: string; datasetRoot: string; catalog: Catalog; dataset: string; cleanup(): void };

export async function createPipelineFixture(): Promise<PipelineFixture> {
  const dataDir = mkdtempSync(join(tmpdir(), 'evgap-pipeline-'));
  const datasetRoot = join(dataDir, 'datasets', 'demo');
  await generateDemo(datasetRoot, { scenes: 8, egoViews: 2, exoViews: 3, featureDim: 32, sceneSeconds: 24, videos: false, seed: 1 });
  const catalog = Catalog.open(catalogFile(dataDir));
  catalog.importDataset((await readFolderDataset(datasetRoot, { name: 'demo' })).spec);
  return {
    dataDir,
    datasetRoot,
    catalog,
    dataset: 'demo',
    cleanup() {
      catalog.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
