// Reads a generic folder dataset (format in ./manifest.ts) into the catalog's import spec: validates the manifest,
// checks that every referenced file exists inside the root, and reads each feature file's .npy header (never its
// data) for frame count and dimension according to the declared layout and dtype. One progress step per view,
// cancellable between views like every importer. Errors name the manifest (its path) and the JSON field.
import { realpathSync, statSync } from 'node:fs';
import { basename, join, resolve, sep } from 'node:path';
import { ArgumentError, NotFoundError } from '../../../contract/errors';
import type { DatasetImportSpec, SceneImportSpec, TrackImportSpec, ViewImportSpec } from '../../catalog/importSpec';
import { NpyFormatError, readNpyHeader } from '../../formats/npy';
import type { ImportResult } from '../common/importResult';
import { readJsonFile } from '../common/jsonFile';
import { ProgressCounter, type ImportControl } from '../common/progress';
import { DEMO_GENERATOR, MANIFEST_FILE, parseFolderManifest, type ManifestFeatures, type ManifestView } from './manifest';

export interface FolderOptions extends ImportControl {
  /** Catalog name; default the manifest's, else the folder's name. */
  name?: string;
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** Where the manifest is and what it names, for messages. */
interface Context {
  root: string;
  manifest: string;
}

function requireFile(context: Context, file: string, field: string): string {
  const path = join(context.root, file);
  if (!isFile(path)) throw new NotFoundError(`${context.manifest}: ${field}: file ${JSON.stringify(file)} does not exist under ${context.root}`);
  // A symbolic link must not lead out of the dataset folder either.
  if (!realpathSync(path).startsWith(realpathSync(context.root) + sep)) {
    throw new ArgumentError(`${context.manifest}: ${field}: file ${JSON.stringify(file)} resolves outside ${context.root}`);
  }
  return path;
}

/** Frame count and dimension of a feature file, from its header, checked against what the manifest declares. */
function featureShape(context: Context, features: ManifestFeatures, field: string): { frameCount: number; featureDim: number } {
  const path = requireFile(context, features.file, `${field}.file`);
  let header;
  try {
    header = readNpyHeader(path);
  } catch (error) {
    if (error instanceof NpyFormatError) throw new ArgumentError(`${context.manifest}: ${field}.file: ${error.message}`);
    throw error;
  }
  if (header.dtype !== features.dtype) {
    throw new ArgumentError(`${context.manifest}: ${field}.dtype: declared "${features.dtype}", but ${features.file} holds ${header.dtype}`);
  }
  if (header.shape.length !== 2) {
    throw new ArgumentError(`${context.manifest}: ${field}.file: expected a 2-D matrix in ${features.file}, got shape (${header.shape.join(', ')})`);
  }
  if (header.fortranOrder) {
    throw new ArgumentError(`${context.manifest}: ${field}.file: ${features.file} is stored in Fortran order; expected C order (numpy.ascontiguousarray)`);
  }
  const [rows, cols] = header.shape as [number, number];
  return features.layout === 'TF' ? { frameCount: rows, featureDim: cols } : { frameCount: cols, featureDim: rows };
}

function readView(context: Context, view: ManifestView, fps: number, field: string): ViewImportSpec {
  const spec: ViewImportSpec = {
    name: view.name,
    role: view.role,
    cameraId: view.camera ?? null,
    syncOffsetFrames: view.syncOffsetFrames ?? 0,
  };
  if (!view.features && !view.video) return spec;
  const track: TrackImportSpec = {};
  if (view.features) {
    const { frameCount, featureDim } = featureShape(context, view.features, `${field}.features`);
    Object.assign(track, {
      featurePath: view.features.file,
      featureLayout: view.features.layout,
      featureDtype: view.features.dtype,
      featureDim,
      featureFps: fps,
      frameCount,
    });
  }
  if (view.video) {
    requireFile(context, view.video.file, `${field}.video.file`);
    Object.assign(track, {
      videoPath: view.video.file,
      videoFps: view.video.fps ?? null,
      videoDurationS: view.video.durationS ?? null,
      videoWidth: view.video.width ?? null,
      videoHeight: view.video.height ?? null,
      videoCodec: view.video.codec ?? null,
    });
  }
  spec.track = track;
  return spec;
}

/** The dataset in `root` (a folder with manifest.json) as an import spec; `options.name` overrides the manifest's. */
export async function readFolderDataset(root: string, options: FolderOptions = {}): Promise<ImportResult> {
  const absoluteRoot = resolve(root);
  const manifestPath = join(absoluteRoot, MANIFEST_FILE);
  if (!isFile(manifestPath)) throw new NotFoundError(`${MANIFEST_FILE}: not found in ${absoluteRoot}`);
  const context = { root: absoluteRoot, manifest: manifestPath };
  const manifest = parseFolderManifest(readJsonFile(manifestPath), manifestPath);
  const counter = new ProgressCounter(
    manifest.scenes.reduce((sum, scene) => sum + scene.views.length, 0),
    options,
  );
  const scenes: SceneImportSpec[] = [];
  for (const [s, scene] of manifest.scenes.entries()) {
    const views: ViewImportSpec[] = [];
    for (const [v, view] of scene.views.entries()) {
      views.push(readView(context, view, manifest.fps, `scenes[${s}].views[${v}]`));
      await counter.step(`view ${scene.name}/${view.name}`);
    }
    scenes.push({
      name: scene.name,
      split: scene.split ?? null,
      views,
      segments: scene.segments.map((segment, i) => ({
        startFrame: segment.startFrame,
        endFrame: segment.endFrame,
        label: segment.label,
        verb: segment.verb ?? null,
        object: segment.object ?? null,
        origin: { track: `scenes[${s}]`, where: `${manifestPath}: scenes[${s}].segments[${i}]` },
      })),
    });
  }
  const spec: DatasetImportSpec = {
    name: options.name ?? manifest.name ?? basename(absoluteRoot),
    root: absoluteRoot,
    format: manifest.generator?.name === DEMO_GENERATOR ? 'demo' : 'folder',
    meta: { manifestVersion: manifest.version, fps: manifest.fps, ...(manifest.generator ? { generator: manifest.generator } : {}) },
    scenes,
  };
  if (manifest.vocabulary) {
    spec.vocabularies = [
      { name: 'actions', labels: manifest.vocabulary.map((l) => ({ label: l.label, verb: l.verb ?? null, object: l.object ?? null })) },
    ];
  }
  return { spec, report: { issues: [], counts: {} }, source: manifestPath };
}
