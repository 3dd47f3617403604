import { describe, expect, it } from 'vitest';
import type { SceneDetail, TrackInfo } from '../../../../contract/api';
import { pairOnlyTimeScale, sceneSourceFromDetail } from '../../../../main/engine/sampling/sources';

const track = (id: number, frameCount: number | null): TrackInfo => ({
  id,
  featurePath: `features/${id}.npy`,
  featureLayout: 'TF',
  featureDtype: 'float32',
  featureDim: 2048,
  featureFps: 30,
  featureStrideFrames: null,
  featureWindowFrames: null,
  frameCount,
  videoPath: null,
  videoFps: null,
  videoDurationS: null,
  videoWidth: null,
  videoHeight: null,
});

const detail = (tracks: (TrackInfo | null)[]): SceneDetail => ({
  scene: { id: 9, datasetId: 1, name: 'P01', split: 'train', egoCount: 1, exoCount: tracks.length - 1, durationS: 10, segmentCount: 0, runCount: 0 },
  datasetName: 'd',
  segments: [],
  views: tracks.map((t, i) => ({
    id: 100 + i,
    sceneId: 9,
    name: i === 0 ? 'ego' : `exo${i}`,
    role: i === 0 ? 'ego' : 'exo',
    cameraId: null,
    syncOffsetFrames: i * 3,
    track: t,
  })),
});

describe('sceneSourceFromDetail', () => {
  it('describes every view with a feature track and warns about the others', () => {
    const { source, warnings } = sceneSourceFromDetail(detail([track(1, 300), track(2, 280), null]), { split: 'train' });
    expect(source).toEqual({
      sceneId: 9,
      name: 'P01',
      split: 'train',
      views: [
        { viewId: 100, name: 'ego', role: 'ego', syncOffsetFrames: 0, frameCount: 300, featureDim: 2048, trackId: 1 },
        { viewId: 101, name: 'exo1', role: 'exo', syncOffsetFrames: 3, frameCount: 280, featureDim: 2048, trackId: 2 },
      ],
    });
    expect(warnings).toEqual([expect.stringContaining('view exo2 has no feature track')]);
  });

  it('sets the exo time scale of a pair-only source from the two lengths', () => {
    const { source } = sceneSourceFromDetail(detail([track(1, 300), track(2, 150)]), { split: null, pairOnly: true });
    expect(source.pairOnly).toBe(true);
    expect(source.views[1]!.timeScale).toBe(0.5);
    expect(() => pairOnlyTimeScale(0, 10)).toThrow(/expected positive frame counts/);
  });
});
