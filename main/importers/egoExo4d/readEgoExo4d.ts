// Imports Ego-Exo4D (Grauman et al., CVPR 2024): one scene per take from takes.json, one view per camera (the Aria
// glasses as ego, the GoPros as exo); the take's frame-aligned videos share one time axis, so every offset is 0.
// Features as the dataset ships them, `features/<kind>/<take_uid>_<cam_id>_<stream_id>.pt` (featureSource.ts: the
// kinds, their rates, the other layouts read), read from each file's header only (never its values).
// Scene time counts frames of the 30 fps videos. A maws_clip_2b track has one row per frame; an omnivore_video
// track is windowed (one row per 16 frames, each over 32): it covers the take's frames (duration_sec × 30) when its
// row count is the window count of that many frames, else the frames its rows span ((T − 1)·16 + 32), reported.
// Videos are recorded when `root_dir/relative_path` exists under the dataset root.
import { join } from 'node:path';
import type { DatasetImportSpec, SceneImportSpec, ViewImportSpec } from '../../catalog/importSpec';
import { readFeatureFileMatrix } from '../../features/featureFile';
import { framesForWindowCount, windowCount, type FeatureWindows } from '../../features/featureWindows';
import { ImportFormatError } from '../common/errors';
import { commonRoot, isFile, relativeTo, requireFolder } from '../common/datasetPaths';
import type { ImportResult } from '../common/importResult';
import { ProgressCounter, type ImportControl } from '../common/progress';
import { ReportBuilder } from '../common/validationReport';
import { cameraFeatureFile, EGOEXO4D_FEATURE_KINDS, resolveFeatureSource, type EgoExo4dFeatureKind, type FeatureSource } from './featureSource';
import { readTakes, readTakeSplits, type Take, type TakeCamera } from './takes';

export const EGOEXO4D_FORMAT = 'egoexo4d';
/** The frame-aligned videos' rate, and the rate Ego4D's extraction counts its windows in. */
export const EGOEXO4D_FPS = 30;

export interface EgoExo4dOptions extends ImportControl {
  /** The download folder (takes.json, takes/, annotations/, features/). */
  root: string;
  name?: string;
  /** Folder holding takes.json and annotations/splits.json; default `root`. */
  annotations?: string;
  /** `features/omnivore_video`, `features/maws_clip_2b`, `features/` or another feature folder; default `root/features`. */
  features?: string;
  /** Which features: needed only where the folder cannot tell (see featureSource.ts). */
  featureKind?: EgoExo4dFeatureKind;
  /** How .npy files store their matrix (default 'TF'); .pt tensors are always [T, F]. */
  featureLayout?: 'TF' | 'FT';
  /** Expected feature dimension; cameras with another are left out and reported. */
  featureDim?: number;
  /** See checkFrameCounts (default 2 frames: frame-aligned videos; two strides for windowed features). */
  frameTolerance?: number;
}

interface Context {
  root: string;
  dataset: string;
  source: FeatureSource;
  windows: FeatureWindows | null;
  layout: 'TF' | 'FT';
  featureDim: number | undefined;
  tolerance: number;
}

/** Frames a camera's track covers: its rows for per-frame features; for windowed ones, see the header comment. */
function trackFrames(rows: number, take: Take, file: string, context: Context, report: ReportBuilder, camera: TakeCamera): number {
  const { windows } = context;
  if (!windows) return rows;
  const takeFrames = take.durationS === null ? null : Math.round(take.durationS * EGOEXO4D_FPS);
  if (takeFrames !== null && windowCount(takeFrames, windows) === rows) return takeFrames;
  const frames = framesForWindowCount(rows, windows);
  if (takeFrames !== null) {
    report.add({
      kind: 'frameCountMismatch',
      scene: take.name,
      view: camera.camId,
      message:
        `${file}: ${rows} features (one per ${windows.strideFrames} frames over ${windows.windowFrames}) but the take lasts ${takeFrames} frames ` +
        `(duration_sec ${take.durationS}), which gives ${windowCount(takeFrames, windows)}; taken to cover ${frames} frames`,
    });
  }
  return frames;
}

