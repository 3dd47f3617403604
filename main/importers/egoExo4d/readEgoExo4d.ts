// Imports Ego-Exo4D (Grauman et al., CVPR 2024): one scene per take from takes.json, one view per camera (the Aria
// glasses as ego, the GoPros as exo); the take's frame-aligned videos share one time axis, so every offset is 0.
// Features are one .npy per take and camera, `<features>/<take_name>/<cam_id>.npy` ([T, F]; a folder named by
// take_uid works too). Videos are recorded when `root_dir/relative_path` exists under the dataset root.
import { join } from 'node:path';
import type { DatasetImportSpec, SceneImportSpec, ViewImportSpec } from '../../catalog/importSpec';
import { ImportFormatError } from '../common/errors';
import { commonRoot, isFile, isFolder, relativeTo, requireFolder } from '../common/datasetPaths';
import type { ImportResult } from '../common/importResult';
import { npyTrackShape } from '../common/npyFeatures';
import { ProgressCounter, type ImportControl } from '../common/progress';
import { checkFrameCounts, ReportBuilder } from '../common/validationReport';
import { readTakes, readTakeSplits, type Take } from './takes';

export const EGOEXO4D_FORMAT = 'egoexo4d';
export const EGOEXO4D_FPS = 30;

export interface EgoExo4dOptions extends ImportControl {
  /** The download folder (takes.json, takes/, annotations/). */
  root: string;
  name?: string;
  /** Folder holding takes.json and annotations/splits.json; default `root`. */
  annotations?: string;
  /** Folder with `<take_name>/<cam_id>.npy`; default `root/features`. */
  features?: string;
  featureLayout?: 'TF' | 'FT';
  /** Expected feature dimension; cameras with another are left out and reported. */
  featureDim?: number;
  featureFps?: number;
  /** See checkFrameCounts (default 2 frames: frame-aligned videos). */
  frameTolerance?: number;
}

interface Context {
  root: string;
  dataset: string;
  features: string;
  layout: 'TF' | 'FT';
  fps: number;
  featureDim: number | undefined;
  tolerance: number;
}

function takeFeatureFolder(features: string, take: Take): string | undefined {
  return [join(features, take.name), join(features, take.uid)].find(isFolder);
}

function takeScene(take: Take, split: 'train' | 'val' | 'test' | null, context: Context, report: ReportBuilder): SceneImportSpec | undefined {
  const folder = takeFeatureFolder(context.features, take);
  if (!folder) {
    report.add({ kind: 'missingFeatures', scene: take.name, message: `no feature folder ${take.name} (or ${take.uid}) in ${context.features}; not imported` });
    return undefined;
  }
  const views: ViewImportSpec[] = [];
  for (const camera of take.cameras) {
    const file = join(folder, `${camera.camId}.npy`);
    if (!isFile(file)) {
      report.add({ kind: 'missingView', scene: take.name, view: camera.camId, message: `no ${camera.camId}.npy in ${folder}` });
      continue;
    }
    const shape = npyTrackShape(file, context.layout);
    if (context.featureDim !== undefined && shape.dim !== context.featureDim) {
      report.add({ kind: 'featureDim', scene: take.name, view: camera.camId, message: `${file}: features are ${shape.dim}-d, expected ${context.featureDim}; view left out` });
      continue;
    }
    const video = camera.relativePath && take.rootDir ? join(context.dataset, take.rootDir, camera.relativePath) : undefined;
    views.push({
      name: camera.camId,
      role: camera.role,
      cameraId: camera.camId,
      syncOffsetFrames: 0,
      track: {
        featurePath: relativeTo(context.root, file),
        featureLayout: context.layout,
        featureDtype: shape.dtype,
        featureDim: shape.dim,
        featureFps: context.fps,
        frameCount: shape.frames,
        ...(video && isFile(video) ? { videoPath: relativeTo(context.root, video) } : {}),
      },
    });
  }
  if (views.length === 0) {
    report.add({ kind: 'missingFeatures', scene: take.name, message: `no camera of the take has features in ${folder}; not imported` });
    return undefined;
  }
  checkFrameCounts(report, take.name, views.map((v) => ({ name: v.name, frames: v.track!.frameCount! })), context.tolerance);
  return { name: take.name, split, meta: { takeUid: take.uid, taskName: take.taskName }, views, segments: [] };
}

export async function readEgoExo4d(options: EgoExo4dOptions): Promise<ImportResult> {
  const dataset = requireFolder(options.root, 'root');
  const annotations = requireFolder(options.annotations ?? dataset, 'annotations');
  const features = requireFolder(options.features ?? join(dataset, 'features'), 'features');
  const takesFile = join(annotations, 'takes.json');
  if (!isFile(takesFile)) throw new ImportFormatError(annotations, 'expected takes.json here');
  const splitsFile = join(annotations, 'annotations', 'splits.json');
  const splits = isFile(splitsFile) ? readTakeSplits(splitsFile) : new Map<string, 'train' | 'val' | 'test'>();
  const context: Context = {
    root: commonRoot([dataset, annotations, features]),
    dataset,
    features,
    layout: options.featureLayout ?? 'TF',
    fps: options.featureFps ?? EGOEXO4D_FPS,
    featureDim: options.featureDim,
    tolerance: options.frameTolerance ?? 2,
  };
  const report = new ReportBuilder();
  const takes = readTakes(takesFile);
  const counter = new ProgressCounter(takes.length, options);
  const scenes: SceneImportSpec[] = [];
  for (const take of takes) {
    const scene = takeScene(take, splits.get(take.uid) ?? null, context, report);
    if (scene) scenes.push(scene);
    await counter.step(`take ${take.name}`);
  }
  if (scenes.length === 0) throw new ImportFormatError(features, 'no take of takes.json has features here');
  const spec: DatasetImportSpec = {
    name: options.name ?? 'egoexo4d',
    root: context.root,
    format: EGOEXO4D_FORMAT,
    meta: { source: 'Ego-Exo4D', featureFolder: relativeTo(context.root, features), fps: context.fps },
    scenes,
  };
  return { spec, report: report.build() };
}
