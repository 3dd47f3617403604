// Charades-Ego import: X / XEGO pairs from the CSVs (real column names, quoted fields), features per video,
// pair-only scenes with the ego view rescaled in time, segments from `actions` at 24 fps, and bad input.
import { mkdirSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Catalog } from '../../../../main/catalog/Catalog';
import { NpyWriter } from '../../../../main/formats/npy';
import { readCharadesEgo } from '../../../../main/importers/charadesEgo/readCharadesEgo';
import { commitImport } from '../../../../main/importers/common/importResult';
import { useTempDir } from '../../catalog/fixtures/catalogFixtures';

const tempDir = useTempDir();
const HEADER = 'id,subject,scene,quality,relevance,verified,script,objects,descriptions,actions,length,egocentric,charades_video';

function row(id: string, actions: string, length: number, egocentric: boolean): string {
  return [
    id, 'P01', 'Kitchen', '6', '7', 'Yes', '"A person opens a cupboard, takes a cup."', 'cup;cupboard',
    '"The person walks in, opens the cupboard; then drinks."', actions, String(length), egocentric ? 'Yes' : 'No', id.replace('EGO', ''),
  ].join(',');
}

function writeFeatures(folder: string, id: string, frames: number, dim = 4): void {
  mkdirSync(folder, { recursive: true });
  const writer = NpyWriter.create(join(folder, `${id}.npy`), { dtype: 'float32', rows: frames, cols: dim });
  writer.writeRows(new Float32Array(frames * dim).fill(1));
  writer.close();
}

function dataset(): string {
  const root = tempDir();
  writeFileSync(
    join(root, 'CharadesEgo_v1_train_only3rd.csv'),
    [HEADER, row('005BU', 'c092 11.90 21.20;c147 0.00 12.60', 31.5, false), row('00HFP', 'c001 1.00 2.00', 10, false), row('01XYZ', '', 8, false)].join('\r\n') + '\r\n',
  );
  writeFileSync(join(root, 'CharadesEgo_v1_train_only1st.csv'), [HEADER, row('005BUEGO', 'c092 10.00 20.00', 28, true), row('00HFPEGO', '', 11, true)].join('\n') + '\n');
  writeFileSync(join(root, 'CharadesEgo_v1_test_only3rd.csv'), [HEADER, row('0AAAA', 'c010 0.50 1.50', 5, false)].join('\n') + '\n');
  writeFileSync(join(root, 'CharadesEgo_v1_test_only1st.csv'), [HEADER, row('0AAAAEGO', '', 5, true)].join('\n') + '\n');
  const features = join(root, 'features');
  writeFeatures(features, '005BU', 756);
  writeFeatures(features, '005BUEGO', 672);
  writeFeatures(features, '0AAAA', 120);
  writeFeatures(features, '0AAAAEGO', 120);
  writeFeatures(features, '00HFP', 240);
  return root;
}

describe('readCharadesEgo', () => {
  it('pairs each third-person video with its EGO partner as a pair-only scene rescaled in time', async () => {
    const root = dataset();
    const { spec } = await readCharadesEgo({ root });
    expect(spec.scenes.map((s) => [s.name, s.split])).toEqual([
      ['005BU', 'train'],
      ['0AAAA', 'test'],
    ]);
    const pair = spec.scenes[0]!;
    expect(pair.meta).toMatchObject({ pairOnly: true, alignment: 'rescale', egoTimeScale: 672 / 756, lengthS: { exo: 31.5, ego: 28 } });
    expect(pair.views.map((v) => [v.name, v.role, v.cameraId, v.track!.featurePath, v.track!.frameCount, v.syncOffsetFrames])).toEqual([
      ['ego', 'ego', '005BUEGO', 'features/005BUEGO.npy', 672, 0],
      ['exo', 'exo', '005BU', 'features/005BU.npy', 756, 0],
    ]);
    expect(spec.meta).toMatchObject({ pairOnly: true, fps: 24 });
  });

  it('turns the third-person actions into segments at 24 fps', async () => {
    const { spec } = await readCharadesEgo({ root: dataset() });
    expect(spec.scenes[0]!.segments).toMatchObject([
      { startFrame: 0, endFrame: 302, label: 'c147' },
      { startFrame: 286, endFrame: 509, label: 'c092' },
    ]);
  });

  it('reports videos without a partner and pairs without features', async () => {
    const { report } = await readCharadesEgo({ root: dataset() });
    expect(report.issues.filter((i) => i.kind === 'unpairedVideo').map((i) => i.scene)).toEqual(['01XYZ']);
    const missing = report.issues.filter((i) => i.kind === 'missingFeatures');
    expect(missing.map((i) => [i.scene, i.view])).toEqual([['00HFP', 'ego']]);
  });

  it('imports into the catalog as one dataset', async () => {
    const result = await readCharadesEgo({ root: dataset() });
    const catalog = Catalog.open(join(tempDir(), 'catalog.sqlite'));
    try {
      const id = commitImport(catalog, result);
      expect(catalog.getDataset(id).dataset).toMatchObject({ format: 'charades-ego', sceneCount: 2, trackCount: 4, segmentCount: 3 });
    } finally {
      catalog.close();
    }
  });

  it('names the file and line of a malformed actions cell', async () => {
    const root = dataset();
    writeFileSync(join(root, 'CharadesEgo_v1_test_only3rd.csv'), [HEADER, row('0AAAA', 'c010 0.50', 5, false)].join('\n') + '\n');
    await expect(readCharadesEgo({ root })).rejects.toThrow(/CharadesEgo_v1_test_only3rd\.csv:2: actions: expected "c092 11\.90 21\.20"/);
  });

  it('names a CSV whose columns are wrong', async () => {
    const root = dataset();
    writeFileSync(join(root, 'CharadesEgo_v1_test_only3rd.csv'), 'id,subject,actions\n0AAAA,P01,\n');
    await expect(readCharadesEgo({ root })).rejects.toThrow(/CharadesEgo_v1_test_only3rd\.csv:1: missing columns scene, quality/);
  });

  it('names a truncated feature file', async () => {
    const root = dataset();
    truncateSync(join(root, 'features', '0AAAA.npy'), 300);
    await expect(readCharadesEgo({ root })).rejects.toThrow(/0AAAA\.npy: truncated/);
  });
});
