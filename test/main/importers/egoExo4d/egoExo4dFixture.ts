// An Ego-Exo4D download as it ships, for the import tests: takes.json in its real structure (takes with their
// Aria and GoPro cameras' frame-aligned video streams, collage and best_exo entries, duration_sec),
// annotations/splits.json, and features/<kind>/<take_uid>_<cam_id>_<stream_id>.pt written by torch.save
// (test/fixtures/torch/write_tensor_files.py; omnivore_video as Ego4D's extraction stacks them, [T, 1, F] float32;
// maws_clip_2b [T, F] float16).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeTensorFiles, type TensorFileSpec } from '../../../fixtures/torch/torchFixtures';

export const FEATURE_DIM = 8;

export interface FixtureTake {
  name: string;
  uid: string;
  durationS: number;
  split: 'train' | 'val' | 'test' | null;
  /** Cameras with features written: cam id → omnivore rows (maws rows are frames: durationS × 30). */
  features: Record<string, number>;
}

/** Every take has aria01 and three GoPros; only the cameras in `features` have files. */
export const TAKES: FixtureTake[] = [
  // 10 s = 300 frames: 18 windows of 32 frames every 16 (the last one backed up to [268, 300)).
  { name: 'georgiatech_cooking_01_01_2', uid: '0a1b2c3d-0001-4000-8000-000000000001', durationS: 10, split: 'train', features: { aria01: 18, cam01: 18, cam02: 18 } },
  // 5 s = 150 frames would give 9 windows: the files hold 8 (a shorter video), so the tracks cover 144 frames.
  { name: 'upenn_0711_Cooking_2_2', uid: '0a1b2c3d-0002-4000-8000-000000000002', durationS: 5, split: 'val', features: { aria01: 8, cam01: 8, cam02: 8, cam03: 8 } },
  { name: 'sfu_basketball_03_5', uid: '0a1b2c3d-0003-4000-8000-000000000003', durationS: 4, split: 'test', features: {} },
];

const CAMERAS = ['aria01', 'cam01', 'cam02', 'cam03'];

function stream(camId: string, streamId: string, relativePath: string) {
  return { cam_id: camId, stream_id: streamId, readable_stream_id: streamId, clip_uid: `${camId}-${streamId}`, relative_path: relativePath };
}

function takeJson(take: FixtureTake) {
  const videos: Record<string, unknown> = {
    aria01: {
      'slam-left': stream('aria01', '1201-1', 'frame_aligned_videos/aria01_1201-1.mp4'),
      rgb: stream('aria01', '214-1', 'frame_aligned_videos/aria01_214-1.mp4'),
    },
  };
  for (const cam of CAMERAS.slice(1)) videos[cam] = { '0': stream(cam, '0', `frame_aligned_videos/${cam}.mp4`) };
  videos.collage = { '0': { clip_uid: 'c', stream_id: '0', readable_stream_id: '0', relative_path: 'ego_preview.mp4' } };
  videos.best_exo = { '0': { clip_uid: null, stream_id: '0', readable_stream_id: '0', relative_path: null } };
  return {
    root_dir: `takes/${take.name}`,
    take_name: take.name,
    take_uid: take.uid,
    task_name: 'Cooking Tomato & Eggs',
    parent_task_name: 'Cooking',
    duration_sec: take.durationS,
    timesync_start_idx: 100,
    timesync_end_idx: 100 + take.durationS * 30 + 1,
    frame_aligned_videos: videos,
  };
}

/**
 * Writes the download folder; returns its root. `kinds` chooses which feature folders are written; `extra` tensor
 * files are written in the same Python run (each run pays for importing torch).
 */
export function writeEgoExo4dDownload(
  root: string,
  kinds: readonly ('omnivore_video' | 'maws_clip_2b')[] = ['omnivore_video'],
  extra: readonly TensorFileSpec[] = [],
): string {
  mkdirSync(join(root, 'annotations'), { recursive: true });
  writeFileSync(join(root, 'takes.json'), JSON.stringify(TAKES.map(takeJson)));
  const splits = Object.fromEntries(TAKES.filter((t) => t.split).map((t) => [t.uid, t.split]));
  writeFileSync(join(root, 'annotations', 'splits.json'), JSON.stringify({ take_uid_to_split: splits, split_to_take_uids: {} }));
  const specs: TensorFileSpec[] = [];
  TAKES.forEach((take, t) => {
    Object.entries(take.features).forEach(([cam, rows], c) => {
      const fileName = `${take.uid}_${cam}_${cam.startsWith('aria') ? 'rgb' : '0'}.pt`;
      const base = 100 * t + 10 * c;
      if (kinds.includes('omnivore_video')) {
        specs.push({ path: join(root, 'features', 'omnivore_video', fileName), kind: 'stacked', rows, cols: FEATURE_DIM, dtype: 'float32', base });
      }
      if (kinds.includes('maws_clip_2b')) {
        specs.push({ path: join(root, 'features', 'maws_clip_2b', fileName), kind: 'matrix', rows: take.durationS * 30, cols: FEATURE_DIM, dtype: 'float16', base });
      }
    });
  });
  writeTensorFiles([...specs, ...extra], root);
  for (const kind of kinds) writeFileSync(join(root, 'features', kind, 'config.yaml'), 'fps: 30\n');
  return root;
}
