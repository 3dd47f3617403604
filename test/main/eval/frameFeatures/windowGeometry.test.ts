// Tests of the window layout of both per-frame feature methods.
import { describe, expect, it } from 'vitest';
import { centreWeights, slidingCentres, slidingWindowStart, tokenWindows } from '../../../../main/eval/frameFeatures/windowGeometry';

describe('window geometry', () => {
  it('tiles with stride T and right-aligns a last window that owns only the uncovered frames', () => {
    expect(tokenWindows(45, 20)).toEqual([
      { start: 0, ownedFrom: 0, ownedTo: 20 },
      { start: 20, ownedFrom: 20, ownedTo: 40 },
      { start: 25, ownedFrom: 40, ownedTo: 45 },
    ]);
    expect(tokenWindows(40, 20)).toHaveLength(2);
    expect(tokenWindows(7, 20)).toEqual([{ start: 0, ownedFrom: 0, ownedTo: 7 }]);
  });

  it('every frame is owned by exactly one window', () => {
    for (const frames of [1, 19, 20, 21, 99, 100]) {
      const owners = new Array<number>(frames).fill(0);
      for (const w of tokenWindows(frames, 20)) for (let f = w.ownedFrom; f < w.ownedTo; f++) owners[f]!++;
      expect(owners.every((count) => count === 1)).toBe(true);
    }
  });

  it('places sliding centres every s frames up to the first at or past the last frame', () => {
    expect(slidingCentres(11, 5)).toEqual([0, 5, 10]);
    expect(slidingCentres(12, 5)).toEqual([0, 5, 10, 15]);
    expect(slidingCentres(1, 5)).toEqual([0]);
    expect(slidingWindowStart(10, 20)).toBe(0);
    expect(slidingWindowStart(10, 5)).toBe(8);
  });

  it('weights the next centre by j/s (linear) or by its rounding (nearest)', () => {
    expect(Array.from(centreWeights(4, 'linear'))).toEqual([0, 0.25, 0.5, 0.75]);
    expect(Array.from(centreWeights(4, 'nearest'))).toEqual([0, 0, 1, 1]);
    expect(Array.from(centreWeights(5, 'nearest'))).toEqual([0, 0, 0, 1, 1]);
  });
});
