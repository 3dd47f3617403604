// Ego-Exo4D import: takes from takes.json in its real structure (frame_aligned_videos per camera and stream, with
// non-camera entries), features per take and camera — as shipped (.pt per take, camera and stream, omnivore_video
// windowed, maws_clip_2b per frame) and the earlier .npy folders — splits from annotations/splits.json, gaps and
// bad input.
import { cpSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Catalog } from '../../../../main/catalog/Catalog';
import { FeatureStore } from '../../../../main/features/FeatureStore';
import { OMNIVORE_WINDOWS, rowOfFrame } from '../../../../main/features/featureWindows';
import { trackLocation } from '../../../../main/features/trackLocation';
import { NpyWriter } from '../../../../main/formats/npy';
import { checkDataset } from '../../../../main/importers/common/datasetChecks';
import { readEgoExo4d } from '../../../../main/importers/egoExo4d/readEgoExo4d';
import { fixtureMatrix, pythonTorch } from '../../../fixtures/torch/torchFixtures';
import { needs } from '../../../preconditions';
import { useTempDir } from '../../catalog/fixtures/catalogFixtures';
import { FEATURE_DIM, TAKES, writeEgoExo4dDownload } from './egoExo4dFixture';

const tempDir = useTempDir();

function stream(camId: string, relativePath: string) {
  return { cam_id: camId, relative_path: relativePath, is_collage: false };
}

function take(name: string, uid: string) {
  return {
    take_name: name,
    take_uid: uid,
    root_dir: `takes/${name}`,
    task_name: 'Cooking Tomato & Eggs',
    timesync_start_idx: 10,
    timesync_end_idx: 400,
    frame_aligned_videos: {
      aria01: {
        rgb: stream('aria01', 'frame_aligned_videos/aria01_214-1.mp4'),
        'slam-left': stream('aria01', 'frame_aligned_videos/aria01_1201-1.mp4'),
      },
      cam01: { '0': stream('cam01', 'frame_aligned_videos/cam01.mp4') },
      cam02: { '0': stream('cam02', 'frame_aligned_videos/cam02.mp4') },
      collage: { '0': { cam_id: 'collage', relative_path: 'frame_aligned_videos/collage.mp4', is_collage: true } },
      best_exo: 'cam01',
    },
  };
}

function writeFeatures(file: string, frames: number, dim = 4): void {
  mkdirSync(join(file, '..'), { recursive: true });
  const writer = NpyWriter.create(file, { dtype: 'float16', rows: frames, cols: dim });
  writer.writeRows(new Float32Array(frames * dim));
  writer.close();
}

function dataset(): string {
  const root = tempDir();
  writeFileSync(join(root, 'takes.json'), JSON.stringify([take('georgiatech_cooking_01_01_2', 'uid-1'), take('upenn_0711_Cooking_2_2', 'uid-2'), take('nofeatures_1', 'uid-3')]));
  mkdirSync(join(root, 'annotations'));
  writeFileSync(join(root, 'annotations', 'splits.json'), JSON.stringify({ take_uid_to_split: { 'uid-1': 'train', 'uid-2': 'val' } }));
  for (const cam of ['aria01', 'cam01', 'cam02']) writeFeatures(join(root, 'features', 'georgiatech_cooking_01_01_2', `${cam}.npy`), 300);
  for (const cam of ['aria01', 'cam02']) writeFeatures(join(root, 'features', 'uid-2', `${cam}.npy`), cam === 'aria01' ? 200 : 150);
  mkdirSync(join(root, 'takes', 'georgiatech_cooking_01_01_2', 'frame_aligned_videos'), { recursive: true });
  writeFileSync(join(root, 'takes', 'georgiatech_cooking_01_01_2', 'frame_aligned_videos', 'cam01.mp4'), '');
  return root;
}

