// Assembly101 import from the real published metadata plus generated TSM features in both real layouts (per-view
// LMDB environments, <sequence>/<view>/features.npy): view mapping, splits, labels, gaps in the report, and bad
// input that must fail naming the file, line or key with nothing imported.
import { mkdirSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Catalog } from '../../../../main/catalog/Catalog';
import { FeatureStore } from '../../../../main/features/FeatureStore';
import { lmdbKeyPrefix, LmdbTrackReader } from '../../../../main/features/lmdbTrack';
import { readAssembly101 } from '../../../../main/importers/assembly101/readAssembly101';
import { checkDataset } from '../../../../main/importers/common/datasetChecks';
import { ImportCancelledError } from '../../../../main/importers/common/errors';
import { commitImport } from '../../../../main/importers/common/importResult';
import { useTempDir } from '../../catalog/fixtures/catalogFixtures';
import {
  EGO_FIRST_HEADSET,
  EGO_SECOND_HEADSET,
  EXO,
  EXO_ONLY_SEQUENCE,
  frameValues,
  TEST_SEQUENCE,
  TRAIN_SEQUENCE,
  tracksFor,
  writeAnnotations,
  writeLmdbFeatures,
  writeNpyFeatures,
} from './assembly101Fixture';

const tempDir = useTempDir();
const DIM = 8;
const FRAMES = 90;

async function lmdbDataset(): Promise<string> {
  const root = tempDir();
  writeAnnotations(join(root, 'annotations'), [TRAIN_SEQUENCE, TEST_SEQUENCE, EXO_ONLY_SEQUENCE]);
  writeLmdbFeatures(join(root, 'TSM_features'), [
    ...tracksFor(TRAIN_SEQUENCE, [...EGO_FIRST_HEADSET, ...EXO], FRAMES, DIM),
    ...tracksFor(TEST_SEQUENCE, [...EGO_SECOND_HEADSET, ...EXO], FRAMES, DIM),
    ...tracksFor(EXO_ONLY_SEQUENCE, EXO, FRAMES, DIM),
  ]);
  return root;
}

function withCatalog<T>(dir: string, use: (catalog: Catalog) => T): T {
  const catalog = Catalog.open(join(dir, 'catalog.sqlite'));
  try {
    return use(catalog);
  } finally {
    catalog.close();
  }
}

