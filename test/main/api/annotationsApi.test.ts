// The annotation methods through the in-memory rpc pair: the action vocabulary, saving a scene's segments with the
// timeline rules, and Assembly101-coarse / MS-TCN files in and out (round trip, errors naming the line).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ArgumentError, NotFoundError } from '../../../contract/errors';
import { createCatalogFixture, type CatalogFixture } from './catalogFixture';
import { serveApi, type ServedApi } from './servedApi';

let fixture: CatalogFixture;
let api: ServedApi;
let sceneId: number;

beforeEach(() => {
  fixture = createCatalogFixture();
  api = serveApi(fixture.catalog, fixture.dataDir);
  sceneId = fixture.catalog.getDataset(fixture.datasetId).scenes[0]!.id;
});

afterEach(() => {
  api.client.close();
  fixture.cleanup();
});

const snapshot = () => ({
  scenes: fixture.catalog.getDataset(fixture.datasetId).scenes.map((s) => fixture.catalog.getScene(s.id)),
  vocabulary: fixture.catalog.listVocabulary(fixture.datasetId),
});

const plain = (segments: { startFrame: number; endFrame: number; label: string; verb: string | null; object: string | null; source: string }[]) =>
  segments.map(({ startFrame, endFrame, label, verb, object, source }) => ({ startFrame, endFrame, label, verb, object, source }));

describe('vocabulary', () => {
  it('lists the labels the import collected, in class order', async () => {
    expect(await api.client.api.listVocabulary({ datasetId: fixture.datasetId })).toEqual([
      { label: 'take cup', verb: 'take', object: 'cup' },
      { label: 'pour water', verb: 'pour', object: 'water' },
    ]);
  });

  it('adds a label once and announces it; adding it again changes nothing', async () => {
    const labels = await api.client.api.addVocabularyLabel({ datasetId: fixture.datasetId, label: 'stir tea', verb: 'stir', object: 'tea' });
    expect(labels.at(-1)).toEqual({ label: 'stir tea', verb: 'stir', object: 'tea' });
    const again = await api.client.api.addVocabularyLabel({ datasetId: fixture.datasetId, label: 'stir tea', verb: 'drink' });
    expect(again).toEqual(labels);
    await api.settle();
    expect(api.events).toEqual([{ datasetId: fixture.datasetId, sceneId: null, what: 'vocabulary' }]);
  });
});

describe('saveSegments', () => {
  it('replaces the scene segments in timeline order, adds new labels to the vocabulary and announces it', async () => {
    const saved = await api.client.api.saveSegments({
      sceneId,
      segments: [
        { startFrame: 12, endFrame: 30, label: 'stir tea' },
        { startFrame: 0, endFrame: 10, label: 'take cup', verb: 'take', object: 'cup' },
      ],
    });
    expect(plain(saved)).toEqual([
      // Same frames and label as the imported segment: it keeps its source.
      { startFrame: 0, endFrame: 10, label: 'take cup', verb: 'take', object: 'cup', source: 'imported' },
      { startFrame: 12, endFrame: 30, label: 'stir tea', verb: null, object: null, source: 'manual' },
    ]);
    expect(fixture.catalog.getScene(sceneId).segments).toEqual(saved);
    expect(fixture.catalog.listVocabulary(fixture.datasetId).map((l) => l.label)).toEqual(['take cup', 'pour water', 'stir tea']);
    await api.settle();
    expect(api.events).toEqual([{ datasetId: fixture.datasetId, sceneId, what: 'segments' }]);
  });

  it('saves an empty list (clears the scene)', async () => {
    expect(await api.client.api.saveSegments({ sceneId, segments: [] })).toEqual([]);
    expect(fixture.catalog.getScene(sceneId).segments).toEqual([]);
  });

  it.each([
    [[{ startFrame: 5, endFrame: 5, label: 'a' }], 'arguments.segments[0]: expected endFrame > startFrame (5), got 5'],
    [[{ startFrame: 5, endFrame: 31, label: 'a' }], "arguments.segments[0]: expected endFrame <= the scene's 30 frames, got 31"],
    [
      [
        { startFrame: 0, endFrame: 10, label: 'a' },
        { startFrame: 9, endFrame: 12, label: 'b' },
      ],
      'arguments.segments[1]: segment [9, 12) overlaps arguments.segments[0] [0, 10)',
    ],
    [[{ startFrame: -1, endFrame: 4, label: 'a' }], 'arguments.segments[0].startFrame'],
    [[{ startFrame: 0, endFrame: 4, label: '' }], 'arguments.segments[0].label'],
    [[{ startFrame: 0, endFrame: 4, label: 'a', source: 'guessed' }], 'arguments.segments[0].source'],
  ])('refuses %j with an ArgumentError (%s), changing nothing', async (segments, message) => {
    const before = snapshot();
    const error = await api.outcome('saveSegments', { sceneId, segments });
    expect(error).toBeInstanceOf(ArgumentError);
    expect((error as Error).message).toContain(message);
    expect(snapshot()).toEqual(before);
    await api.settle();
    expect(api.events).toEqual([]);
  });
});