describe('readEgoExo4d', () => {
  it('makes one scene per take with the Aria camera as ego and the other cameras as exo', async () => {
    const { spec } = await readEgoExo4d({ root: dataset() });
    expect(spec.scenes.map((s) => [s.name, s.split])).toEqual([
      ['georgiatech_cooking_01_01_2', 'train'],
      ['upenn_0711_Cooking_2_2', 'val'],
    ]);
    const first = spec.scenes[0]!;
    expect(first.views.map((v) => [v.name, v.role, v.track!.featurePath, v.track!.featureDtype, v.track!.frameCount])).toEqual([
      ['aria01', 'ego', 'features/georgiatech_cooking_01_01_2/aria01.npy', 'float16', 300],
      ['cam01', 'exo', 'features/georgiatech_cooking_01_01_2/cam01.npy', 'float16', 300],
      ['cam02', 'exo', 'features/georgiatech_cooking_01_01_2/cam02.npy', 'float16', 300],
    ]);
    expect(first.views[1]!.track!.videoPath).toBe('takes/georgiatech_cooking_01_01_2/frame_aligned_videos/cam01.mp4');
    expect(first.meta).toEqual({ takeUid: 'uid-1', taskName: 'Cooking Tomato & Eggs' });
  });

  it('reports missing cameras, takes without features and frame counts that disagree', async () => {
    const { report } = checkDataset(await readEgoExo4d({ root: dataset() }));
    expect(report.issues.map((i) => [i.kind, i.scene, i.view])).toEqual([
      ['missingView', 'upenn_0711_Cooking_2_2', 'cam01'],
      ['missingFeatures', 'nofeatures_1', undefined],
      ['frameCountMismatch', 'upenn_0711_Cooking_2_2', undefined],
    ]);
  });

  it('names the take and field of a malformed takes.json', async () => {
    const root = dataset();
    writeFileSync(join(root, 'takes.json'), JSON.stringify([take('a', 'uid-1'), { take_uid: 'uid-2', frame_aligned_videos: {} }]));
    await expect(readEgoExo4d({ root })).rejects.toThrow(/takes\.json \[1\]: take_name: expected a non-empty string/);
  });

  it('names a camera id that is neither Aria nor exocentric', async () => {
    const root = dataset();
    const bad = take('georgiatech_cooking_01_01_2', 'uid-1');
    (bad.frame_aligned_videos as Record<string, unknown>).phone1 = { '0': stream('phone1', 'x.mp4') };
    writeFileSync(join(root, 'takes.json'), JSON.stringify([bad]));
    await expect(readEgoExo4d({ root })).rejects.toThrow(/takes\.json \[0\]\.frame_aligned_videos\.phone1: camera id/);
  });
});