describe('readAssembly101 with LMDB features', () => {
  it('makes one scene per recording with the 16 camera names mapped to e1..e4 and v1..v8', async () => {
    const root = await lmdbDataset();
    const { spec } = await readAssembly101({ root, annotations: join(root, 'annotations'), featureDim: DIM });
    expect(spec.scenes.map((s) => s.name)).toEqual([EXO_ONLY_SEQUENCE, TEST_SEQUENCE, TRAIN_SEQUENCE].sort());
    const train = spec.scenes.find((s) => s.name === TRAIN_SEQUENCE)!;
    expect(train.views.map((v) => `${v.name}:${v.role}:${v.cameraId}`)).toEqual([
      ...EGO_FIRST_HEADSET.map((camera, i) => `e${i + 1}:ego:${camera}`),
      ...EXO.map((camera, i) => `v${i + 1}:exo:${camera}`),
    ]);
    const test = spec.scenes.find((s) => s.name === TEST_SEQUENCE)!;
    expect(test.views.slice(0, 4).map((v) => v.cameraId)).toEqual(EGO_SECOND_HEADSET);
    expect(train.views[0]!.track).toEqual({
      featurePath: 'TSM_features/HMC_84346135_mono10bit',
      featureLayout: null,
      featureDtype: 'float32',
      featureDim: DIM,
      featureFps: 30,
      frameCount: FRAMES,
    });
    expect(spec.meta).toMatchObject({ featureStorage: 'lmdb', lmdbKeyFormat: '{sequence}/{view}/{view}_{frame:010d}.jpg', lmdbFirstKeyFrame: 1 });
  });

  it('takes splits from coarse_splits and both coarse label files as segments, with each part\'s range', async () => {
    const root = await lmdbDataset();
    const { spec } = await readAssembly101({ root, annotations: join(root, 'annotations'), featureDim: DIM });
    const byName = new Map(spec.scenes.map((s) => [s.name, s]));
    expect(byName.get(TRAIN_SEQUENCE)!.split).toBe('train');
    expect(byName.get(TEST_SEQUENCE)!.split).toBe('test');
    const train = byName.get(TRAIN_SEQUENCE)!;
    expect(train.segments.map((s) => [s.startFrame, s.endFrame, s.label, s.verb, s.object])).toEqual([
      [0, 20, 'attach cabin', 'attach', 'cabin'],
      [20, 40, 'attach wheel', 'attach', 'wheel'],
      [40, 60, 'detach cabin', 'detach', 'cabin'],
      [60, 80, 'detach wheel', 'detach', 'wheel'],
    ]);
    expect(train.meta).toMatchObject({ coarseRanges: { assembly: [0, 40], disassembly: [40, 80] } });
    expect((train.meta!.lmdbKeyPrefixes as Record<string, string>).v2).toBe(`${TRAIN_SEQUENCE}/C10115_rgb/C10115_rgb_`);
    const actions = spec.vocabularies![0]!;
    expect(actions.name).toBe('actions');
    expect(actions.labels).toHaveLength(202);
    expect(actions.labels.slice(0, 2).map((l) => l.label)).toEqual(['inspect toy', 'attach cabin']);
  });

  it('imports a recording with the views it has and reports the gaps', async () => {
    const root = await lmdbDataset();
    const { spec, report } = await readAssembly101({ root, annotations: join(root, 'annotations'), featureDim: DIM });
    const exoOnly = spec.scenes.find((s) => s.name === EXO_ONLY_SEQUENCE)!;
    expect(exoOnly.views.map((v) => v.name)).toEqual(['v1', 'v2', 'v3', 'v4', 'v5', 'v6', 'v7', 'v8']);
    const missing = report.issues.filter((i) => i.kind === 'missingView');
    expect(missing.map((i) => `${i.scene === EXO_ONLY_SEQUENCE}:${i.view}`)).toEqual(['true:e1', 'true:e2', 'true:e3', 'true:e4']);
    expect(missing[0]!.message).toContain('no video for it in coarse_seq_views.txt either');
    // recording_names.txt names 362 recordings; 3 have features here.
    expect(report.counts.missingFeatures).toBe(362 - 3);
  });

  it('lands in the catalog in one import whose LMDB tracks read back the written features', async () => {
    const root = await lmdbDataset();
    const result = await readAssembly101({ root, annotations: join(root, 'annotations'), featureDim: DIM });
    const reader = new LmdbTrackReader();
    try {
      withCatalog(tempDir(), (catalog) => {
        const datasetId = commitImport(catalog, result);
        const dataset = catalog.getDataset(datasetId);
        expect(dataset.dataset).toMatchObject({ format: 'assembly101', sceneCount: 3, viewCount: 32, trackCount: 32 });
        const scene = catalog.getScene(dataset.scenes.find((s) => s.name === TRAIN_SEQUENCE)!.id);
        expect(scene.scene).toMatchObject({ split: 'train', egoCount: 4, exoCount: 8, segmentCount: 4 });
        const v3 = scene.views.find((v) => v.name === 'v3')!;
        const frames = reader.readFrames(
          {
            environment: catalog.trackFile(v3.track!.id, 'feature'),
            keyPrefix: lmdbKeyPrefix(scene.scene.name, v3.cameraId!),
            dim: v3.track!.featureDim!,
            frames: v3.track!.frameCount!,
          },
          10,
          13,
        );
        expect(Array.from(frames.subarray(DIM, 2 * DIM))).toEqual(Array.from(frameValues('C10118_rgb', 11, DIM)));
      });
    } finally {
      reader.close();
    }
  });

  it('reads 2048-d TSM features', async () => {
    const root = tempDir();
    writeAnnotations(join(root, 'annotations'), [TRAIN_SEQUENCE]);
    writeLmdbFeatures(join(root, 'TSM_features'), tracksFor(TRAIN_SEQUENCE, ['C10095_rgb', 'HMC_84346135_mono10bit'], 5, 2048));
    const { spec } = await readAssembly101({ root, annotations: join(root, 'annotations') });
    expect(spec.scenes[0]!.views.map((v) => [v.name, v.track!.featureDim, v.track!.frameCount])).toEqual([
      ['e1', 2048, 5],
      ['v1', 2048, 5],
    ]);
  });

  it('reports tracks of another dimension and views whose frame counts disagree', async () => {
    const root = tempDir();
    writeAnnotations(join(root, 'annotations'), [TRAIN_SEQUENCE]);
    writeLmdbFeatures(join(root, 'TSM_features'), [
      { sequence: TRAIN_SEQUENCE, view: 'C10095_rgb', frames: 90, dim: DIM },
      { sequence: TRAIN_SEQUENCE, view: 'C10115_rgb', frames: 40, dim: DIM },
      { sequence: TRAIN_SEQUENCE, view: 'C10118_rgb', frames: 90, dim: DIM + 1 },
    ]);
    const { spec, report } = checkDataset(await readAssembly101({ root, annotations: join(root, 'annotations'), featureDim: DIM, frameTolerance: 30 }));
    expect(spec.scenes[0]!.views.map((v) => v.name)).toEqual(['v1', 'v2']);
    const dim = report.issues.find((i) => i.kind === 'featureDim')!;
    expect(dim).toMatchObject({ view: 'v3' });
    expect(dim.message).toContain(`${DIM + 1}-d, expected ${DIM}`);
    expect(report.issues.find((i) => i.kind === 'frameCountMismatch')!.message).toContain('v2 40, v1 90');
  });
});

