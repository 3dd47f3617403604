// The demo dataset (main/demo) generated small and imported into a fresh catalog, for API tests that read real
// feature tracks: 3 scenes of 4 ego and 8 exo views, 32-d float16 features, no videos.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Catalog } from '../../../main/catalog/Catalog';
import { generateDemo } from '../../../main/demo/generateDemo';
import type { DemoOptions } from '../../../main/demo/options';
import { readFolderDataset } from '../../../main/importers/folder/readFolderDataset';
import { catalogFile } from '../../../main/paths';

export interface DemoGroundTruth {
  scenes: { name: string; frameCount: number; views: { name: string; role: 'ego' | 'exo'; syncOffsetFrames: number }[] }[];
}

export interface DemoFixture {
  dataDir: string;
  catalog: Catalog;
  datasetId: number;
  groundTruth: DemoGroundTruth;
  cleanup(): void;
}

export async function createDemoFixture(options: Partial<DemoOptions> = {}): Promise<DemoFixture> {
  const dataDir = mkdtempSync(join(tmpdir(), 'evgap-api-demo-'));
  const root = join(dataDir, 'demo');
  const { groundTruthPath } = await generateDemo(root, { scenes: 3, featureDim: 32, videos: false, ...options });
  const catalog = Catalog.open(catalogFile(dataDir));
  const datasetId = catalog.importDataset((await readFolderDataset(root)).spec);
  return {
    dataDir,
    catalog,
    datasetId,
    groundTruth: JSON.parse(readFileSync(groundTruthPath, 'utf8')) as DemoGroundTruth,
    cleanup() {
      catalog.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