needs(pythonTorch).describe('readEgoExo4d on the shipped layout (features/<kind>/<take_uid>_<cam_id>_<stream_id>.pt)', () => {
  let shipped = '';
  let hostile = '';
  beforeAll(() => {
    shipped = mkdtempSync(join(tmpdir(), 'evgap-egoexo4d-'));
    hostile = join(shipped, 'hostile.pt');
    writeEgoExo4dDownload(shipped, ['omnivore_video', 'maws_clip_2b'], [{ path: hostile, kind: 'hostile' }]);
  });
  afterAll(() => rmSync(shipped, { recursive: true, force: true }));

  /** A copy of the download a test may change. */
  function download(): string {
    const root = join(tempDir(), 'egoexo4d');
    cpSync(shipped, root, { recursive: true });
    return root;
  }
  it('reads omnivore_video as windowed tracks: 32-frame windows every 16 frames, covering the take\'s frames', async () => {
    const root = download();
    const { spec, report } = await readEgoExo4d({ root });
    expect(spec.meta).toEqual({ source: 'Ego-Exo4D', featureFolder: 'features/omnivore_video', featureKind: 'omnivore_video', fps: 30, featureStrideFrames: 16, featureWindowFrames: 32 });
    expect(spec.scenes.map((s) => [s.name, s.split, s.views.map((v) => `${v.role} ${v.name}`)])).toEqual([
      ['georgiatech_cooking_01_01_2', 'train', ['ego aria01', 'exo cam01', 'exo cam02']],
      ['upenn_0711_Cooking_2_2', 'val', ['ego aria01', 'exo cam01', 'exo cam02', 'exo cam03']],
    ]);
    const [first, second] = [spec.scenes[0]!, spec.scenes[1]!];
    expect(first.views[0]!.track).toEqual({
      featurePath: `features/omnivore_video/${TAKES[0]!.uid}_aria01_rgb.pt`,
      featureLayout: 'TF',
      featureDtype: 'float32',
      featureDim: FEATURE_DIM,
      featureFps: 30,
      featureStrideFrames: 16,
      featureWindowFrames: 32,
      frameCount: 300,
    });
    expect(first.views[1]!.track!.featurePath).toBe(`features/omnivore_video/${TAKES[0]!.uid}_cam01_0.pt`);
    expect(second.views.map((v) => v.track!.frameCount)).toEqual([144, 144, 144, 144]);
    expect(report.issues.map((i) => [i.kind, i.scene, i.view])).toEqual([
      ['missingView', 'georgiatech_cooking_01_01_2', 'cam03'],
      ['frameCountMismatch', 'upenn_0711_Cooking_2_2', 'aria01'],
      ['frameCountMismatch', 'upenn_0711_Cooking_2_2', 'cam01'],
      ['frameCountMismatch', 'upenn_0711_Cooking_2_2', 'cam02'],
      ['frameCountMismatch', 'upenn_0711_Cooking_2_2', 'cam03'],
      ['missingFeatures', 'sfu_basketball_03_5', undefined],
    ]);
    expect(report.issues[0]!.message).toMatch(new RegExp(`${TAKES[0]!.uid}_cam03_0\\.pt is missing`));
    expect(report.issues[1]!.message).toMatch(/8 features \(one per 16 frames over 32\) but the take lasts 150 frames \(duration_sec 5\), which gives 9; taken to cover 144 frames/);
  });

  it('imports into the catalog, and the engine reads each video frame from its nearest window', async () => {
    const root = download();
    const catalog = Catalog.open(join(tempDir(), 'catalog.sqlite'));
    try {
      const datasetId = catalog.importDataset((await readEgoExo4d({ root })).spec);
      const scene = catalog.getScene(catalog.listScenes(datasetId)[0]!.id);
      const view = scene.views[1]!;
      expect(view.track).toMatchObject({ featureFps: 30, featureStrideFrames: 16, featureWindowFrames: 32, frameCount: 300 });
      const location = trackLocation(catalog, 'egoexo4d', scene, view);
      const store = new FeatureStore(() => location);
      const rows = fixtureMatrix(18, FEATURE_DIM, 10);
      const frames = store.readFrames(view.track!.id, 0, 300);
      for (const [frame, row] of [[0, 0], [23, 0], [24, 1], [255, 15], [271, 16], [277, 16], [278, 17], [299, 17]] as const) {
        expect(rowOfFrame(frame, 300, OMNIVORE_WINDOWS)).toBe(row);
        expect(frames.subarray(frame * FEATURE_DIM, (frame + 1) * FEATURE_DIM)).toEqual(rows.subarray(row * FEATURE_DIM, (row + 1) * FEATURE_DIM));
      }
      store.close();
    } finally {
      catalog.close();
    }
  });

  it('reads maws_clip_2b as per-frame float16 tracks, chosen from features/ by kind', async () => {
    const root = download();
    const { spec } = await readEgoExo4d({ root, featureKind: 'maws_clip_2b' });
    expect(spec.meta).toMatchObject({ featureFolder: 'features/maws_clip_2b', featureKind: 'maws_clip_2b' });
    expect(spec.scenes[0]!.views[0]!.track).toMatchObject({ featureDtype: 'float16', featureStrideFrames: null, featureWindowFrames: null, frameCount: 300 });
    const direct = await readEgoExo4d({ root, features: join(root, 'features', 'maws_clip_2b') });
    expect(direct.spec.scenes.map((s) => s.views.length)).toEqual([3, 4]);
    const byDefault = await readEgoExo4d({ root });
    expect(byDefault.spec.meta).toMatchObject({ featureKind: 'omnivore_video' });
  });

  it('needs the kind for a folder of .pt files whose name does not say it, and refuses a contradicting one', async () => {
    const root = download();
    const flat = join(root, 'features', 'omnivore_video');
    const renamed = join(root, 'my-features');
    renameSync(flat, renamed);
    await expect(readEgoExo4d({ root, features: renamed })).rejects.toThrow(/my-features: holds <take_uid>_<cam_id>_<stream_id>\.pt files of an unnamed kind: say which \(omnivore_video or maws_clip_2b; --feature-kind\)/);
    const { spec } = await readEgoExo4d({ root, features: renamed, featureKind: 'omnivore_video' });
    expect(spec.scenes[0]!.views[0]!.track).toMatchObject({ featureStrideFrames: 16, frameCount: 300 });
    renameSync(renamed, flat);
    await expect(readEgoExo4d({ root, features: flat, featureKind: 'maws_clip_2b' })).rejects.toThrow(/omnivore_video: this is the omnivore_video folder, but the feature kind asked for is maws_clip_2b/);
  });

  it('fails naming a feature file that is not a tensor file, and a hostile one', async () => {
    const root = download();
    const victim = join(root, 'features', 'omnivore_video', `${TAKES[0]!.uid}_cam01_0.pt`);
    writeFileSync(victim, 'not a zip');
    await expect(readEgoExo4d({ root })).rejects.toThrow(new RegExp(`${TAKES[0]!.uid}_cam01_0\\.pt: not an \\.npy file|${TAKES[0]!.uid}_cam01_0\\.pt`));
    cpSync(hostile, victim);
    await expect(readEgoExo4d({ root })).rejects.toThrow(/_cam01_0\.pt \([^/]+\/data\.pkl\): pickle byte 2: GLOBAL \(0x63\): global posix\.system is not allowed/);
    expect(existsSync(`${hostile}.pwned`)).toBe(false);
  });
});