describe('readAssembly101 with numpy features', () => {
  it('reads <sequence>/<view>/features.npy as [dim, T] tracks that FeatureStore serves frame by frame', async () => {
    const root = tempDir();
    writeAnnotations(join(root, 'annotations'), [TRAIN_SEQUENCE]);
    writeNpyFeatures(join(root, 'features'), tracksFor(TRAIN_SEQUENCE, ['HMC_84347414_mono10bit', 'C10404_rgb'], 30, DIM));
    const { spec } = await readAssembly101({ root, annotations: join(root, 'annotations'), features: join(root, 'features'), featureDim: DIM });
    const views = spec.scenes[0]!.views;
    expect(views.map((v) => [v.name, v.track!.featurePath, v.track!.featureLayout, v.track!.frameCount])).toEqual([
      ['e2', `features/${TRAIN_SEQUENCE}/HMC_84347414_mono10bit/features.npy`, 'FT', 30],
      ['v8', `features/${TRAIN_SEQUENCE}/C10404_rgb/features.npy`, 'FT', 30],
    ]);
    const store = new FeatureStore(() => ({ path: join(root, views[1]!.track!.featurePath!), layout: 'FT' }));
    expect(Array.from(store.readFrames(1, 7, 8))).toEqual(Array.from(frameValues('C10404_rgb', 7, DIM)));
    store.close();
  });
});

describe('readAssembly101 on bad input', () => {
  async function expectNothingImported(root: string, error: RegExp, features?: string) {
    await withCatalogAsync(async (catalog) => {
      await expect(
        readAssembly101({ root, annotations: join(root, 'annotations'), features, featureDim: DIM }).then((r) => commitImport(catalog, r)),
      ).rejects.toThrow(error);
      expect(catalog.listDatasets()).toEqual([]);
    });
  }

  async function withCatalogAsync(use: (catalog: Catalog) => Promise<void>) {
    const catalog = Catalog.open(join(tempDir(), 'catalog.sqlite'));
    try {
      await use(catalog);
    } finally {
      catalog.close();
    }
  }

  it('names the missing LMDB key', async () => {
    const root = tempDir();
    writeAnnotations(join(root, 'annotations'), [TRAIN_SEQUENCE]);
    writeLmdbFeatures(join(root, 'TSM_features'), tracksFor(TRAIN_SEQUENCE, ['C10095_rgb'], 20, DIM), [7]);
    await expectNothingImported(root, new RegExp(`key ${TRAIN_SEQUENCE}/C10095_rgb/C10095_rgb_0000000007\\.jpg: missing`));
  });

  it('names an LMDB environment whose folder is not an Assembly101 camera', async () => {
    const root = tempDir();
    writeAnnotations(join(root, 'annotations'), [TRAIN_SEQUENCE]);
    writeLmdbFeatures(join(root, 'TSM_features'), tracksFor(TRAIN_SEQUENCE, ['C99999_rgb'], 5, DIM));
    await expectNothingImported(root, /TSM_features\/C99999_rgb: view "C99999_rgb" is not an Assembly101 camera/);
  });

  it('names a numpy view folder not in the mapping', async () => {
    const root = tempDir();
    writeAnnotations(join(root, 'annotations'), [TRAIN_SEQUENCE]);
    writeNpyFeatures(join(root, 'features'), tracksFor(TRAIN_SEQUENCE, ['GoPro_1'], 5, DIM));
    await expectNothingImported(root, /GoPro_1: view "GoPro_1" is not an Assembly101 camera/, join(root, 'features'));
  });

  it('names a truncated .npy file', async () => {
    const root = tempDir();
    writeAnnotations(join(root, 'annotations'), [TRAIN_SEQUENCE]);
    writeNpyFeatures(join(root, 'features'), tracksFor(TRAIN_SEQUENCE, ['C10095_rgb'], 30, DIM));
    const file = join(root, 'features', TRAIN_SEQUENCE, 'C10095_rgb', 'features.npy');
    truncateSync(file, 200);
    await expectNothingImported(root, new RegExp(`${file.replaceAll('.', '\\.')}: truncated`), join(root, 'features'));
  });

  it('names a .npy file of the wrong dtype', async () => {
    const root = tempDir();
    writeAnnotations(join(root, 'annotations'), [TRAIN_SEQUENCE]);
    const folder = join(root, 'features', TRAIN_SEQUENCE, 'C10095_rgb');
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'features.npy'), float64Npy(DIM, 4));
    await expectNothingImported(root, /features\.npy: unsupported dtype '<f8' \(float64\)/, join(root, 'features'));
  });

  it('names the file and line of a CSV with wrong columns', async () => {
    const root = await lmdbDataset();
    writeFileSync(join(root, 'annotations', 'coarse_actions.csv'), 'action_id,verb_id,noun_id,action,verb,noun\n0,2,4,inspect toy,inspect,toy\n');
    await expectNothingImported(root, /coarse_actions\.csv:1: missing columns action_cls, verb_cls, noun_cls/);
  });

  it('names the file and line of a coarse label not in the action list', async () => {
    const root = await lmdbDataset();
    const file = join(root, 'annotations', 'coarse_labels', `assembly_${TRAIN_SEQUENCE}.txt`);
    writeFileSync(file, '000000000 000000010 attach cabin\n000000010 000000020 juggle toy\n');
    await expectNothingImported(root, new RegExp(`assembly_${TRAIN_SEQUENCE}\\.txt:2: action "juggle toy" is not in the coarse action list`));
  });

  it('stops on an aborted signal and leaves the catalog empty', async () => {
    const root = await lmdbDataset();
    const controller = new AbortController();
    await withCatalogAsync(async (catalog) => {
      const run = readAssembly101({
        root,
        annotations: join(root, 'annotations'),
        featureDim: DIM,
        signal: controller.signal,
        onProgress: ({ done }) => {
          if (done === 2) controller.abort();
        },
      }).then((r) => commitImport(catalog, r, controller.signal));
      await expect(run).rejects.toBeInstanceOf(ImportCancelledError);
      expect(catalog.listDatasets()).toEqual([]);
    });
  });

  it('reports progress over every environment', async () => {
    const root = await lmdbDataset();
    const seen: string[] = [];
    await readAssembly101({ root, annotations: join(root, 'annotations'), featureDim: DIM, onProgress: (p) => seen.push(`${p.done}/${p.total}`) });
    expect(seen.slice(0, 16)).toEqual(Array.from({ length: 16 }, (_, i) => `${i + 1}/16`));
    rmSync(root, { recursive: true, force: true });
  });
});

