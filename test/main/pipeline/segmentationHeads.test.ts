// Which videos the pipeline's segmentation heads train and test on: training views rotate across train scenes
// (every candidate used, a fixed number per scene), tests take every candidate, view pairs cover every view, and
// the default held-out views are the first two ego and first two exo cameras by name.
import { describe, expect, it } from 'vitest';
import { ArgumentError } from '../../../contract/errors';
import type { SourceView } from '../../../main/engine/sampling/sources';
import { resolveHeldOutViews, type EvaluationScene } from '../../../main/pipeline/evaluationData';
import { allVideos, coveringPairs, rotatingVideos } from '../../../main/pipeline/segmentationHeads';

const view = (name: string): SourceView => ({
  viewId: name.charCodeAt(1),
  name,
  role: name.startsWith('e') ? 'ego' : 'exo',
  syncOffsetFrames: 0,
  frameCount: 100,
  featureDim: 4,
  trackId: 1,
});

const scene = (name: string, views: string[]): EvaluationScene => ({
  source: { sceneId: name.length, name, split: 'train', views: views.map(view) },
  segments: [],
  range: { start: 0, end: 100 },
});

const facts = { datasetId: 1, datasetName: 'demo', featureDim: 4, views: { ego: ['e1', 'e2', 'e3'], exo: ['v1', 'v2', 'v3', 'v4'] } };

describe('pipeline segmentation videos', () => {
  const scenes = ['s1', 's2', 's3'].map((name) => scene(name, ['e1', 'e2', 'v1', 'v2', 'v3']));

  it('rotates the training candidates across scenes, perScene at a time', () => {
    const specs = rotatingVideos(scenes, [['e1'], ['e2'], ['v1'], ['v2'], ['v3']], 2);
    expect(specs.map((s) => `${s.scene.source.name}:${s.views.join('+')}`)).toEqual(['s1:e1', 's1:e2', 's2:v1', 's2:v2', 's3:v3', 's3:e1']);
  });

  it('skips a candidate a scene lacks, and tests on every candidate a scene has', () => {
    const partial = [scene('a', ['e1', 'v1']), scene('b', ['e1'])];
    expect(rotatingVideos(partial, [['e1', 'v1']], 1).map((s) => s.scene.source.name)).toEqual(['a']);
    expect(allVideos(partial, [['e1'], ['v1']]).map((s) => `${s.scene.source.name}:${s.views[0]}`)).toEqual(['a:e1', 'a:v1', 'b:e1']);
  });

  it('pairs ego and exo views so that every view appears', () => {
    expect(coveringPairs(['e1', 'e2'], ['v1', 'v2', 'v3'])).toEqual([['e1', 'v1'], ['e2', 'v2'], ['e1', 'v3']]);
  });
});

describe('resolveHeldOutViews', () => {
  it('defaults to the first two ego and the first two exo views by name', () => {
    expect(resolveHeldOutViews(facts, undefined)).toEqual(['e1', 'e2', 'v1', 'v2']);
  });

  it('keeps requested views the dataset has and names the one it lacks', () => {
    expect(resolveHeldOutViews(facts, ['v4'])).toEqual(['v4']);
    expect(() => resolveHeldOutViews(facts, ['e1', 'x9'])).toThrow(
      new ArgumentError('heldOutViews: dataset demo has no view "x9" (its views: e1, e2, e3, v1, v2, v3, v4)'),
    );
    expect(() => resolveHeldOutViews(facts, [])).toThrow(ArgumentError);
    expect(() => resolveHeldOutViews(facts, ['e1', 'e1'])).toThrow(/distinct/);
  });
});
