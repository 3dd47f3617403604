// Imports Charades-Ego (Sigurdsson et al., 2018) as pair-only data for step 1: each third-person video `X` and its
// egocentric partner `XEGO` become one scene with an exo and an ego view. The two were recorded separately, so
// they are not frame-synchronized: the scene's time axis is the third-person video's, and the ego view's frames
// map to it by rescaling time (scene meta `egoTimeScale` = ego frames / exo frames); segments come from the
// third-person row's `actions` at 24 fps. Features are one .npy per video: `<features>/<id>.npy`, [T, F].
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { DatasetImportSpec, SceneImportSpec, SegmentImportSpec } from '../../catalog/importSpec';
import { ImportFormatError } from '../common/errors';
import { commonRoot, isFile, isFolder, relativeTo, requireFolder } from '../common/datasetPaths';
import type { ImportResult } from '../common/importResult';
import { npyTrackShape, type NpyTrackShape } from '../common/npyFeatures';
import { ProgressCounter, type ImportControl } from '../common/progress';
import { ReportBuilder } from '../common/validationReport';
import { CSV_FILE, readCharadesEgoCsv, type CharadesVideo } from './charadesCsv';

export const CHARADES_EGO_FORMAT = 'charades-ego';
export const CHARADES_FPS = 24;
const EGO_SUFFIX = 'EGO';

export interface CharadesEgoOptions extends ImportControl {
  root: string;
  name?: string;
  /** Folder with the CharadesEgo_v1_*.csv files; default `root` (or `root/CharadesEgo` when that holds them). */
  annotations?: string;
  /** Folder with `<id>.npy` per video; default `root/features`. */
  features?: string;
  /** How the .npy files store their matrix (default 'TF', [T, F]). */
  featureLayout?: 'TF' | 'FT';
  /** Expected feature dimension; when given, pairs with another dimension are left out and reported. */
  featureDim?: number;
  /** Feature frames per second (default 24, the videos' rate). */
  featureFps?: number;
  /** Videos as `<videos>/<id>.mp4`; default `root/CharadesEgo_v1_480` or `root/videos` when present. */
  videos?: string;
}

function csvFiles(folder: string): string[] {
  const files = readdirSync(folder).filter((name) => CSV_FILE.test(name)).sort().map((name) => join(folder, name));
  if (files.length === 0) throw new ImportFormatError(folder, 'no CharadesEgo_v1_{train,test}*.csv files here');
  return files;
}

/** Every video once (the first row wins: the combined CSV and the _only1st/_only3rd ones repeat rows). */
function readVideos(folder: string): Map<string, CharadesVideo> {
  const videos = new Map<string, CharadesVideo>();
  for (const file of csvFiles(folder)) {
    for (const video of readCharadesEgoCsv(file)) if (!videos.has(video.id)) videos.set(video.id, video);
  }
  return videos;
}

function segmentsOf(video: CharadesVideo, fps: number): SegmentImportSpec[] {
  return video.actions
    .map((action) => {
      const startFrame = Math.round(action.startS * fps);
      const endFrame = Math.max(startFrame + 1, Math.round(action.endS * fps));
      return { startFrame, endFrame, label: action.label, origin: { track: video.id, where: `${video.where} (${action.label})` } };
    })
    .sort((a, b) => a.startFrame - b.startFrame || a.endFrame - b.endFrame);
}

