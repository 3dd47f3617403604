// Checks a DatasetImportSpec completely before anything is written, and returns it normalized (optional fields as
// null, relative paths with '/' separators). Every error names the scene/view/field it is about.
import { isAbsolute, posix, win32 } from 'node:path';
import { ArgumentError } from '../../contract/errors';
import type { Role } from '../../contract/api';
import { fail, integer, name, oneOf, optionalInteger, optionalText } from './checks';
import type { DatasetImportSpec } from './importSpec';

export interface ValidTrack {
  featurePath: string | null;
  featureLayout: 'TF' | 'FT' | null;
  featureDtype: 'float32' | 'float16' | null;
  featureDim: number | null;
  featureFps: number | null;
  featureStrideFrames: number | null;
  featureWindowFrames: number | null;
  frameCount: number | null;
  videoPath: string | null;
  videoFps: number | null;
  videoDurationS: number | null;
  videoWidth: number | null;
  videoHeight: number | null;
  videoCodec: string | null;
}

export interface ValidImport {
  name: string;
  root: string;
  format: string;
  meta: Record<string, unknown>;
  vocabularies: { name: string; labels: { label: string; verb: string | null; object: string | null }[] }[];
  scenes: {
    name: string;
    split: 'train' | 'val' | 'test' | null;
    meta: Record<string, unknown>;
    views: { name: string; role: Role; cameraId: string | null; syncOffsetFrames: number; track: ValidTrack | null }[];
    segments: { startFrame: number; endFrame: number; label: string; verb: string | null; object: string | null }[];
  }[];
}

const SPLITS = ['train', 'val', 'test'] as const;
const ROLES = ['ego', 'exo'] as const;
const LAYOUTS = ['TF', 'FT'] as const;
const DTYPES = ['float32', 'float16'] as const;

function optionalOneOf<T extends string>(value: unknown, allowed: readonly T[], field: string): T | null {
  return value === undefined || value === null ? null : oneOf(value, allowed, field);
}

function optionalPositive(value: unknown, field: string, allowZero = false): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) {
    fail(field, allowZero ? 'a finite number >= 0' : 'a finite number > 0', value);
  }
  return value;
}

function plainObject(value: unknown, field: string): Record<string, unknown> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(field, 'an object', value);
  return value as Record<string, unknown>;
}

function list(value: unknown, field: string): unknown[] {
  if (!Array.isArray(value)) fail(field, 'an array', value);
  return value;
}

/** A path relative to the dataset root that stays inside it, returned with '/' separators. */
export function relativePath(value: unknown, field: string): string | null {
  if (value === undefined || value === null) return null;
  const expected = 'a path relative to the dataset root that stays inside it';
  if (typeof value !== 'string' || value.trim() === '') fail(field, expected, value);
  if (isAbsolute(value) || posix.isAbsolute(value) || win32.isAbsolute(value)) fail(field, expected, value);
  const normalized = posix.normalize(value.replaceAll('\\', '/'));
  if (normalized === '..' || normalized.startsWith('../') || normalized === '.') fail(field, expected, value);
  return normalized;
}

export function absoluteRoot(value: unknown, field: string): string {
  if (typeof value !== 'string' || !isAbsolute(value)) fail(field, 'an absolute path', value);
  return value;
}

function unique(names: string[], field: (index: number) => string): void {
  const seen = new Set<string>();
  names.forEach((n, index) => {
    if (seen.has(n)) throw new ArgumentError(`${field(index)}: duplicate name ${JSON.stringify(n)}`);
    seen.add(n);
  });
}

/** A windowed track's stride and window (positive frame counts), both or neither. */
function featureWindows(track: Record<string, unknown>, at: string): Pick<ValidTrack, 'featureStrideFrames' | 'featureWindowFrames'> {
  const featureStrideFrames = optionalInteger(track.featureStrideFrames, `${at}.featureStrideFrames`, 1);
  const featureWindowFrames = optionalInteger(track.featureWindowFrames, `${at}.featureWindowFrames`, 1);
  if ((featureStrideFrames === null) !== (featureWindowFrames === null)) {
    throw new ArgumentError(`${at}: expected featureStrideFrames and featureWindowFrames together (a windowed track) or neither, got only one`);
  }
  return { featureStrideFrames, featureWindowFrames };
}

