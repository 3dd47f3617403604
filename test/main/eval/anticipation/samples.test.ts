// Tests of anticipation samples (which segments qualify, where the observation ends) and of the Ego / Exo /
// Ego+Exo inputs.
import { describe, expect, it } from 'vitest';
import { resolveAnticipationConfig } from '../../../../main/eval/anticipation/config';
import { anticipationSamples, roleFrames } from '../../../../main/eval/anticipation/samples';
import type { FrameMatrix } from '../../../../main/eval/frameFeatures/sceneFrames';

function constantFrames(frames: number, values: number[]): FrameMatrix {
  const data = new Float32Array(frames * values.length);
  for (let f = 0; f < frames; f++) data.set(values, f * values.length);
  return { data, frames, dim: values.length };
}

describe('anticipation samples', () => {
  const config = resolveAnticipationConfig({ fps: 30, anticipationSeconds: 1, recentSeconds: [0.5], recentSnippets: 1 });
  // Scene times [100, 400); row i (scene time 100 + i) is [100 + i].
  const frames: FrameMatrix = { data: Float32Array.from({ length: 300 }, (_, i) => 100 + i), frames: 300, dim: 1 };
  const labels = { verb: 1, object: 2, action: 3 };

  it('ends the observation 1 s before each segment and skips segments with less than 2 s observed before τ_a', () => {
    const segments = [50, 120, 189, 190, 300, 400].map((startFrame) => ({ startFrame, ...labels }));
    const samples = anticipationSamples('s1', frames, { start: 100, end: 400 }, segments, config);
    // Counted from the first frame (scene time 100): 189 → τ_a = 1.97 s, left out; 190 → τ_a = 2 s, kept.
    expect(samples.map((s) => s.segmentStart)).toEqual([190, 300]);
    // Segment at 300: τ_a is scene time 270, the last observed frame (TempAgg includes it).
    expect(Array.from(samples[1]!.recent)).toEqual([270]);
    expect(Array.from(samples[0]!.recent)).toEqual([160]);
    expect(samples[1]!.spanning).toHaveLength(5 + 3 + 2);
    expect([samples[1]!.verb, samples[1]!.object, samples[1]!.action]).toEqual([1, 2, 3]);
  });

  it('makes Ego and Exo the mean of their role’s views and Ego+Exo their concatenation', () => {
    const views = [
      { role: 'ego' as const, frames: constantFrames(3, [1, 2]) },
      { role: 'ego' as const, frames: constantFrames(3, [3, 6]) },
      { role: 'exo' as const, frames: constantFrames(3, [10, 20]) },
    ];
    expect(Array.from(roleFrames(views, 'ego').data.subarray(0, 2))).toEqual([2, 4]);
    expect(Array.from(roleFrames(views, 'exo').data.subarray(0, 2))).toEqual([10, 20]);
    const both = roleFrames(views, 'ego+exo');
    expect(both.dim).toBe(4);
    expect(Array.from(both.data.subarray(4, 8))).toEqual([2, 4, 10, 20]);
    expect(() => roleFrames(views.slice(0, 2), 'exo')).toThrow(/input 'exo' needs at least one exo view/);
  });
});
