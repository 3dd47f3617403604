// Reads a generic folder dataset (format in ./manifest.ts) into the catalog's import spec: validates the manifest,
// checks that every referenced file exists inside the root, and reads each feature file's .npy header (never its
// data) for frame count and dimension according to the declared layout and dtype.
import { readFileSync, realpathSync, statSync } from 'node:fs';
import { basename, join, resolve, sep } from 'node:path';
import { ArgumentError, NotFoundError } from '../../../contract/errors';
import type { DatasetImportSpec, SceneImportSpec, TrackImportSpec, ViewImportSpec } from '../../catalog/importSpec';
import { NpyFormatError, readNpyHeader } from '../../formats/npy';
import { DEMO_GENERATOR, MANIFEST_FILE, parseFolderManifest, type ManifestFeatures, type ManifestView } from './manifest';

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function requireFile(root: string, file: string, field: string): string {
  const path = join(root, file);
  if (!isFile(path)) throw new NotFoundError(`${MANIFEST_FILE}: ${field}: file ${JSON.stringify(file)} does not exist under ${root}`);
  // A symbolic link must not lead out of the dataset folder either.
  if (!realpathSync(path).startsWith(realpathSync(root) + sep)) {
    throw new ArgumentError(`${MANIFEST_FILE}: ${field}: file ${JSON.stringify(file)} resolves outside ${root}`);
  }
  return path;
}

/** Frame count and dimension of a feature file, from its header, checked against what the manifest declares. */
function featureShape(root: string, features: ManifestFeatures, field: string): { frameCount: number; featureDim: number } {
  const path = requireFile(root, features.file, `${field}.file`);
  let header;
  try {
    header = readNpyHeader(path);
  } catch (error) {
    if (error instanceof NpyFormatError) throw new ArgumentError(`${MANIFEST_FILE}: ${field}.file: ${error.message}`);
    throw error;
  }
  if (header.dtype !== features.dtype) {
    throw new ArgumentError(`${MANIFEST_FILE}: ${field}.dtype: declared "${features.dtype}", but ${features.file} holds ${header.dtype}`);
  }
  if (header.shape.length !== 2) {
    throw new ArgumentError(`${MANIFEST_FILE}: ${field}.file: expected a 2-D matrix in ${features.file}, got shape (${header.shape.join(', ')})`);
  }
  if (header.fortranOrder) {
    throw new ArgumentError(`${MANIFEST_FILE}: ${field}.file: ${features.file} is stored in Fortran order; expected C order (numpy.ascontiguousarray)`);
  }
  const [rows, cols] = header.shape as [number, number];
  return features.layout === 'TF' ? { frameCount: rows, featureDim: cols } : { frameCount: cols, featureDim: rows };
}

function readView(root: string, view: ManifestView, fps: number, field: string): ViewImportSpec {
  const spec: ViewImportSpec = {
    name: view.name,
    role: view.role,
    cameraId: view.camera ?? null,
    syncOffsetFrames: view.syncOffsetFrames ?? 0,
  };
  if (!view.features && !view.video) return spec;
  const track: TrackImportSpec = {};
  if (view.features) {
    const { frameCount, featureDim } = featureShape(root, view.features, `${field}.features`);
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
    requireFile(root, view.video.file, `${field}.video.file`);
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

/** The dataset in `root` (a folder with manifest.json) as an import spec; `opts.name` overrides the manifest's. */
export function readFolderDataset(root: string, opts: { name?: string } = {}): DatasetImportSpec {
  const absoluteRoot = resolve(root);
  const manifestPath = join(absoluteRoot, MANIFEST_FILE);
  if (!isFile(manifestPath)) throw new NotFoundError(`${MANIFEST_FILE}: not found in ${absoluteRoot}`);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(manifestPath, 'utf8'));
  } catch (error) {
    throw new ArgumentError(`${MANIFEST_FILE}: not valid JSON (${(error as Error).message})`);
  }
  const manifest = parseFolderManifest(json);
  const scenes: SceneImportSpec[] = manifest.scenes.map((scene, s) => ({
    name: scene.name,
    split: scene.split ?? null,
    views: scene.views.map((view, v) => readView(absoluteRoot, view, manifest.fps, `scenes[${s}].views[${v}]`)),
    segments: scene.segments.map((segment) => ({
      startFrame: segment.startFrame,
      endFrame: segment.endFrame,
      label: segment.label,
      verb: segment.verb ?? null,
      object: segment.object ?? null,
    })),
  }));
  const spec: DatasetImportSpec = {
    name: opts.name ?? manifest.name ?? basename(absoluteRoot),
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
  return spec;
}
