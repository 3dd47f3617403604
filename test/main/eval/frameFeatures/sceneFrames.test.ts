// Tests of the scene timeline: sync offsets line up scene frame t across views, and two views concatenate per frame.
import { describe, expect, it } from 'vitest';
import { ArgumentError } from '../../../../contract/errors';
import { concatenateFrames, readSceneFrames, sharedSceneFrames } from '../../../../main/eval/frameFeatures/sceneFrames';
import { IndexTracks, indexRow, view } from './indexTracks';

describe('scene frames', () => {
  it('covers exactly the scene times every view has a frame for', () => {
    // Scene time t is frame 3 + t of track 1 (50 frames) and 10 + t of track 2 (40 frames).
    expect(sharedSceneFrames([view(1, 3, 50, 4), view(2, 10, 40, 4)])).toEqual({ start: -3, end: 30 });
    expect(sharedSceneFrames([view(1, 0, 10, 4), view(2, 20, 10, 4)])).toEqual({ start: 0, end: 0 });
  });

  it('applies each view’s offset so that row t of both views is scene frame t', () => {
    const reader = new IndexTracks(3);
    const { range, frames } = readSceneFrames(reader, [view(1, 3, 50, 3), view(2, 10, 40, 3)]);
    expect(frames.frames).toBe(range.end - range.start);
    expect(frames.dim).toBe(6);
    for (const t of [range.start, 0, 12, range.end - 1]) {
      const row = Array.from(frames.data.subarray((t - range.start) * 6, (t - range.start + 1) * 6));
      expect(row).toEqual([...indexRow(1, 3 + t, 3), ...indexRow(2, 10 + t, 3)]);
    }
    expect(reader.reads).toEqual([
      { trackId: 1, start: 0, end: 33 },
      { trackId: 2, start: 7, end: 40 },
    ]);
  });

  it('refuses rescaled (pair-only) views and mismatched frame counts', () => {
    expect(() => sharedSceneFrames([{ ...view(1, 0, 10, 2), timeScale: 1.5 }])).toThrow(ArgumentError);
    const a = { data: new Float32Array(4), frames: 2, dim: 2 };
    const b = { data: new Float32Array(3), frames: 3, dim: 1 };
    expect(() => concatenateFrames([a, b])).toThrow(/expected every part to have 2 frames, got 3/);
  });
});
