// The generic folder dataset format ("evgap-folder", version 1): a folder with a manifest.json that lists scenes,
// their synchronized views (feature track as .npy, optional video) and labelled segments. The demo generator writes
// it; any dataset converted to it can be imported. This file defines the format and validates a parsed manifest,
// naming the JSON path of every problem.
//
// <root>/manifest.json:
// {
//   "format": "evgap-folder",              required, exactly this
//   "version": 1,                          required, exactly 1
//   "name": "my dataset",                  optional; the import's default name (else the folder's name)
//   "generator": { "name": "evgap-demo", ... }   optional; who wrote the folder ("evgap-demo": the demo generator)
//   "fps": 15,                             required; frame rate of the feature tracks (frames of segments too)
//   "vocabulary": [ { "label": "take wheel", "verb": "take", "object": "wheel" }, ... ]
//                                          optional; when present every segment label must be in it
//   "scenes": [ {                          at least one
//     "name": "scene01",                   unique
//     "split": "train" | "val" | "test" | null,   optional
//     "views": [ {                         at least one
//       "name": "e1",                      unique within the scene
//       "role": "ego" | "exo",
//       "camera": "headset-1" | null,      optional camera identity (the same camera across scenes)
//       "syncOffsetFrames": 3,             optional integer, default 0: view frame t + offset shows scene frame t
//       "features": { "file": "scene01/e1.npy", "layout": "TF" | "FT", "dtype": "float32" | "float16" },
//                                          optional; a 2-D C-order .npy, [frames, dim] ('TF') or [dim, frames] ('FT')
//       "video": { "file": "scene01/e1.webm", "fps": 15, "durationS": 48, "width": 160, "height": 120,
//                  "codec": "vp9" }       optional; only "file" is required
//     } ],
//     "segments": [ { "startFrame": 0, "endFrame": 45, "label": "take wheel", "verb": "take", "object": "wheel" } ]
//                                          scene frames, endFrame exclusive; verb and object optional
//   } ]
// }
// Files are paths relative to the root with '/' separators: no absolute paths, no '..'.
import { ArgumentError } from '../../../contract/errors';
import type { Role } from '../../../contract/api';

export const FOLDER_FORMAT = 'evgap-folder';
export const FOLDER_FORMAT_VERSION = 1;
export const MANIFEST_FILE = 'manifest.json';
export const DEMO_GENERATOR = 'evgap-demo';

export type FeatureLayout = 'TF' | 'FT';
export type FeatureDtype = 'float32' | 'float16';
export type SceneSplit = 'train' | 'val' | 'test';

export interface ManifestFeatures {
  file: string;
  layout: FeatureLayout;
  dtype: FeatureDtype;
}

export interface ManifestVideo {
  file: string;
  fps?: number;
  durationS?: number;
  width?: number;
  height?: number;
  codec?: string;
}

export interface ManifestView {
  name: string;
  role: Role;
  camera?: string | null;
  syncOffsetFrames?: number;
  features?: ManifestFeatures;
  video?: ManifestVideo;
}

export interface ManifestSegment {
  startFrame: number;
  endFrame: number;
  label: string;
  verb?: string | null;
  object?: string | null;
}

export interface ManifestScene {
  name: string;
  split?: SceneSplit | null;
  views: ManifestView[];
  segments: ManifestSegment[];
}

export interface ManifestLabel {
  label: string;
  verb?: string | null;
  object?: string | null;
}

export interface FolderManifest {
  format: typeof FOLDER_FORMAT;
  version: typeof FOLDER_FORMAT_VERSION;
  name?: string;
  generator?: { name: string } & Record<string, unknown>;
  fps: number;
  vocabulary?: ManifestLabel[];
  scenes: ManifestScene[];
}

function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'an array';
  if (value !== null && typeof value === 'object') return 'an object';
  return JSON.stringify(value);
}