/** A C-order [rows, cols] float64 .npy. */
function float64Npy(rows: number, cols: number): Buffer {
  const dict = `{'descr': '<f8', 'fortran_order': False, 'shape': (${rows}, ${cols}), }`;
  const headerLength = Math.ceil((10 + dict.length + 1) / 64) * 64 - 10;
  const header = Buffer.alloc(10 + headerLength, 0x20);
  Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]).copy(header);
  header.writeUInt16LE(headerLength, 8);
  header.write(dict, 10, 'latin1');
  header[header.length - 1] = 0x0a;
  return Buffer.concat([header, Buffer.alloc(rows * cols * 8)]);
}

describe('readAssembly101 with fine-grained segments', () => {
  it('uses the fine-grained CSVs of fine-grained-annotations/ with each segment once', async () => {
    const root = tempDir();
    writeAnnotations(join(root, 'annotations'), [TRAIN_SEQUENCE]);
    const fine = join(root, 'annotations', 'fine-grained-annotations');
    mkdirSync(fine);
    const header = 'id,video,start_frame,end_frame,action_id,verb_id,noun_id,action_cls,verb_cls,noun_cls,toy_id,toy_name,is_shared,is_RGB';
    writeFileSync(
      join(fine, 'train.csv'),
      [
        header,
        `0,${TRAIN_SEQUENCE}/C10095_rgb.mp4,12,30,1,0,2,pick up screwdriver,pick up,screwdriver,a08,excavator,0,1`,
        `1,${TRAIN_SEQUENCE}/HMC_84346135_mono10bit.mp4,12,30,1,0,2,pick up screwdriver,pick up,screwdriver,a08,excavator,0,0`,
        `2,${TRAIN_SEQUENCE}/C10095_rgb.mp4,2,9,0,18,27,clap hand,clap,hand,a08,excavator,0,1`,
      ].join('\n') + '\n',
    );
    writeLmdbFeatures(join(root, 'TSM_features'), tracksFor(TRAIN_SEQUENCE, ['C10095_rgb'], 40, DIM));
    const { spec } = await readAssembly101({ root, annotations: join(root, 'annotations'), featureDim: DIM, segments: 'fine' });
    expect(spec.scenes[0]!.segments).toMatchObject([
      { startFrame: 2, endFrame: 9, label: 'clap hand', verb: 'clap', object: 'hand' },
      { startFrame: 12, endFrame: 30, label: 'pick up screwdriver', verb: 'pick up', object: 'screwdriver' },
    ]);
    expect(spec.vocabularies![0]!.labels).toHaveLength(1380);
  });
});