function validTrack(value: unknown, at: string): ValidTrack | null {
  if (value === undefined || value === null) return null;
  const track = plainObject(value, at);
  return {
    featurePath: relativePath(track.featurePath, `${at}.featurePath`),
    featureLayout: optionalOneOf(track.featureLayout, LAYOUTS, `${at}.featureLayout`),
    featureDtype: optionalOneOf(track.featureDtype, DTYPES, `${at}.featureDtype`),
    featureDim: optionalInteger(track.featureDim, `${at}.featureDim`, 1),
    featureFps: optionalPositive(track.featureFps, `${at}.featureFps`),
    ...featureWindows(track, at),
    frameCount: optionalInteger(track.frameCount, `${at}.frameCount`, 0),
    videoPath: relativePath(track.videoPath, `${at}.videoPath`),
    videoFps: optionalPositive(track.videoFps, `${at}.videoFps`),
    videoDurationS: optionalPositive(track.videoDurationS, `${at}.videoDurationS`, true),
    videoWidth: optionalInteger(track.videoWidth, `${at}.videoWidth`, 1),
    videoHeight: optionalInteger(track.videoHeight, `${at}.videoHeight`, 1),
    videoCodec: optionalText(track.videoCodec, `${at}.videoCodec`),
  };
}

function validScene(value: unknown, at: string): ValidImport['scenes'][number] {
  const scene = plainObject(value, at);
  const sceneName = name(scene.name, `${at}.name`);
  const here = `${at} (${JSON.stringify(sceneName)})`;
  const views = list(scene.views, `${here}.views`).map((v, i) => {
    const view = plainObject(v, `${here}.views[${i}]`);
    const viewName = name(view.name, `${here}.views[${i}].name`);
    const viewAt = `${here}.views[${i}] (${JSON.stringify(viewName)})`;
    return {
      name: viewName,
      role: oneOf(view.role, ROLES, `${viewAt}.role`),
      cameraId: optionalText(view.cameraId, `${viewAt}.cameraId`),
      syncOffsetFrames: integer(view.syncOffsetFrames, `${viewAt}.syncOffsetFrames`),
      track: validTrack(view.track, `${viewAt}.track`),
    };
  });
  unique(
    views.map((v) => v.name),
    (i) => `${here}.views[${i}].name`,
  );
  const segments = list(scene.segments, `${here}.segments`).map((s, i) => {
    const segmentAt = `${here}.segments[${i}]`;
    const segment = plainObject(s, segmentAt);
    const startFrame = integer(segment.startFrame, `${segmentAt}.startFrame`, 0);
    const endFrame = integer(segment.endFrame, `${segmentAt}.endFrame`);
    if (endFrame <= startFrame) fail(`${segmentAt}.endFrame`, `an integer > startFrame (${startFrame})`, endFrame);
    return {
      startFrame,
      endFrame,
      label: name(segment.label, `${segmentAt}.label`),
      verb: optionalText(segment.verb, `${segmentAt}.verb`),
      object: optionalText(segment.object, `${segmentAt}.object`),
    };
  });
  return {
    name: sceneName,
    split: optionalOneOf(scene.split, SPLITS, `${here}.split`),
    meta: plainObject(scene.meta, `${here}.meta`),
    views,
    segments,
  };
}

/** Validates the whole spec; throws ArgumentError naming the first offending field. */
export function validateImportSpec(spec: DatasetImportSpec): ValidImport {
  const input = plainObject(spec, 'spec');
  const header = {
    name: name(input.name, 'name'),
    root: absoluteRoot(input.root, 'root'),
    format: name(input.format, 'format'),
    meta: plainObject(input.meta, 'meta'),
  };
  const vocabularies = list(input.vocabularies ?? [], 'vocabularies').map((v, i) => {
    const vocabulary = plainObject(v, `vocabularies[${i}]`);
    const vocabularyName = name(vocabulary.name, `vocabularies[${i}].name`);
    const at = `vocabularies[${i}] (${JSON.stringify(vocabularyName)})`;
    const labels = list(vocabulary.labels, `${at}.labels`).map((l, j) => {
      const label = plainObject(l, `${at}.labels[${j}]`);
      return {
        label: name(label.label, `${at}.labels[${j}].label`),
        verb: optionalText(label.verb, `${at}.labels[${j}].verb`),
        object: optionalText(label.object, `${at}.labels[${j}].object`),
      };
    });
    unique(
      labels.map((l) => l.label),
      (j) => `${at}.labels[${j}].label`,
    );
    return { name: vocabularyName, labels };
  });
  unique(
    vocabularies.map((v) => v.name),
    (i) => `vocabularies[${i}].name`,
  );
  const scenes = list(input.scenes, 'scenes').map((scene, i) => validScene(scene, `scenes[${i}]`));
  unique(
    scenes.map((s) => s.name),
    (i) => `scenes[${i}].name`,
  );
  return { ...header, vocabularies, scenes };
}
