// The Catalog's dataset side: importing (happy path, every kind of bad spec, atomicity), listing with counts,
// scene detail ordering, sync offsets, track files, deleting and re-pointing.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ArgumentError, ConflictError, NotFoundError } from '../../../contract/errors';
import { Catalog } from '../../../main/catalog/Catalog';
import type { DatasetImportSpec } from '../../../main/catalog/importSpec';
import { sampleSpec, useTempDir } from './fixtures/catalogFixtures';

const tempDir = useTempDir();
let catalog: Catalog;
let root: string;

beforeEach(() => {
  const dir = tempDir();
  root = join(dir, 'datasets', 'kitchen');
  catalog = Catalog.open(join(dir, 'catalog.sqlite'));
});
afterEach(() => catalog.close());

function sceneNamed(datasetId: number, name: string) {
  const scene = catalog.listScenes(datasetId).find((s) => s.name === name);
  if (!scene) throw new Error(`test setup: no scene ${name}`);
  return catalog.getScene(scene.id);
}

describe('importDataset', () => {
  it('imports a dataset with its counts, scenes, durations and vocabulary', () => {
    const id = catalog.importDataset(sampleSpec(root));
    const [summary] = catalog.listDatasets();
    expect(summary).toMatchObject({
      id,
      name: 'kitchen',
      root,
      format: 'folder',
      sceneCount: 2,
      viewCount: 6,
      trackCount: 5,
      segmentCount: 4,
      runCount: 0,
    });
    expect(summary!.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(catalog.findDatasetByName('kitchen')).toEqual(summary);
    expect(catalog.findDatasetByName('nope')).toBeUndefined();

    expect(catalog.listScenes(id).map(({ id: _, datasetId, ...rest }) => ({ datasetId, ...rest }))).toEqual([
      // Scene-B: the longest view is ego-a's feature track (1200 frames / 30 fps), longer than ego-b's 31.5 s video.
      { datasetId: id, name: 'Scene-B', split: 'train', egoCount: 2, exoCount: 2, durationS: 40, segmentCount: 3, runCount: 0 },
      { datasetId: id, name: 'scene-a', split: 'val', egoCount: 1, exoCount: 1, durationS: 20, segmentCount: 1, runCount: 0 },
    ]);
    // Declared labels keep their place and verb/object; segment labels are appended once each.
    expect(catalog.listVocabulary(id)).toEqual([
      { label: 'take cup', verb: 'take', object: 'cup' },
      { label: 'pour water', verb: 'pour', object: 'water' },
      { label: 'open tap', verb: null, object: null },
    ]);
    expect(catalog.listVocabulary(id, 'verbs')).toEqual([]);
  });

  it('prefers a view video duration over its feature track', () => {
    const spec = sampleSpec(root);
    spec.scenes = [spec.scenes[0]!];
    spec.scenes[0]!.views = spec.scenes[0]!.views.filter((v) => v.name === 'ego-b');
    const id = catalog.importDataset(spec);
    expect(catalog.listScenes(id)[0]!.durationS).toBe(31.5);
  });

  it('searches scene names as a case-insensitive substring', () => {
    const id = catalog.importDataset(sampleSpec(root));
    expect(catalog.listScenes(id, 'SCENE-').map((s) => s.name)).toEqual(['Scene-B', 'scene-a']);
    expect(catalog.listScenes(id, 'e-b').map((s) => s.name)).toEqual(['Scene-B']);
    expect(catalog.listScenes(id, 'zzz')).toEqual([]);
  });

  it('refuses a second dataset with the same name and leaves the catalog unchanged', () => {
    catalog.importDataset(sampleSpec(root));
    const before = catalog.listDatasets();
    expect(() => catalog.importDataset(sampleSpec(join(root, 'other')))).toThrow(ConflictError);
    expect(() => catalog.importDataset(sampleSpec(join(root, 'other')))).toThrow(/name: a dataset named "kitchen" already exists/);
    expect(catalog.listDatasets()).toEqual(before);
  });

  const badSpecs: [string, (spec: DatasetImportSpec) => void, string][] = [
    ['an empty dataset name', (s) => (s.name = '  '), 'name: expected a non-empty name, got "  "'],
    ['a relative root', (s) => (s.root = 'data/kitchen'), 'root: expected an absolute path, got "data/kitchen"'],
    ['an empty scene name', (s) => (s.scenes[1]!.name = ''), 'scenes[1].name: expected a non-empty name, got ""'],
    ['duplicate scene names', (s) => (s.scenes[1]!.name = 'Scene-B'), 'scenes[1].name: duplicate name "Scene-B"'],
    ['an empty view name', (s) => (s.scenes[0]!.views[1]!.name = ''), 'scenes[0] ("Scene-B").views[1].name: expected a non-empty name'],
    [
      'duplicate view names in a scene',
      (s) => (s.scenes[0]!.views[2]!.name = 'exo-2'),
      'scenes[0] ("Scene-B").views[2].name: duplicate name "exo-2"',
    ],
    [
      'a role other than ego or exo',
      (s) => ((s.scenes[1]!.views[0] as { role: string }).role = 'top'),
      `scenes[1] ("scene-a").views[0] ("ego").role: expected 'ego' or 'exo', got "top"`,
    ],
    [
      'a fractional sync offset',
      (s) => (s.scenes[0]!.views[0]!.syncOffsetFrames = 1.5),
      'scenes[0] ("Scene-B").views[0] ("exo-2").syncOffsetFrames: expected an integer, got 1.5',
    ],
    [
      'an absolute feature path',
      (s) => (s.scenes[0]!.views[0]!.track!.featurePath = '/abs/exo-2.bin'),
      'scenes[0] ("Scene-B").views[0] ("exo-2").track.featurePath: expected a path relative to the dataset root that stays inside it, got "/abs/exo-2.bin"',
    ],
    [
      'a Windows absolute video path',
      (s) => (s.scenes[0]!.views[1]!.track!.videoPath = 'C:\\videos\\ego.mp4'),
      'scenes[0] ("Scene-B").views[1] ("ego-b").track.videoPath: expected a path relative to the dataset root',
    ],
    [
      'a path escaping the root with ..',
      (s) => (s.scenes[1]!.views[1]!.track!.featurePath = 'features/../../elsewhere/exo.bin'),
      'scenes[1] ("scene-a").views[1] ("exo").track.featurePath: expected a path relative to the dataset root that stays inside it, got "features/../../elsewhere/exo.bin"',
    ],
    [
      'an unknown feature layout',
      (s) => ((s.scenes[0]!.views[0]!.track as { featureLayout: string }).featureLayout = 'TFD'),
      `scenes[0] ("Scene-B").views[0] ("exo-2").track.featureLayout: expected 'TF' or 'FT', got "TFD"`,
    ],
    [
      'a zero feature fps',
      (s) => (s.scenes[1]!.views[0]!.track!.featureFps = 0),
      'scenes[1] ("scene-a").views[0] ("ego").track.featureFps: expected a finite number > 0, got 0',
    ],
    [
      'a feature stride without a window',
      (s) => (s.scenes[1]!.views[0]!.track!.featureStrideFrames = 16),
      'scenes[1] ("scene-a").views[0] ("ego").track: expected featureStrideFrames and featureWindowFrames together (a windowed track) or neither, got only one',
    ],
    [
      'a zero feature window',
      (s) => Object.assign(s.scenes[1]!.views[0]!.track!, { featureStrideFrames: 16, featureWindowFrames: 0 }),
      'scenes[1] ("scene-a").views[0] ("ego").track.featureWindowFrames: expected an integer >= 1, got 0',
    ],
    [
      'a segment ending where it starts',
      (s) => (s.scenes[0]!.segments[2]!.endFrame = 50),
      'scenes[0] ("Scene-B").segments[2].endFrame: expected an integer > startFrame (50), got 50',
    ],
    [
      'a negative segment start',
      (s) => (s.scenes[1]!.segments[0]!.startFrame = -1),
      'scenes[1] ("scene-a").segments[0].startFrame: expected an integer >= 0, got -1',
    ],
    ['an empty segment label', (s) => (s.scenes[1]!.segments[0]!.label = ''), 'scenes[1] ("scene-a").segments[0].label: expected a non-empty name'],
    [
      'duplicate labels in a vocabulary',
      (s) => s.vocabularies![0]!.labels.push({ label: 'take cup' }),
      'vocabularies[0] ("actions").labels[1].label: duplicate name "take cup"',
    ],
    [
      'an unknown split',
      (s) => ((s.scenes[1] as { split: string }).split = 'dev'),
      `scenes[1] ("scene-a").split: expected 'train' or 'val' or 'test', got "dev"`,
    ],
  ];

  it.each(badSpecs)('refuses %s with an ArgumentError naming the field, writing nothing', (_, spoil, message) => {
    catalog.importDataset(sampleSpec(join(root, 'first'), 'first'));
    const before = catalog.listDatasets();
    const spec = sampleSpec(root);
    spoil(spec);
    let thrown: unknown;
    try {
      catalog.importDataset(spec);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ArgumentError);
    expect((thrown as Error).message).toContain(message);
    expect(catalog.listDatasets()).toEqual(before);
  });

  it('rolls back everything already written when a write fails part-way', () => {
    // A trigger added behind the catalog's back makes the last segment insert fail after scenes and views are in.
    const raw = new Database(catalog.file);
    raw.exec(`CREATE TRIGGER refuse_boom BEFORE INSERT ON segments WHEN NEW.label = 'boom'
              BEGIN SELECT RAISE(ABORT, 'boom refused'); END`);
    raw.close();
    const spec = sampleSpec(root);
    spec.scenes[1]!.segments.push({ startFrame: 20, endFrame: 30, label: 'boom' });
    expect(() => catalog.importDataset(spec)).toThrow('boom refused');
    const raw2 = new Database(catalog.file, { readonly: true });
    const counts = raw2
      .prepare(
        `SELECT (SELECT count(*) FROM datasets) d, (SELECT count(*) FROM scenes) s, (SELECT count(*) FROM views) v,
                (SELECT count(*) FROM tracks) t, (SELECT count(*) FROM segments) g, (SELECT count(*) FROM vocabulary_labels) l`,
      )
      .get();
    raw2.close();
    expect(counts).toEqual({ d: 0, s: 0, v: 0, t: 0, g: 0, l: 0 });
  });
});

describe('getScene', () => {
  it('lists views ego first then exo, each by name, with their tracks, and segments by start', () => {
    const id = catalog.importDataset(sampleSpec(root));
    const detail = sceneNamed(id, 'Scene-B');
    expect(detail.datasetName).toBe('kitchen');
    expect(detail.scene).toMatchObject({ name: 'Scene-B', egoCount: 2, exoCount: 2, segmentCount: 3 });
    expect(detail.views.map((v) => [v.role, v.name])).toEqual([
      ['ego', 'ego-a'],
      ['ego', 'ego-b'],
      ['exo', 'exo-1'],
      ['exo', 'exo-2'],
    ]);
    const egoB = detail.views[1]!;
    expect(egoB).toMatchObject({ cameraId: null, syncOffsetFrames: 3 });
    expect(egoB.track).toMatchObject({
      featurePath: 'features/b/ego-b.bin',
      featureDim: 8,
      featureFps: 30,
      frameCount: 900,
      videoPath: 'videos/b/ego-b.mp4',
      videoFps: 30,
      videoDurationS: 31.5,
      videoWidth: 640,
      videoHeight: 480,
    });
    expect(detail.views[0]!.track!.featurePath).toBe('features/b/ego-a.bin');
    expect(detail.views[2]!.track).toBeNull();
    expect(detail.views[3]!.cameraId).toBe('C2');
    expect(detail.segments.map((s) => [s.startFrame, s.endFrame, s.label, s.source])).toEqual([
      [0, 50, 'take cup', 'imported'],
      [50, 100, 'open tap', 'imported'],
      [100, 200, 'pour water', 'imported'],
    ]);
  });

  it('throws NotFoundError for an unknown scene', () => {
    expect(() => catalog.getScene(999)).toThrow(NotFoundError);
  });
});

describe('setSyncOffset', () => {
  it('stores the offset and returns the updated view', () => {
    const id = catalog.importDataset(sampleSpec(root));
    const view = sceneNamed(id, 'Scene-B').views[3]!;
    const updated = catalog.setSyncOffset(view.id, -12);
    expect(updated).toEqual({ ...view, syncOffsetFrames: -12 });
    expect(sceneNamed(id, 'Scene-B').views[3]!.syncOffsetFrames).toBe(-12);
  });

  it('refuses an unknown view and a fractional offset', () => {
    const id = catalog.importDataset(sampleSpec(root));
    const view = sceneNamed(id, 'Scene-B').views[0]!;
    expect(() => catalog.setSyncOffset(12345, 1)).toThrow(NotFoundError);
    expect(() => catalog.setSyncOffset(view.id, 0.5)).toThrow('offsetFrames: expected an integer, got 0.5');
  });
});

describe('trackFile', () => {
  it('joins the dataset root and the relative path, following a re-pointed root', () => {
    const id = catalog.importDataset(sampleSpec(root));
    const egoB = sceneNamed(id, 'Scene-B').views[1]!;
    expect(catalog.trackFile(egoB.track!.id, 'video')).toBe(join(root, 'videos', 'b', 'ego-b.mp4'));
    expect(catalog.trackFile(egoB.track!.id, 'feature')).toBe(join(root, 'features', 'b', 'ego-b.bin'));
    const moved = join(tempDir(), 'moved');
    catalog.repointDataset(id, moved);
    expect(catalog.trackFile(egoB.track!.id, 'video')).toBe(join(moved, 'videos', 'b', 'ego-b.mp4'));
    expect(catalog.getDataset(id).dataset.root).toBe(moved);
  });

  it('refuses an unknown track, a track without that file and an unknown kind', () => {
    const id = catalog.importDataset(sampleSpec(root));
    const egoA = sceneNamed(id, 'Scene-B').views[0]!;
    expect(() => catalog.trackFile(98765, 'feature')).toThrow(NotFoundError);
    expect(() => catalog.trackFile(egoA.track!.id, 'video')).toThrow(`track ${egoA.track!.id} has no video file`);
    expect(() => catalog.trackFile(egoA.track!.id, 'audio' as 'video')).toThrow(ArgumentError);
  });
});

describe('datasets', () => {
  it('returns a dataset with its scenes and runs, and refuses unknown ids', () => {
    const id = catalog.importDataset(sampleSpec(root));
    const runId = catalog.createRun({ datasetId: id, kind: 'pretrain', config: {}, seed: 1, backend: null });
    const detail = catalog.getDataset(id);
    expect(detail.dataset.runCount).toBe(1);
    expect(detail.scenes.map((s) => s.name)).toEqual(['Scene-B', 'scene-a']);
    expect(detail.runs.map((r) => r.id)).toEqual([runId]);
    expect(() => catalog.getDataset(id + 1)).toThrow(NotFoundError);
  });

  it('counts, per scene, the runs of its dataset that read its split', () => {
    const spec = sampleSpec(root);
    const test = { ...spec.scenes[1]!, name: 'scene-t', split: 'test' as const };
    const unsplit = { ...spec.scenes[1]!, name: 'scene-u', split: null };
    const id = catalog.importDataset({ ...spec, scenes: [...spec.scenes, test, unsplit] });
    const other = catalog.importDataset(sampleSpec(join(tempDir(), 'other'), 'other'));
    const run = (datasetId: number, kind: string) => catalog.createRun({ datasetId, kind, config: {}, seed: 1, backend: null });
    run(id, 'pretrain-step1'); // train and unsplit scenes
    run(id, 'pretrain-step2'); // train and unsplit scenes
    run(id, 'pipeline'); // train, unsplit and test scenes
    run(id, 'evaluation-of-some-future-kind'); // reads no scene the catalog knows of
    run(other, 'pipeline'); // another dataset's
    const counts = Object.fromEntries(catalog.listScenes(id).map((scene) => [scene.name, scene.runCount]));
    expect(counts).toEqual({ 'Scene-B': 3, 'scene-a': 0, 'scene-t': 1, 'scene-u': 3 });
    expect(catalog.listScenes(other).map((scene) => scene.runCount)).toEqual([1, 0]);
    expect(sceneNamed(id, 'scene-t').scene.runCount).toBe(1);
  });

  it('deletes a dataset with everything it owns but keeps its runs', () => {
    const id = catalog.importDataset(sampleSpec(root));
    const other = catalog.importDataset(sampleSpec(join(root, 'b'), 'other'));
    const runId = catalog.createRun({ datasetId: id, kind: 'pretrain', config: {}, seed: null, backend: null });
    catalog.deleteDataset(id);
    expect(catalog.listDatasets().map((d) => d.id)).toEqual([other]);
    expect(catalog.listScenes(id)).toEqual([]);
    expect(catalog.getRun(runId).datasetId).toBeNull();
    expect(() => catalog.deleteDataset(id)).toThrow(NotFoundError);
  });

  it('refuses a relative new root', () => {
    const id = catalog.importDataset(sampleSpec(root));
    expect(() => catalog.repointDataset(id, 'relative/root')).toThrow('newRoot: expected an absolute path, got "relative/root"');
    expect(() => catalog.repointDataset(id + 9, root)).toThrow(NotFoundError);
  });

  it('saves a sampling config under a name and replaces it when saved again', () => {
    const id = catalog.importDataset(sampleSpec(root));
    const first = catalog.saveSamplingConfig(id, 'default', { window: 20, stride: 100 });
    const again = catalog.saveSamplingConfig(id, 'default', { window: 10, stride: 50 });
    expect(again).toBe(first);
    const raw = new Database(catalog.file, { readonly: true });
    expect(raw.prepare('SELECT name, config FROM sampling_configs').all()).toEqual([
      { name: 'default', config: '{"window":10,"stride":50}' },
    ]);
    raw.close();
    expect(() => catalog.saveSamplingConfig(id + 1, 'x', {})).toThrow(NotFoundError);
    expect(() => catalog.saveSamplingConfig(id, '', {})).toThrow(ArgumentError);
  });
});
