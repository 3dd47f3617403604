// Tests of a scene as a segmentation video: two views' rows aligned by their offsets and labels over the same frames.
import { describe, expect, it } from 'vitest';
import type { SceneSource } from '../../../../main/engine/sampling/sources';
import { prepareFrameInput } from '../../../../main/eval/frameFeatures/frameFeatureInputs';
import { resolveFrameFeatureSettings } from '../../../../main/eval/frameFeatures/settings';
import { sceneSegmentationVideo } from '../../../../main/eval/segmentationHead/sceneVideos';
import { IndexTracks, indexRow, view } from '../frameFeatures/indexTracks';

describe('scene segmentation video', () => {
  it('aligns two views by offset and labels the same scene frames', () => {
    const ego = view(1, 2, 30, 2, 'ego');
    const exo = view(2, 5, 30, 2, 'exo');
    const scene: SceneSource = { sceneId: 7, name: 'scene7', split: 'train', views: [ego, exo] };
    // Shared scene times: [−2, 25).
    const segments = [
      { startFrame: -2, endFrame: 10, label: 'take' },
      { startFrame: 10, endFrame: 25, label: 'put' },
    ];
    const reader = new IndexTracks(2);
    const input = prepareFrameInput({ input: 'base', views: 2, rawDim: 2, settings: resolveFrameFeatureSettings() });
    const video = sceneSegmentationVideo({ reader, scene, views: [ego, exo], segments, classes: ['put', 'take'], input });
    expect(video.name).toBe('scene7/view1+view2');
    expect(video.labels).toHaveLength(27);
    expect(video.labels[11]).toBe(1); // scene time 9
    expect(video.labels[12]).toBe(0); // scene time 10
    expect(reader.reads).toHaveLength(0); // nothing is read before the head needs it
    const features = (video.features as () => Float32Array)();
    expect(Array.from(features.subarray(12 * 4, 13 * 4))).toEqual([...indexRow(1, 12, 2), ...indexRow(2, 15, 2)]);
  });
});