/** Checks values at JSON paths of one file, throwing ArgumentError "<file>: <path>: expected ..., got ...". */
class ManifestChecker {
  constructor(readonly file: string) {}

  fail(path: string, expected: string, value: unknown): never {
    throw new ArgumentError(`${this.file}: ${path}: expected ${expected}, got ${show(value)}`);
  }

  object(value: unknown, path: string): Record<string, unknown> {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) this.fail(path, 'an object', value);
    return value as Record<string, unknown>;
  }

  array(value: unknown, path: string, minLength = 0): unknown[] {
    if (!Array.isArray(value)) this.fail(path, 'an array', value);
    if (value.length < minLength) this.fail(path, `an array of at least ${minLength}`, `${value.length} items`);
    return value;
  }

  text(value: unknown, path: string): string {
    if (typeof value !== 'string' || value.trim() === '') this.fail(path, 'a non-empty string', value);
    return value;
  }

  optionalText(value: unknown, path: string): string | null | undefined {
    return value === undefined || value === null ? value : this.text(value, path);
  }

  integer(value: unknown, path: string, min = -Infinity): number {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
      this.fail(path, min === -Infinity ? 'an integer' : `an integer >= ${min}`, value);
    }
    return value;
  }

  positive(value: unknown, path: string): number {
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) this.fail(path, 'a number > 0', value);
    return value;
  }

  oneOf<T extends string>(value: unknown, path: string, options: readonly T[]): T {
    if (!options.includes(value as T)) this.fail(path, options.map((o) => JSON.stringify(o)).join(' or '), value);
    return value as T;
  }

  /** A relative path inside the root: '/' separators, no absolute path, no '..', no empty parts. */
  relativeFile(value: unknown, path: string): string {
    const file = this.text(value, path);
    const parts = file.split('/');
    if (file.startsWith('/') || /^[a-zA-Z]:/.test(file) || file.includes('\\') || parts.some((p) => p === '..' || p === '' || p === '.')) {
      this.fail(path, "a relative path inside the dataset folder ('/' separators, no absolute path, no '..')", file);
    }
    return file;
  }

  unique(names: string[], path: (i: number) => string): void {
    const seen = new Set<string>();
    names.forEach((name, i) => {
      if (seen.has(name)) this.fail(path(i), 'a unique name', name);
      seen.add(name);
    });
  }
}

function checkView(c: ManifestChecker, value: unknown, path: string): ManifestView {
  const raw = c.object(value, path);
  const view: ManifestView = {
    name: c.text(raw.name, `${path}.name`),
    role: c.oneOf(raw.role, `${path}.role`, ['ego', 'exo'] as const),
    syncOffsetFrames: raw.syncOffsetFrames === undefined ? 0 : c.integer(raw.syncOffsetFrames, `${path}.syncOffsetFrames`),
  };
  const camera = c.optionalText(raw.camera, `${path}.camera`);
  if (camera !== undefined) view.camera = camera;
  if (raw.features !== undefined) {
    const features = c.object(raw.features, `${path}.features`);
    view.features = {
      file: c.relativeFile(features.file, `${path}.features.file`),
      layout: c.oneOf(features.layout, `${path}.features.layout`, ['TF', 'FT'] as const),
      dtype: c.oneOf(features.dtype, `${path}.features.dtype`, ['float32', 'float16'] as const),
    };
  }
  if (raw.video !== undefined) {
    const video = c.object(raw.video, `${path}.video`);
    view.video = { file: c.relativeFile(video.file, `${path}.video.file`) };
    if (video.fps !== undefined) view.video.fps = c.positive(video.fps, `${path}.video.fps`);
    if (video.durationS !== undefined) view.video.durationS = c.positive(video.durationS, `${path}.video.durationS`);
    if (video.width !== undefined) view.video.width = c.integer(video.width, `${path}.video.width`, 1);
    if (video.height !== undefined) view.video.height = c.integer(video.height, `${path}.video.height`, 1);
    if (video.codec !== undefined) view.video.codec = c.text(video.codec, `${path}.video.codec`);
  }
  return view;
}

