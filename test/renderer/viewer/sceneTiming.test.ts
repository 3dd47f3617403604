// A scene's clock settings: the first video's frame rate, frames from the longest view's duration.
import { describe, expect, it } from 'vitest';
import { fallbackFps, type SceneDetail, type TrackInfo, type ViewInfo } from '../../../contract/api';
import { sceneTiming } from '../../../renderer/src/screens/scene/viewer/sceneTiming';

const track = (fields: Partial<TrackInfo>): TrackInfo => ({
  id: 1, featurePath: null, featureLayout: null, featureDtype: null, featureDim: null, featureFps: null, featureStrideFrames: null, featureWindowFrames: null, frameCount: null,
  videoPath: null, videoFps: null, videoDurationS: null, videoWidth: null, videoHeight: null, ...fields,
});
const view = (id: number, t: TrackInfo | null): ViewInfo => ({ id, sceneId: 1, name: `v${id}`, role: 'exo', cameraId: null, syncOffsetFrames: 0, track: t });
const detail = (durationS: number, views: ViewInfo[]): SceneDetail => ({
  scene: { id: 1, datasetId: 1, name: 's', split: null, egoCount: 0, exoCount: views.length, durationS, segmentCount: 0, runCount: 0 },
  datasetName: 'd',
  views,
  segments: [],
});

describe('sceneTiming', () => {
  it('counts scene frames at the first video frame rate', () => {
    expect(sceneTiming(detail(48, [view(1, track({ featureFps: 30 })), view(2, track({ videoFps: 15 }))]))).toEqual({ fps: 15, totalFrames: 720 });
  });

  it('falls back to the feature rate, then to 30 fps', () => {
    expect(sceneTiming(detail(2, [view(1, track({ featureFps: 10 }))])).fps).toBe(10);
    expect(sceneTiming(detail(2, [view(1, null)]))).toEqual({ fps: fallbackFps, totalFrames: 60 });
  });

  it('uses the frame counts when the duration is unknown, and at least one frame', () => {
    expect(sceneTiming(detail(0, [view(1, track({ featureFps: 30, frameCount: 95 }))])).totalFrames).toBe(95);
    expect(sceneTiming(detail(0, [view(1, null)])).totalFrames).toBe(1);
  });
});