describe('annotation files', () => {
  it('exports Assembly101 coarse labels with 9-digit frames', async () => {
    const file = await api.client.api.exportAnnotations({ sceneId, format: 'assembly101-coarse' });
    expect(file).toEqual({ fileName: 'scene-1.coarse.txt', text: '000000000 000000010 take cup\n000000010 000000030 pour water\n' });
  });

  it('names the two formats’ files differently', async () => {
    const mstcn = await api.client.api.exportAnnotations({ sceneId, format: 'mstcn' });
    expect(mstcn.fileName).toBe('scene-1.mstcn.txt');
  });

  it('reads and checks a file without saving anything on a dry run', async () => {
    const before = snapshot();
    const vocabulary = fixture.catalog.listVocabulary(fixture.datasetId);
    const read = await api.client.api.importAnnotations({ sceneId, format: 'assembly101-coarse', text: '0 4 take cup\n6 9 brand new label\n', dryRun: true });
    expect(read).toEqual([
      { id: 0, startFrame: 0, endFrame: 4, label: 'take cup', verb: 'take', object: 'cup', source: 'imported' },
      { id: 0, startFrame: 6, endFrame: 9, label: 'brand new label', verb: null, object: null, source: 'imported' },
    ]);
    expect(snapshot()).toEqual(before);
    expect(fixture.catalog.listVocabulary(fixture.datasetId)).toEqual(vocabulary);
    await api.settle();
    expect(api.events).toEqual([]);
    const refused = await api.outcome('importAnnotations', { sceneId, format: 'assembly101-coarse', text: '0 5 a\n4 6 b\n', dryRun: true });
    expect(refused).toBeInstanceOf(ArgumentError);
  });

  it('exports MS-TCN labels, one per scene frame, uncovered frames as background', async () => {
    await api.client.api.saveSegments({ sceneId, segments: [{ startFrame: 2, endFrame: 4, label: 'take cup' }] });
    const { text } = await api.client.api.exportAnnotations({ sceneId, format: 'mstcn' });
    const lines = text.trimEnd().split('\n');
    expect(lines).toHaveLength(30);
    expect(lines.slice(0, 5)).toEqual(['background', 'background', 'take cup', 'take cup', 'background']);
  });

  it.each(['assembly101-coarse', 'mstcn'] as const)('%s: export then import gives the same segments', async (format) => {
    await api.client.api.saveSegments({
      sceneId,
      segments: [
        { startFrame: 0, endFrame: 7, label: 'take cup', verb: 'take', object: 'cup', source: 'imported' },
        { startFrame: 9, endFrame: 20, label: 'pour water', verb: 'pour', object: 'water', source: 'imported' },
        { startFrame: 20, endFrame: 26, label: 'take cup', verb: 'take', object: 'cup', source: 'imported' },
      ],
    });
    const before = plain(fixture.catalog.getScene(sceneId).segments);
    const { text } = await api.client.api.exportAnnotations({ sceneId, format });
    await api.client.api.saveSegments({ sceneId, segments: [] });
    const imported = await api.client.api.importAnnotations({ sceneId, format, text });
    expect(plain(imported)).toEqual(before);
  });

  it('imports coarse labels with any whitespace, taking verb and object from the vocabulary', async () => {
    const imported = await api.client.api.importAnnotations({
      sceneId,
      format: 'assembly101-coarse',
      text: '3\t8\ttake cup\r\n\n000000010 000000012 attempt to screw chassis\n',
    });
    expect(plain(imported)).toEqual([
      { startFrame: 3, endFrame: 8, label: 'take cup', verb: 'take', object: 'cup', source: 'imported' },
      { startFrame: 10, endFrame: 12, label: 'attempt to screw chassis', verb: null, object: null, source: 'imported' },
    ]);
    expect(fixture.catalog.listVocabulary(fixture.datasetId).map((l) => l.label)).toContain('attempt to screw chassis');
  });

  it.each([
    ['assembly101-coarse', '0 5 a\n5 x b\n', 'arguments.text line 2: expected "start_frame end_frame label"'],
    ['assembly101-coarse', '0 5 a\n7 6 b\n', 'arguments.text line 2: expected endFrame > startFrame (7), got 6'],
    ['assembly101-coarse', '0 5 a\n4 6 b\n', 'arguments.text line 2: segment [4, 6) overlaps arguments.text line 1 [0, 5)'],
    ['assembly101-coarse', '0 40 a\n', "arguments.text line 1: expected endFrame <= the scene's 30 frames, got 40"],
    ['mstcn', 'a\n\nb\n', 'arguments.text line 2: empty line before the last label (expected one label per line, one line per frame)'],
    ['mstcn', `${'a\n'.repeat(31)}`, "arguments.text lines 1-31: expected endFrame <= the scene's 30 frames, got 31"],
  ])('%s import of %j is refused naming the line, changing nothing', async (format, text, message) => {
    const before = snapshot();
    const error = await api.outcome('importAnnotations', { sceneId, format, text });
    expect(error).toBeInstanceOf(ArgumentError);
    expect((error as Error).message).toContain(message);
    expect(snapshot()).toEqual(before);
  });

  it('refuses an unknown format naming the argument', async () => {
    const error = await api.outcome('exportAnnotations', { sceneId, format: 'csv' });
    expect(error).toBeInstanceOf(ArgumentError);
    expect((error as Error).message).toContain('arguments.format');
  });
});

describe('unknown ids', () => {
  it.each([
    ['listVocabulary', { datasetId: 999 }],
    ['addVocabularyLabel', { datasetId: 999, label: 'x' }],
    ['saveSegments', { sceneId: 999, segments: [] }],
    ['importAnnotations', { sceneId: 999, format: 'mstcn', text: 'a\n' }],
    ['exportAnnotations', { sceneId: 999, format: 'mstcn' }],
  ])('%s(%j) is a NotFoundError naming the id, changing nothing', async (method, args) => {
    const before = snapshot();
    const error = await api.outcome(method, args);
    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as Error).message).toContain('999');
    expect(snapshot()).toEqual(before);
    await api.settle();
    expect(api.events).toEqual([]);
  });
});