export async function readCharadesEgo(options: CharadesEgoOptions): Promise<ImportResult> {
  const dataset = requireFolder(options.root, 'root');
  const nested = join(dataset, 'CharadesEgo');
  const annotations = requireFolder(options.annotations ?? (isFile(join(nested, 'CharadesEgo_v1_train.csv')) ? nested : dataset), 'annotations');
  const features = requireFolder(options.features ?? join(dataset, 'features'), 'features');
  const videoFolder = [options.videos, join(dataset, 'CharadesEgo_v1_480'), join(dataset, 'videos')].find((f) => f !== undefined && isFolder(f));
  if (options.videos !== undefined && videoFolder !== options.videos) requireFolder(options.videos, 'videos');
  const root = commonRoot([dataset, annotations, features, ...(videoFolder ? [videoFolder] : [])]);
  const layout = options.featureLayout ?? 'TF';
  const fps = options.featureFps ?? CHARADES_FPS;
  const report = new ReportBuilder();

  const videos = readVideos(annotations);
  const thirdPerson = [...videos.values()].filter((v) => !v.egocentric).sort((a, b) => a.id.localeCompare(b.id));
  for (const video of videos.values()) {
    const partner = video.egocentric ? video.id.slice(0, -EGO_SUFFIX.length) : `${video.id}${EGO_SUFFIX}`;
    if (!videos.has(partner)) report.add({ kind: 'unpairedVideo', scene: video.id, message: `${video.where}: no row for its partner ${partner}; not imported` });
  }

  const counter = new ProgressCounter(thirdPerson.length, options);
  const scenes: SceneImportSpec[] = [];
  for (const exo of thirdPerson) {
    const ego = videos.get(`${exo.id}${EGO_SUFFIX}`);
    if (ego) {
      const scene = pairScene(exo, ego, { features, videos: videoFolder, root, layout, fps, featureDim: options.featureDim }, report);
      if (scene) scenes.push(scene);
    }
    await counter.step(`pair ${exo.id}`);
  }
  if (scenes.length === 0) throw new ImportFormatError(features, 'no Charades-Ego pair has features for both videos');

  const spec: DatasetImportSpec = {
    name: options.name ?? 'charades-ego',
    root,
    format: CHARADES_EGO_FORMAT,
    meta: { source: 'Charades-Ego', pairOnly: true, alignment: 'rescale', fps, featureFolder: relativeTo(root, features) },
    scenes,
  };
  // The two videos of a pair are not frame-synchronized, and Charades' actions overlap (several per moment).
  return { spec, report: report.build(), checks: { frameTolerance: null, overlappingSegments: true }, source: annotations };
}

interface PairContext {
  features: string;
  videos: string | undefined;
  root: string;
  layout: 'TF' | 'FT';
  fps: number;
  featureDim: number | undefined;
}

function pairScene(exo: CharadesVideo, ego: CharadesVideo, context: PairContext, report: ReportBuilder): SceneImportSpec | undefined {
  const shapes: NpyTrackShape[] = [];
  for (const video of [exo, ego]) {
    const file = join(context.features, `${video.id}.npy`);
    if (!isFile(file)) {
      report.add({ kind: 'missingFeatures', scene: exo.id, view: video.egocentric ? 'ego' : 'exo', message: `no ${video.id}.npy in ${context.features}; pair not imported` });
      return undefined;
    }
    const shape = npyTrackShape(file, context.layout);
    if (context.featureDim !== undefined && shape.dim !== context.featureDim) {
      report.add({ kind: 'featureDim', scene: exo.id, view: video.egocentric ? 'ego' : 'exo', message: `${file}: features are ${shape.dim}-d, expected ${context.featureDim}; pair not imported` });
      return undefined;
    }
    shapes.push(shape);
  }
  const [exoShape, egoShape] = shapes as [NpyTrackShape, NpyTrackShape];
  if (exoShape.dim !== egoShape.dim) {
    report.add({ kind: 'featureDim', scene: exo.id, message: `${exo.id} has ${exoShape.dim}-d features, ${ego.id} ${egoShape.dim}-d; pair not imported` });
    return undefined;
  }
  const videoPath = (video: CharadesVideo) => {
    const file = context.videos ? join(context.videos, `${video.id}.mp4`) : undefined;
    return file && isFile(file) ? { videoPath: relativeTo(context.root, file) } : {};
  };
  const track = (video: CharadesVideo, shape: NpyTrackShape) => ({
    featurePath: relativeTo(context.root, join(context.features, `${video.id}.npy`)),
    featureLayout: context.layout,
    featureDtype: shape.dtype,
    featureDim: shape.dim,
    featureFps: context.fps,
    frameCount: shape.frames,
    ...videoPath(video),
  });
  return {
    name: exo.id,
    split: exo.split,
    meta: {
      pairOnly: true,
      alignment: 'rescale',
      egoTimeScale: exoShape.frames > 0 ? egoShape.frames / exoShape.frames : 1,
      lengthS: { exo: exo.lengthS, ego: ego.lengthS },
      room: exo.scene,
    },
    views: [
      { name: 'ego', role: 'ego', cameraId: ego.id, syncOffsetFrames: 0, track: track(ego, egoShape) },
      { name: 'exo', role: 'exo', cameraId: exo.id, syncOffsetFrames: 0, track: track(exo, exoShape) },
    ],
    segments: segmentsOf(exo, context.fps),
  };
}
