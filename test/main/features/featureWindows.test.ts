// Windowed feature tracks' time geometry against Ego4D's documented extraction (32-frame windows every 16 frames,
// the last window backed up to end at the video's end) and a brute-force nearest-window-centre mapping.
import { describe, expect, it } from 'vitest';
import { framesForWindowCount, OMNIVORE_WINDOWS, rowOfFrame, rowSpan, windowCount, windowStart, type FeatureWindows } from '../../../main/features/featureWindows';

/** Window starts written out from the documentation, independently of the module. */
function documentedStarts(frames: number, { strideFrames: s, windowFrames: w }: FeatureWindows): number[] {
  if (frames <= w) return [0];
  const starts: number[] = [];
  for (let start = 0; start + w <= frames; start += s) starts.push(start);
  if (starts.at(-1)! + w < frames) starts.push(frames - w);
  return starts;
}

/** The row whose window centre is nearest the frame's centre (a tie goes to the later row). */
function nearestRow(frame: number, frames: number, windows: FeatureWindows): number {
  const centres = documentedStarts(frames, windows).map((start) => start + windows.windowFrames / 2);
  let best = 0;
  centres.forEach((centre, row) => {
    if (Math.abs(centre - (frame + 0.5)) <= Math.abs(centres[best]! - (frame + 0.5))) best = row;
  });
  return best;
}

describe('feature windows', () => {
  it('counts windows as Ego4D documents them: 39 frames give [0, 31] and the backed-up [7, 38]', () => {
    expect(windowCount(39, OMNIVORE_WINDOWS)).toBe(2);
    expect([windowStart(0, 39, OMNIVORE_WINDOWS), windowStart(1, 39, OMNIVORE_WINDOWS)]).toEqual([0, 7]);
    expect([10, 32, 48, 49, 64, 3201].map((n) => windowCount(n, OMNIVORE_WINDOWS))).toEqual([1, 1, 2, 3, 3, 200]);
    for (let frames = 1; frames < 300; frames++) expect(windowCount(frames, OMNIVORE_WINDOWS)).toBe(documentedStarts(frames, OMNIVORE_WINDOWS).length);
  });

  it('gives the longest video for a row count, which yields that many rows', () => {
    for (let rows = 1; rows < 60; rows++) {
      const frames = framesForWindowCount(rows, OMNIVORE_WINDOWS);
      expect(windowCount(frames, OMNIVORE_WINDOWS)).toBe(rows);
      expect(windowCount(frames + 1, OMNIVORE_WINDOWS)).toBe(rows + 1);
    }
    expect(framesForWindowCount(200, OMNIVORE_WINDOWS)).toBe(3216);
    expect(() => framesForWindowCount(0, OMNIVORE_WINDOWS)).toThrow(/expected at least one row, got 0/);
  });

  it('maps frames [16i + 8, 16i + 24) to row i, the window centred on them', () => {
    const frames = framesForWindowCount(10, OMNIVORE_WINDOWS);
    expect([0, 7, 8, 23, 24, 39, 40].map((t) => rowOfFrame(t, frames, OMNIVORE_WINDOWS))).toEqual([0, 0, 0, 0, 1, 1, 2]);
    expect(rowOfFrame(frames - 1, frames, OMNIVORE_WINDOWS)).toBe(9);
  });

  it.each([
    ['Omnivore (32 every 16)', OMNIVORE_WINDOWS],
    ['per frame', { strideFrames: 1, windowFrames: 1 }],
    ['8 every 4', { strideFrames: 4, windowFrames: 8 }],
    ['7 every 3', { strideFrames: 3, windowFrames: 7 }],
    ['5 every 5', { strideFrames: 5, windowFrames: 5 }],
  ])('maps every frame to the nearest window centre, backed-up last window included (%s)', (_, windows) => {
    for (let frames = 1; frames < 120; frames++) {
      for (let t = 0; t < frames; t++) expect(rowOfFrame(t, frames, windows), `frame ${t} of ${frames}`).toBe(nearestRow(t, frames, windows));
    }
  });

  it('reads a frame range from the rows its first and last frames map to', () => {
    expect(rowSpan(0, 100, 3216, OMNIVORE_WINDOWS)).toEqual({ first: 0, end: 6 });
    expect(rowSpan(24, 40, 3216, OMNIVORE_WINDOWS)).toEqual({ first: 1, end: 2 });
    expect(rowSpan(30, 39, 39, OMNIVORE_WINDOWS)).toEqual({ first: 1, end: 2 });
  });
});
