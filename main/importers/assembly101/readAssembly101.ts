// Imports Assembly101 (Sener et al., CVPR 2022) as it ships: TSM features from the per-view LMDB environments or
// the numpy layout, coarse or fine-grained segments, coarse splits, the 16 camera names mapped to 12 views.
//
// One scene per recording. Assembly101's TAS treats `assembly_X` and `disassembly_X` as two videos, but both are
// frame ranges of the same recording and every feature track covers the whole recording: one scene keeps one
// frame axis for the 12 views (sync offsets and clip sampling stay per recording) and carries both label sets
// as segments; each part's frame range is kept in the scene's meta (`coarseRanges`) so exports can split again.
//
// LMDB tracks are recorded as the environment folder (featurePath, relative to the root) with no featureLayout
// (the catalog's column admits only TF/FT); each view's key prefix is in the scene's meta (`lmdbKeyPrefixes`,
// also lmdbKeyPrefix(scene name, view cameraId)), and the dataset's meta says `featureStorage: 'lmdb'`.
// Scene frame t is key frame t + 1.
import { join } from 'node:path';
import type { DatasetImportSpec, SceneImportSpec, SegmentImportSpec, ViewImportSpec } from '../../catalog/importSpec';
import { LMDB_FIRST_KEY_FRAME, lmdbKeyPrefix } from '../../features/lmdbTrack';
import { readTextLines } from '../../formats/textLines';
import { ImportFormatError } from '../common/errors';
import { commonRoot, isFile, isFolder, relativeTo, requireFolder } from '../common/datasetPaths';
import type { ImportResult } from '../common/importResult';
import { ProgressCounter, type ImportControl } from '../common/progress';
import { ReportBuilder } from '../common/validationReport';
import { findAnnotationFiles } from './annotationFiles';
import {
  COARSE_PARTS,
  readActionClasses,
  readCoarseLabelFile,
  readCoarseSplits,
  readFineSegments,
  readSequenceViews,
  vocabularyOf,
  type ActionClass,
  type CoarsePart,
} from './annotations';
import { detectFeatureStorage, featureScanUnits, scanLmdbEnvironment, scanNpySequence, type FeatureStorage, type FoundTrack } from './featureTracks';
import { EGO_CAMERAS, EXO_CAMERAS, LOGICAL_VIEWS, logicalView } from './views';

export const ASSEMBLY101_FORMAT = 'assembly101';
export const ASSEMBLY101_FPS = 30;
export const TSM_FEATURE_DIM = 2048;
/** Frames two views of one recording may differ by before the report mentions it (1 s). */
export const DEFAULT_FRAME_TOLERANCE = 30;

export interface Assembly101Options extends ImportControl {
  /** The dataset folder. */
  root: string;
  /** Catalog name (default "assembly101"). */
  name?: string;
  /** Annotation folder (coarse-annotations/, fine-grained-annotations/ or the files flat); default `root`. */
  annotations?: string;
  /** Feature folder: per-view LMDB environments or `<sequence>/<view>/features.npy`; default `root/TSM_features` if it exists, else `root`. */
  features?: string;
  /** Expected feature dimension (default 2048); tracks of another dimension are left out and reported. */
  featureDim?: number;
  /** Videos as `<videos>/<sequence>/<camera>.mp4`; default `root/recordings` or `root/videos` when present. */
  videos?: string;
  /** Which labels become the scenes' segments (default 'coarse'). */
  segments?: 'coarse' | 'fine';
  /** See DEFAULT_FRAME_TOLERANCE. */
  frameTolerance?: number;
}

interface Annotations {
  classes?: Map<string, ActionClass>;
  coarseLabels?: string;
  fine?: Map<string, SegmentImportSpec[]>;
  splits: Map<string, 'train' | 'val' | 'test'>;
  sequenceViews?: Map<string, Set<string>>;
  recordings?: string[];
}

function readAnnotations(folder: string, segments: 'coarse' | 'fine', report: ReportBuilder): Annotations {
  const files = findAnnotationFiles(folder);
  const vocabularyFile = segments === 'coarse' ? files.coarseActions : files.fineActions;
  const classes = vocabularyFile ? readActionClasses(vocabularyFile) : undefined;
  if (segments === 'fine' && files.fineSegments.length === 0) {
    throw new ImportFormatError(folder, 'expected fine-grained-annotations/{train,validation,test}.csv for fine-grained segments');
  }
  return {
    classes,
    coarseLabels: files.coarseLabels,
    fine: segments === 'fine' ? readFineSegments(files.fineSegments, classes) : undefined,
    splits: files.coarseSplits ? readCoarseSplits(files.coarseSplits, report) : new Map(),
    sequenceViews: files.coarseSeqViews ? readSequenceViews(files.coarseSeqViews) : undefined,
    recordings: files.recordingNames ? [...readTextLines(files.recordingNames)].map((l) => l.text.trim()).filter(Boolean) : undefined,
  };
}

