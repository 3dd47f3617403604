// The Library's scene filter: name words, split and annotation state.
import { describe, expect, it } from 'vitest';
import type { SceneSummary } from '../../../contract/api';
import { filterScenes, formatDuration, noSceneFilter } from '../../../renderer/src/screens/library/sceneFilter';

const scene = (name: string, split: SceneSummary['split'], segmentCount: number): SceneSummary => ({
  id: name.length,
  datasetId: 1,
  name,
  split,
  egoCount: 4,
  exoCount: 8,
  durationS: 48,
  segmentCount,
  runCount: 0,
});
const scenes = [scene('P01_kitchen', 'train', 12), scene('P02_kitchen', 'test', 0), scene('P03_garage', null, 3)];
const names = (list: SceneSummary[]) => list.map((s) => s.name);

describe('filterScenes', () => {
  it('keeps everything without a filter', () => {
    expect(names(filterScenes(scenes, noSceneFilter))).toEqual(['P01_kitchen', 'P02_kitchen', 'P03_garage']);
  });

  it('needs every search word in the name, ignoring case', () => {
    expect(names(filterScenes(scenes, { ...noSceneFilter, search: 'KITCHEN p02' }))).toEqual(['P02_kitchen']);
    expect(names(filterScenes(scenes, { ...noSceneFilter, search: '  garage ' }))).toEqual(['P03_garage']);
    expect(filterScenes(scenes, { ...noSceneFilter, search: 'office' })).toEqual([]);
  });

  it('filters by split, "none" for scenes without one', () => {
    expect(names(filterScenes(scenes, { ...noSceneFilter, split: 'test' }))).toEqual(['P02_kitchen']);
    expect(names(filterScenes(scenes, { ...noSceneFilter, split: 'none' }))).toEqual(['P03_garage']);
  });

  it('filters by whether a scene has annotated segments', () => {
    expect(names(filterScenes(scenes, { ...noSceneFilter, annotations: 'annotated' }))).toEqual(['P01_kitchen', 'P03_garage']);
    expect(names(filterScenes(scenes, { ...noSceneFilter, annotations: 'unannotated', search: 'kitchen' }))).toEqual(['P02_kitchen']);
  });
});

describe('formatDuration', () => {
  it('writes seconds under a minute and m:ss above', () => {
    expect(formatDuration(48)).toBe('48.0 s');
    expect(formatDuration(125.4)).toBe('2:05');
  });
});
