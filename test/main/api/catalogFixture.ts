// A small catalog for API and host tests: a temporary data folder with one dataset of two scenes whose tracks
// point at real (random-byte) video and feature files, so media can be served and compared byte for byte.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Catalog } from '../../../main/catalog/Catalog';
import type { DatasetImportSpec } from '../../../main/catalog/importSpec';
import { catalogFile } from '../../../main/paths';

export interface CatalogFixture {
  dataDir: string;
  datasetRoot: string;
  catalog: Catalog;
  datasetId: number;
  cleanup(): void;
}

function bytes(length: number, seed: number): Buffer {
  const out = Buffer.alloc(length);
  let state = seed >>> 0;
  for (let i = 0; i < length; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    out[i] = state >>> 24;
  }
  return out;
}

export function smallSpec(root: string): DatasetImportSpec {
  const scene = (index: number) => ({
    name: `scene-${index}`,
    split: 'train' as const,
    views: (['ego', 'exo'] as const).map((role, v) => ({
      name: `${role}-${index}`,
      role,
      syncOffsetFrames: v,
      track: {
        featurePath: `features/${index}-${role}.npy`,
        featureDim: 16,
        featureFps: 15,
        frameCount: 30,
        videoPath: `videos/${index}-${role}.webm`,
        videoFps: 15,
        videoDurationS: 2,
        videoWidth: 32,
        videoHeight: 24,
      },
    })),
    segments: [
      { startFrame: 0, endFrame: 10, label: 'take cup', verb: 'take', object: 'cup' },
      { startFrame: 10, endFrame: 30, label: 'pour water', verb: 'pour', object: 'water' },
    ],
  });
  return { name: 'small', root, format: 'folder', scenes: [scene(1), scene(2)] };
}

export function createCatalogFixture(): CatalogFixture {
  const dataDir = mkdtempSync(join(tmpdir(), 'evgap-api-'));
  const datasetRoot = join(dataDir, 'datasets', 'small');
  mkdirSync(join(datasetRoot, 'features'), { recursive: true });
  mkdirSync(join(datasetRoot, 'videos'), { recursive: true });
  let seed = 1;
  for (const index of [1, 2]) {
    for (const role of ['ego', 'exo']) {
      writeFileSync(join(datasetRoot, 'features', `${index}-${role}.npy`), bytes(4096, seed++));
      writeFileSync(join(datasetRoot, 'videos', `${index}-${role}.webm`), bytes(20_000, seed++));
    }
  }
  const catalog = Catalog.open(catalogFile(dataDir));
  const datasetId = catalog.importDataset(smallSpec(datasetRoot));
  return {
    dataDir,
    datasetRoot,
    catalog,
    datasetId,
    cleanup() {
      catalog.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