function checkSegment(c: ManifestChecker, value: unknown, path: string, labels: Set<string> | null): ManifestSegment {
  const raw = c.object(value, path);
  const startFrame = c.integer(raw.startFrame, `${path}.startFrame`, 0);
  const segment: ManifestSegment = {
    startFrame,
    endFrame: c.integer(raw.endFrame, `${path}.endFrame`, startFrame + 1),
    label: c.text(raw.label, `${path}.label`),
  };
  if (labels && !labels.has(segment.label)) c.fail(`${path}.label`, 'a label listed in vocabulary', segment.label);
  const verb = c.optionalText(raw.verb, `${path}.verb`);
  const object = c.optionalText(raw.object, `${path}.object`);
  if (verb !== undefined) segment.verb = verb;
  if (object !== undefined) segment.object = object;
  return segment;
}

function checkScene(c: ManifestChecker, value: unknown, path: string, labels: Set<string> | null): ManifestScene {
  const raw = c.object(value, path);
  const name = c.text(raw.name, `${path}.name`);
  const views = c.array(raw.views, `${path}.views`, 1).map((v, i) => checkView(c, v, `${path}.views[${i}]`));
  c.unique(views.map((v) => v.name), (i) => `${path}.views[${i}].name`);
  const scene: ManifestScene = {
    name,
    views,
    segments: c.array(raw.segments ?? [], `${path}.segments`).map((s, i) => checkSegment(c, s, `${path}.segments[${i}]`, labels)),
  };
  if (raw.split !== undefined) scene.split = raw.split === null ? null : c.oneOf(raw.split, `${path}.split`, ['train', 'val', 'test'] as const);
  return scene;
}

/** Validates a parsed manifest; `file` names it in error messages. */
export function parseFolderManifest(json: unknown, file = MANIFEST_FILE): FolderManifest {
  const c = new ManifestChecker(file);
  const raw = c.object(json, '(top level)');
  if (raw.format !== FOLDER_FORMAT) c.fail('format', JSON.stringify(FOLDER_FORMAT), raw.format);
  if (raw.version !== FOLDER_FORMAT_VERSION) c.fail('version', String(FOLDER_FORMAT_VERSION), raw.version);
  const manifest: FolderManifest = { format: FOLDER_FORMAT, version: FOLDER_FORMAT_VERSION, fps: c.positive(raw.fps, 'fps'), scenes: [] };
  if (raw.name !== undefined) manifest.name = c.text(raw.name, 'name');
  if (raw.generator !== undefined) {
    const generator = c.object(raw.generator, 'generator');
    manifest.generator = { ...generator, name: c.text(generator.name, 'generator.name') };
  }
  let labels: Set<string> | null = null;
  if (raw.vocabulary !== undefined) {
    manifest.vocabulary = c.array(raw.vocabulary, 'vocabulary').map((entry, i) => {
      const item = c.object(entry, `vocabulary[${i}]`);
      const label: ManifestLabel = { label: c.text(item.label, `vocabulary[${i}].label`) };
      const verb = c.optionalText(item.verb, `vocabulary[${i}].verb`);
      const object = c.optionalText(item.object, `vocabulary[${i}].object`);
      if (verb !== undefined) label.verb = verb;
      if (object !== undefined) label.object = object;
      return label;
    });
    c.unique(manifest.vocabulary.map((l) => l.label), (i) => `vocabulary[${i}].label`);
    labels = new Set(manifest.vocabulary.map((l) => l.label));
  }
  manifest.scenes = c.array(raw.scenes, 'scenes', 1).map((s, i) => checkScene(c, s, `scenes[${i}]`, labels));
  c.unique(manifest.scenes.map((s) => s.name), (i) => `scenes[${i}].name`);
  return manifest;
}