async function scanFeatures(features: string, storage: FeatureStorage, control: ImportControl): Promise<FoundTrack[]> {
  const units = featureScanUnits(features, storage);
  const counter = new ProgressCounter(units.length, control);
  const tracks: FoundTrack[] = [];
  for (const unit of units) {
    await counter.pace(`reading features of ${unit}`);
    if (storage === 'lmdb') tracks.push(...(await scanLmdbEnvironment(join(features, unit), unit, counter)));
    else tracks.push(...scanNpySequence(features, unit));
    await counter.step(`features of ${unit}`);
  }
  return tracks;
}

function coarseSegments(sequence: string, annotations: Annotations): { segments: SegmentImportSpec[]; ranges: Partial<Record<CoarsePart, [number, number]>> } {
  const segments: SegmentImportSpec[] = [];
  const ranges: Partial<Record<CoarsePart, [number, number]>> = {};
  if (!annotations.coarseLabels) return { segments, ranges };
  for (const part of COARSE_PARTS) {
    const file = join(annotations.coarseLabels, `${part}_${sequence}.txt`);
    if (!isFile(file)) continue;
    const partSegments = readCoarseLabelFile(file, annotations.classes);
    if (partSegments.length === 0) continue;
    ranges[part] = [Math.min(...partSegments.map((s) => s.startFrame)), Math.max(...partSegments.map((s) => s.endFrame))];
    segments.push(...partSegments);
  }
  segments.sort((a, b) => a.startFrame - b.startFrame || a.endFrame - b.endFrame);
  return { segments, ranges };
}

interface Folders {
  root: string;
  videos: string | undefined;
}

function sceneViews(
  sequence: string,
  tracks: FoundTrack[],
  folders: Folders,
  storage: FeatureStorage,
  featureDim: number,
  report: ReportBuilder,
): ViewImportSpec[] {
  const { root, videos } = folders;
  const byLogical = new Map<string, FoundTrack>();
  for (const track of tracks) {
    const logical = logicalView(track.diskView)!;
    const other = byLogical.get(logical.name);
    if (other) {
      throw new ImportFormatError(track.path, `recording ${sequence}: cameras ${other.diskView} and ${track.diskView} both map to view ${logical.name}`);
    }
    if (track.dim !== featureDim) {
      report.add({
        kind: 'featureDim',
        scene: sequence,
        view: logical.name,
        message: `${track.path}: features are ${track.dim}-d, expected ${featureDim}; view left out`,
      });
      continue;
    }
    byLogical.set(logical.name, track);
  }
  const views: ViewImportSpec[] = [];
  for (const logical of LOGICAL_VIEWS) {
    const track = byLogical.get(logical.name);
    if (!track) continue;
    const video = videos ? join(videos, sequence, `${track.diskView}.mp4`) : undefined;
    views.push({
      name: logical.name,
      role: logical.role,
      cameraId: track.diskView,
      syncOffsetFrames: 0,
      track: {
        featurePath: relativeTo(root, track.path),
        featureLayout: storage === 'lmdb' ? null : 'FT',
        featureDtype: track.dtype,
        featureDim: track.dim,
        featureFps: ASSEMBLY101_FPS,
        frameCount: track.frames,
        ...(video && isFile(video) ? { videoPath: relativeTo(root, video) } : {}),
      },
    });
  }
  return views;
}

function reportMissingViews(sequence: string, views: ViewImportSpec[], annotations: Annotations, report: ReportBuilder): void {
  const present = new Set(views.map((v) => v.name));
  const videos = annotations.sequenceViews?.get(sequence);
  for (const logical of LOGICAL_VIEWS) {
    if (present.has(logical.name)) continue;
    const cameras = logical.role === 'ego' ? EGO_CAMERAS[logical.name]! : [EXO_CAMERAS[Number(logical.name.slice(1)) - 1]!];
    const listed = videos ? cameras.some((camera) => videos.has(camera)) : undefined;
    const note = listed === undefined ? '' : listed ? ' (coarse_seq_views.txt lists a video for it)' : ' (no video for it in coarse_seq_views.txt either)';
    report.add({ kind: 'missingView', scene: sequence, view: logical.name, message: `no features for view ${logical.name}${note}` });
  }
}

