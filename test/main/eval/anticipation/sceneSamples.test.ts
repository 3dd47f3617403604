// Tests of a scene's anticipation samples per compared input, on tracks whose rows encode their frame.
import { describe, expect, it } from 'vitest';
import type { SceneSource } from '../../../../main/engine/sampling/sources';
import { resolveAnticipationConfig } from '../../../../main/eval/anticipation/config';
import { sceneAnticipationSamples } from '../../../../main/eval/anticipation/sceneSamples';
import { prepareFrameInput } from '../../../../main/eval/frameFeatures/frameFeatureInputs';
import { resolveFrameFeatureSettings } from '../../../../main/eval/frameFeatures/settings';
import { IndexTracks, view } from '../frameFeatures/indexTracks';

describe('scene anticipation samples', () => {
  const scene: SceneSource = {
    sceneId: 1,
    name: 'scene1',
    split: 'train',
    views: [view(1, 0, 100, 2, 'ego'), view(2, 4, 100, 2, 'ego'), view(3, 10, 100, 2, 'exo')],
  };
  const config = resolveAnticipationConfig({ fps: 10, anticipationSeconds: 1, recentSeconds: [0.1], recentSnippets: 1, spanningGranularities: [1] });
  const input = prepareFrameInput({ input: 'base', views: 1, rawDim: 2, settings: resolveFrameFeatureSettings() });
  const segments = [{ startFrame: 50, verb: 0, object: 0, action: 0 }];

  it('averages the ego views at the last observed scene frame', () => {
    const [sample] = sceneAnticipationSamples(new IndexTracks(2), scene, 'ego', segments, input, config);
    // τ_a = 4 s: the recent snippet max-pools scene frames 39 and 40; frame 40 is frame 40 of track 1 and 44 of track 2.
    expect(Array.from(sample!.recent)).toEqual([(1040 + 2044) / 2, (40 + 44) / 2]);
  });

  it('concatenates the ego mean and the exo view for Ego+Exo on the views’ shared timeline', () => {
    const [sample] = sceneAnticipationSamples(new IndexTracks(2), scene, 'ego+exo', segments, input, config);
    expect(sample!.featureDim).toBe(4);
    expect(Array.from(sample!.recent)).toEqual([(1040 + 2044) / 2, (40 + 44) / 2, 3050, 50]);
  });
});
