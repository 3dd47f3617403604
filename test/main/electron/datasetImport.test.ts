// File → Import dataset… without Electron: the dialog's Cancel aborts the import's signal, and the import stops
// with ImportCancelledError leaving the catalog as it was; a dataset the import checks refuse fails the same way
// the CLI does, naming the problem, with nothing written.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Catalog } from '../../../main/catalog/Catalog';
import { importDatasetFolder } from '../../../main/electron/datasetImport';
import { ImportCancelledError, ImportCheckError } from '../../../main/importers/common/errors';
import { useTempDir } from '../catalog/fixtures/catalogFixtures';
import { folderDataset, writeMatrix } from '../cli/badInputFixtures';

const tempDir = useTempDir();

function withCatalog<T>(use: (catalog: Catalog) => Promise<T>): Promise<T> {
  const catalog = Catalog.open(join(tempDir(), 'catalog.sqlite'));
  return use(catalog).finally(() => catalog.close());
}

describe('importDatasetFolder', () => {
  it('stops when Cancel aborts the signal mid-import, writing nothing', async () => {
    const root = folderDataset(join(tempDir(), 'many'), { scenes: 4, views: 6, frames: 60 });
    await withCatalog(async (catalog) => {
      const controller = new AbortController();
      const seen: number[] = [];
      const run = importDatasetFolder(catalog, 'folder', root, {
        signal: controller.signal,
        onProgress: ({ done }) => {
          seen.push(done);
          if (done === 3) controller.abort();
        },
      });
      await expect(run).rejects.toBeInstanceOf(ImportCancelledError);
      expect(Math.max(...seen)).toBeLessThan(24);
      expect(catalog.listDatasets()).toEqual([]);
    });
  });

  it('refuses a dataset the import checks find broken, naming the file, and writes nothing', async () => {
    const root = folderDataset(join(tempDir(), 'dims'), {}, (manifest, at) => {
      manifest.scenes[0].views[2].features.file = 'scene1/v2-32.npy';
      writeMatrix(join(at, 'scene1', 'v2-32.npy'), 720, 32);
    });
    await withCatalog(async (catalog) => {
      const error = await importDatasetFolder(catalog, 'folder', root).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ImportCheckError);
      expect((error as Error).message).toContain(`featureDimMismatch scene1 / v2: ${join(root, 'scene1', 'v2-32.npy')} holds 32-d features`);
      expect(catalog.listDatasets()).toEqual([]);
    });
  });
});
