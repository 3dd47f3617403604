import { describe, expect, it } from 'vitest';
import { resampleRows, sceneTimestamps, tokenPositions, viewFrameSpan } from '../../../../main/engine/sampling/clipWindow';

describe('tokenPositions', () => {
  it('samples sub-interval centres of a short window, clamped to its frames (hand-worked)', () => {
    // L = 2, w1 = 4, t = 10: t + (k + 0.5)·0.5 − 0.5 = 9.75, 10.25, 10.75, 11.25 → clamped to [10, 11].
    expect([...tokenPositions({ syncOffsetFrames: 0 }, 10, 2, 4)]).toEqual([10, 10.25, 10.75, 11]);
  });

  it('samples every other frame centre of a long window', () => {
    // L = 8, w1 = 4: 10.5, 12.5, 14.5, 16.5.
    expect([...tokenPositions({ syncOffsetFrames: 0 }, 10, 8, 4)]).toEqual([10.5, 12.5, 14.5, 16.5]);
  });

  it('reads frame t + k exactly when the window length equals w1', () => {
    expect([...tokenPositions({ syncOffsetFrames: 3 }, 10, 4, 4)]).toEqual([13, 14, 15, 16]);
  });

  it('maps scene time through the view offset and time scale', () => {
    // offset 0, scale 0.5, t = 0, L = 4: 0.5·(k + 0.5) − 0.5 = −0.25, 0.25, 0.75, 1.25 → clamped to [0, 1].
    expect([...tokenPositions({ syncOffsetFrames: 0, timeScale: 0.5 }, 0, 4, 4)]).toEqual([0, 0.25, 0.75, 1]);
  });
});

describe('resampleRows', () => {
  const rows = Float32Array.from([10, 100, 11, 110, 12, 120]); // frames 10..12, dim 2

  it('interpolates linearly between neighbouring frames', () => {
    const out = new Float32Array(6);
    resampleRows(rows, 10, 2, Float64Array.from([10, 10.25, 11.5]), 'linear', out, 0);
    expect([...out]).toEqual([10, 100, 10.25, 102.5, 11.5, 115]);
  });

  it('takes the nearest frame in nearest mode', () => {
    const out = new Float32Array(8);
    resampleRows(rows, 10, 2, Float64Array.from([10.4, 11.6]), 'nearest', out, 4);
    expect([...out]).toEqual([0, 0, 0, 0, 10, 100, 12, 120]);
  });
});

describe('viewFrameSpan', () => {
  it('covers [t + offset, t + offset + ceil(L)) for a synchronized view', () => {
    expect(viewFrameSpan({ syncOffsetFrames: -5 }, 20, 7.5)).toEqual({ first: 15, end: 23 });
  });
});

describe('sceneTimestamps', () => {
  it('starts where the longest window fits in every view after offsets and stops where it last fits', () => {
    // ego frame = t + 5 (1000 frames), exo frame = t − 20 (900 frames), L = 8:
    // t >= 20 (exo) and t <= 912 (exo); stride 100 → 20, 120, ..., 820 (9 windows).
    const views = [
      { syncOffsetFrames: 5, frameCount: 1000 },
      { syncOffsetFrames: -20, frameCount: 900 },
    ];
    expect(sceneTimestamps(views, 8, 100)).toEqual({ start: 20, count: 9 });
  });

  it('has no window when a view is shorter than the longest window', () => {
    expect(sceneTimestamps([{ syncOffsetFrames: 0, frameCount: 7 }], 8, 1)).toEqual({ start: 0, count: 0 });
  });

  it('has exactly one window when the view is exactly as long as the longest window', () => {
    expect(sceneTimestamps([{ syncOffsetFrames: 0, frameCount: 8 }], 8, 100)).toEqual({ start: 0, count: 1 });
  });

  it('rescales the fit of a time-scaled view', () => {
    // exo frame = 0.5·t with 50 frames: 0.5·(t + 8) <= 50 → t <= 92.
    const views = [
      { syncOffsetFrames: 0, frameCount: 100 },
      { syncOffsetFrames: 0, frameCount: 50, timeScale: 0.5 },
    ];
    expect(sceneTimestamps(views, 8, 46)).toEqual({ start: 0, count: 3 });
  });
});
