// The catalog's annotation edits: replacing a scene's segments in one transaction (labels joining the vocabulary),
// adding vocabulary labels, and looking up a view by id.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ArgumentError, NotFoundError } from '../../../contract/errors';
import { Catalog } from '../../../main/catalog/Catalog';

let dir: string;
let catalog: Catalog;
let datasetId: number;
let sceneId: number;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'evgap-catalog-edits-'));
  catalog = Catalog.open(join(dir, 'catalog.sqlite'));
  datasetId = catalog.importDataset({
    name: 'edits',
    root: dir,
    format: 'folder',
    scenes: [
      {
        name: 's1',
        views: [{ name: 'e1', role: 'ego', syncOffsetFrames: 0 }],
        segments: [{ startFrame: 0, endFrame: 4, label: 'take cup', verb: 'take', object: 'cup' }],
      },
    ],
  });
  sceneId = catalog.getDataset(datasetId).scenes[0]!.id;
});

afterEach(() => {
  catalog.close();
  rmSync(dir, { recursive: true, force: true });
});

const draft = (startFrame: number, endFrame: number, label: string) =>
  ({ startFrame, endFrame, label, verb: null, object: null, source: 'manual' }) as const;

describe('replaceSegments', () => {
  it('replaces the list and adds new labels to the actions vocabulary, keeping known ones as they are', () => {
    const saved = catalog.replaceSegments(sceneId, [draft(0, 2, 'take cup'), draft(2, 6, 'stir tea')]);
    expect(saved.map((s) => [s.startFrame, s.endFrame, s.label, s.source])).toEqual([
      [0, 2, 'take cup', 'manual'],
      [2, 6, 'stir tea', 'manual'],
    ]);
    expect(catalog.getScene(sceneId).segments).toEqual(saved);
    expect(catalog.listVocabulary(datasetId)).toEqual([
      { label: 'take cup', verb: 'take', object: 'cup' },
      { label: 'stir tea', verb: null, object: null },
    ]);
  });

  it('changes nothing when one segment is invalid', () => {
    const before = catalog.getScene(sceneId);
    expect(() => catalog.replaceSegments(sceneId, [draft(0, 2, 'a'), draft(5, 3, 'b')])).toThrow(ArgumentError);
    expect(catalog.getScene(sceneId)).toEqual(before);
    expect(catalog.listVocabulary(datasetId).map((l) => l.label)).toEqual(['take cup']);
  });

  it('refuses an unknown scene', () => {
    expect(() => catalog.replaceSegments(999, [])).toThrow(NotFoundError);
  });
});

describe('addVocabularyLabel', () => {
  it('appends a label once; the first verb and object stay', () => {
    catalog.addVocabularyLabel(datasetId, { label: 'pour water', verb: 'pour', object: 'water' });
    const labels = catalog.addVocabularyLabel(datasetId, { label: 'pour water', verb: 'spill', object: null });
    expect(labels.at(-1)).toEqual({ label: 'pour water', verb: 'pour', object: 'water' });
    expect(labels).toHaveLength(2);
  });

  it('refuses an empty label and an unknown dataset', () => {
    expect(() => catalog.addVocabularyLabel(datasetId, { label: ' ', verb: null, object: null })).toThrow(ArgumentError);
    expect(() => catalog.addVocabularyLabel(999, { label: 'x', verb: null, object: null })).toThrow(NotFoundError);
  });
});

describe('getView', () => {
  it('returns a view by id and refuses an unknown one', () => {
    const view = catalog.getScene(sceneId).views[0]!;
    expect(catalog.getView(view.id)).toEqual(view);
    expect(() => catalog.getView(999)).toThrow(/no view with id 999/);
  });
});