function cameraView(take: Take, camera: TakeCamera, file: string, context: Context, report: ReportBuilder): ViewImportSpec | undefined {
  const matrix = readFeatureFileMatrix(file);
  const transposed = matrix.format === 'npy' && context.layout === 'FT';
  const [rows, dim] = transposed ? [matrix.cols, matrix.rows] : [matrix.rows, matrix.cols];
  if (rows === 0) {
    report.add({ kind: 'missingFeatures', scene: take.name, view: camera.camId, message: `${file} holds no features (0 rows); view left out` });
    return undefined;
  }
  if (context.featureDim !== undefined && dim !== context.featureDim) {
    report.add({ kind: 'featureDim', scene: take.name, view: camera.camId, message: `${file}: features are ${dim}-d, expected ${context.featureDim}; view left out` });
    return undefined;
  }
  const video = camera.relativePath && take.rootDir ? join(context.dataset, take.rootDir, camera.relativePath) : undefined;
  return {
    name: camera.camId,
    role: camera.role,
    cameraId: camera.camId,
    syncOffsetFrames: 0,
    track: {
      featurePath: relativeTo(context.root, file),
      featureLayout: transposed ? 'FT' : 'TF',
      featureDtype: matrix.dtype,
      featureDim: dim,
      featureFps: EGOEXO4D_FPS,
      featureStrideFrames: context.windows?.strideFrames ?? null,
      featureWindowFrames: context.windows?.windowFrames ?? null,
      frameCount: trackFrames(rows, take, file, context, report, camera),
      ...(video && isFile(video) ? { videoPath: relativeTo(context.root, video) } : {}),
    },
  };
}

function takeScene(take: Take, split: 'train' | 'val' | 'test' | null, context: Context, report: ReportBuilder): SceneImportSpec | undefined {
  const files = take.cameras.map((camera) => ({ camera, ...cameraFeatureFile(context.source, take, camera) }));
  if (!files.some((f) => f.found)) {
    report.add({ kind: 'missingFeatures', scene: take.name, message: `no camera of the take has features in ${context.source.folder}; not imported` });
    return undefined;
  }
  const views: ViewImportSpec[] = [];
  for (const { camera, file, found } of files) {
    if (!found) {
      report.add({ kind: 'missingView', scene: take.name, view: camera.camId, message: `no features for ${camera.camId}: ${file} is missing` });
      continue;
    }
    const view = cameraView(take, camera, file, context, report);
    if (view) views.push(view);
  }
  if (views.length === 0) {
    report.add({ kind: 'missingFeatures', scene: take.name, message: `no camera of the take has usable features; not imported` });
    return undefined;
  }
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
  const source = resolveFeatureSource(features, options.featureKind);
  const windows = source.kind === null ? null : EGOEXO4D_FEATURE_KINDS[source.kind].windows;
  const context: Context = {
    root: commonRoot([dataset, annotations, source.folder]),
    dataset,
    source,
    windows,
    layout: options.featureLayout ?? 'TF',
    featureDim: options.featureDim,
    tolerance: options.frameTolerance ?? (windows ? 2 * windows.strideFrames : 2),
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
  if (scenes.length === 0) throw new ImportFormatError(source.folder, 'no take of takes.json has features here');
  const spec: DatasetImportSpec = {
    name: options.name ?? 'egoexo4d',
    root: context.root,
    format: EGOEXO4D_FORMAT,
    meta: {
      source: 'Ego-Exo4D',
      featureFolder: relativeTo(context.root, source.folder),
      featureKind: source.kind,
      fps: EGOEXO4D_FPS,
      ...(windows ? { featureStrideFrames: windows.strideFrames, featureWindowFrames: windows.windowFrames } : {}),
    },
    scenes,
  };
  return { spec, report: report.build(), checks: { frameTolerance: context.tolerance }, source: takesFile };
}
