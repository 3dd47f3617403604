// Small datasets written by the tests of `evgap import` against bad input and signals: a generic folder dataset
// (manifest.json, float32 .npy tracks [frames, F], optional videos) that a test then breaks in one way, and an
// Assembly101-layout folder (the real published metadata, generated coarse labels, numpy TSM features, videos).
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NpyWriter } from '../../../main/formats/npy';
import { ffmpegPath } from '../../../native/ffmpeg';

export const ASSEMBLY101_FIXTURES = '/work/shared/fixtures/assembly101';
export const FOLDER_FPS = 15;

/** A float32 .npy matrix [rows, cols] of small distinct values. */
export function writeMatrix(file: string, rows: number, cols: number): void {
  const writer = NpyWriter.create(file, { dtype: 'float32', rows, cols });
  const values = new Float32Array(rows * cols);
  for (let i = 0; i < values.length; i++) values[i] = (i % 97) / 97;
  writer.writeRows(values);
  writer.close();
}

/** A short H.264 test video (`seconds` long at 15 fps, 32×24). */
export function makeVideo(file: string, seconds = 1): string {
  execFileSync(ffmpegPath(), [
    '-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', `testsrc=size=32x24:rate=${FOLDER_FPS}:duration=${seconds}`,
    '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', file,
  ]);
  return file;
}

export interface FolderOptions {
  name?: string;
  scenes?: number;
  /** Views per scene (the first is ego). */
  views?: number;
  frames?: number;
  dim?: number;
  /** A video copied beside every view's features. */
  video?: string;
}

/** A valid folder dataset; `edit` changes its manifest (and may write files into the root) before it is saved. */
export function folderDataset(root: string, options: FolderOptions = {}, edit?: (manifest: any, root: string) => void): string {
  const { name = 'bad', scenes = 1, views = 3, frames = 720, dim = 16, video } = options;
  mkdirSync(root, { recursive: true });
  const manifest = {
    format: 'evgap-folder',
    version: 1,
    name,
    fps: FOLDER_FPS,
    scenes: Array.from({ length: scenes }, (_, s) => {
      const scene = `scene${s + 1}`;
      mkdirSync(join(root, scene), { recursive: true });
      return {
        name: scene,
        split: 'test',
        views: Array.from({ length: views }, (_, v) => {
          const view = v === 0 ? 'e1' : `v${v}`;
          writeMatrix(join(root, scene, `${view}.npy`), frames, dim);
          if (video) copyFileSync(video, join(root, scene, `${view}.mp4`));
          return {
            name: view,
            role: v === 0 ? 'ego' : 'exo',
            features: { file: `${scene}/${view}.npy`, layout: 'TF', dtype: 'float32' },
            ...(video && { video: { file: `${scene}/${view}.mp4` } }),
          };
        }),
        segments: [
          { startFrame: 0, endFrame: frames / 2, label: 'take' },
          { startFrame: frames / 2, endFrame: frames, label: 'put' },
        ],
      };
    }),
  };
  edit?.(manifest, root);
  writeFileSync(join(root, 'manifest.json'), JSON.stringify(manifest, null, 1));
  return root;
}

const EXO = ['C10095_rgb', 'C10115_rgb', 'C10118_rgb', 'C10119_rgb', 'C10379_rgb', 'C10390_rgb', 'C10395_rgb', 'C10404_rgb'];
const EGO = ['HMC_84346135_mono10bit', 'HMC_84347414_mono10bit', 'HMC_84355350_mono10bit', 'HMC_84358933_mono10bit'];
const pad = (n: number) => String(n).padStart(9, '0');

/**
 * An Assembly101-layout folder: the real metadata, coarse label files (assembly then disassembly, ending at
 * `labelEnd`, default `frames`), `<root>/TSM_features/<sequence>/<camera>/features.npy` [dim, frames], and with `video`
 * a copy of it as `<root>/videos/<sequence>/<camera>.mp4` for every camera.
 */
export function assembly101Npy(root: string, options: { sequences?: number; frames?: number; dim?: number; video?: string; labelEnd?: number } = {}): string {
  const { sequences = 1, frames = 40, dim = 8, video, labelEnd = frames } = options;
  mkdirSync(root, { recursive: true });
  for (const file of ['coarse_actions.csv', 'recording_names.txt', 'coarse_seq_views.txt', 'coarse_splits']) {
    cpSync(join(ASSEMBLY101_FIXTURES, file), join(root, file), { recursive: true });
  }
  mkdirSync(join(root, 'coarse_labels'));
  for (let s = 0; s < sequences; s++) {
    const sequence = `nusar-2021_action_both_90${String(10 + s)}-a01_90${10 + s}_user_id_2021-02-01_10000${s}`;
    const half = Math.floor(labelEnd / 2);
    writeFileSync(join(root, 'coarse_labels', `assembly_${sequence}.txt`), `${pad(0)} ${pad(half)} attach cabin\n`);
    writeFileSync(join(root, 'coarse_labels', `disassembly_${sequence}.txt`), `${pad(half)} ${pad(labelEnd)} detach cabin\n`);
    for (const camera of [...EGO, ...EXO]) {
      const folder = join(root, 'TSM_features', sequence, camera);
      mkdirSync(folder, { recursive: true });
      writeMatrix(join(folder, 'features.npy'), dim, frames);
      if (video) {
        mkdirSync(join(root, 'videos', sequence), { recursive: true });
        copyFileSync(video, join(root, 'videos', sequence, `${camera}.mp4`));
      }
    }
  }
  return root;
}
