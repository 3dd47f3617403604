// Ego-Exo4D import: takes from takes.json in its real structure (frame_aligned_videos per camera and stream, with
// non-camera entries), features per take and camera, splits from annotations/splits.json, gaps and bad input.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NpyWriter } from '../../../../main/formats/npy';
import { readEgoExo4d } from '../../../../main/importers/egoExo4d/readEgoExo4d';
import { useTempDir } from '../../catalog/fixtures/catalogFixtures';

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
    const { report } = await readEgoExo4d({ root: dataset() });
    expect(report.issues.map((i) => [i.kind, i.scene, i.view])).toEqual([
      ['missingView', 'upenn_0711_Cooking_2_2', 'cam01'],
      ['frameCountMismatch', 'upenn_0711_Cooking_2_2', undefined],
      ['missingFeatures', 'nofeatures_1', undefined],
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