/** Reads the dataset into a catalog spec and a validation report; writes nothing. */
export async function readAssembly101(options: Assembly101Options): Promise<ImportResult> {
  const dataset = requireFolder(options.root, 'root');
  const annotationsFolder = requireFolder(options.annotations ?? dataset, 'annotations');
  const defaultFeatures = join(dataset, 'TSM_features');
  const features = requireFolder(options.features ?? (isFolder(defaultFeatures) ? defaultFeatures : dataset), 'features');
  const videos = [options.videos, join(dataset, 'recordings'), join(dataset, 'videos')].find((f) => f !== undefined && isFolder(f));
  if (options.videos !== undefined && videos !== options.videos) requireFolder(options.videos, 'videos');
  const root = commonRoot([dataset, annotationsFolder, features, ...(videos ? [videos] : [])]);
  const featureDim = options.featureDim ?? TSM_FEATURE_DIM;
  const segmentsKind = options.segments ?? 'coarse';
  const tolerance = options.frameTolerance ?? DEFAULT_FRAME_TOLERANCE;
  const report = new ReportBuilder();

  const annotations = readAnnotations(annotationsFolder, segmentsKind, report);
  const storage = detectFeatureStorage(features);
  const tracks = await scanFeatures(features, storage, options);
  const bySequence = new Map<string, FoundTrack[]>();
  for (const track of tracks) {
    const list = bySequence.get(track.sequence) ?? [];
    list.push(track);
    bySequence.set(track.sequence, list);
  }
  if (bySequence.size === 0) throw new ImportFormatError(features, `no Assembly101 features found (expected per-view LMDB environments or <sequence>/<view>/features.npy)`);

  const sequences = [...bySequence.keys()].sort();
  const counter = new ProgressCounter(sequences.length, options);
  const scenes: SceneImportSpec[] = [];
  for (const sequence of sequences) {
    const views = sceneViews(sequence, bySequence.get(sequence)!, { root, videos }, storage, featureDim, report);
    reportMissingViews(sequence, views, annotations, report);
    const coarse = segmentsKind === 'coarse' ? coarseSegments(sequence, annotations) : { segments: [], ranges: {} };
    const segments = segmentsKind === 'coarse' ? coarse.segments : (annotations.fine?.get(sequence) ?? []);
    if ((segmentsKind === 'coarse' ? annotations.coarseLabels : annotations.fine) && segments.length === 0) {
      report.add({ kind: 'missingLabels', scene: sequence, message: `no ${segmentsKind} labels for this recording` });
    }
    scenes.push({
      name: sequence,
      split: annotations.splits.get(sequence) ?? null,
      meta: {
        recording: sequence,
        coarseRanges: coarse.ranges,
        featureStorage: storage,
        ...(storage === 'lmdb' ? { lmdbKeyPrefixes: Object.fromEntries(views.map((v) => [v.name, lmdbKeyPrefix(sequence, v.cameraId!)])) } : {}),
      },
      views,
      segments,
    });
    await counter.step(`recording ${sequence}`);
  }
  for (const recording of annotations.recordings ?? []) {
    if (!bySequence.has(recording)) report.add({ kind: 'missingFeatures', scene: recording, message: 'listed in recording_names.txt, but no features found; not imported' });
  }

  const spec: DatasetImportSpec = {
    name: options.name ?? 'assembly101',
    root,
    format: ASSEMBLY101_FORMAT,
    meta: {
      source: 'Assembly101',
      featureStorage: storage,
      ...(storage === 'lmdb' ? { lmdbKeyFormat: lmdbKeyPrefix('{sequence}', '{view}') + '{frame:010d}.jpg', lmdbFirstKeyFrame: LMDB_FIRST_KEY_FRAME } : {}),
      featureFolder: relativeTo(root, features),
      annotationFolder: relativeTo(root, annotationsFolder),
      segments: segmentsKind,
      exoViewOrder: [...EXO_CAMERAS],
    },
    vocabularies: annotations.classes ? [vocabularyOf('actions', annotations.classes)] : [],
    scenes,
  };
  // Coarse segments are one label per frame within each part's label file; fine-grained segments overlap.
  return { spec, report: report.build(), checks: { frameTolerance: tolerance, overlappingSegments: segmentsKind === 'fine' }, source: dataset };
}
