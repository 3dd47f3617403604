// The master clock's arithmetic: parked times land half a frame into the exact frame, the rate nudge is
// proportional and capped at ±10 %, large errors become seeks, speeds step through the offered list.
import { describe, expect, it } from 'vitest';
import {
  clampFrame,
  clockPhaseError,
  correction,
  describeFrameTime,
  formatFrameTime,
  hardSeekSeconds,
  maxRateCorrection,
  nextRate,
  parkedTime,
  playingTime,
  majorityPhase,
  presentationTiming,
  rateCorrectionSeconds,
} from '../../renderer/src/lib/videoSync';

describe('parkedTime', () => {
  it('puts a paused view half a frame into its frame scene frame + offset', () => {
    expect(parkedTime(10, 0, 15)).toBeCloseTo(10.5 / 15, 12);
    expect(parkedTime(10, -3, 15)).toBeCloseTo(7.5 / 15, 12);
    expect(Math.floor(parkedTime(10, 4, 30) * 30)).toBe(14);
  });

  it('rounds a fractional scene frame to the nearest whole one', () => {
    expect(parkedTime(9.6, 0, 10)).toBeCloseTo(1.05, 12);
  });
});

describe('playingTime', () => {
  it('follows the fractional scene frame at the view offset', () => {
    expect(playingTime(30.25, 2, 15)).toBeCloseTo(32.25 / 15, 12);
  });
});

describe('clockPhaseError', () => {
  it('is 0 when a frame change falls on the refresh, and counts refreshes from the nearest change', () => {
    // 15 fps on 60 Hz: a refresh is a quarter frame.
    expect(clockPhaseError(40.0, 0.25)).toBeCloseTo(0, 12);
    expect(clockPhaseError(40.05, 0.25)).toBeCloseTo(0.2, 12);
    expect(clockPhaseError(39.95, 0.25)).toBeCloseTo(-0.2, 12);
    expect(clockPhaseError(40.125, 0.25)).toBeCloseTo(0.5, 12);
  });

  it('says nothing at a refresh more than half a refresh from a change, or when a refresh is a frame or more', () => {
    expect(clockPhaseError(40.3, 0.25)).toBeNull();
    expect(clockPhaseError(40.5, 0.5)).toBeNull();
    expect(clockPhaseError(40.1, 1)).toBeNull();
    expect(clockPhaseError(40.1, 2)).toBeNull();
  });
});

describe('presentationTiming', () => {
  it('judges a view by the refresh on which its frames go on screen, against the clock (phase 0)', () => {
    // 15 fps on 30 Hz: a refresh is half a frame.
    expect(presentationTiming(0, 0.5)).toBe('on-time');
    expect(presentationTiming(0.2, 0.5)).toBe('on-time');
    expect(presentationTiming(-0.2, 0.5)).toBe('on-time');
    expect(presentationTiming(-0.5, 0.5)).toBe('early');
    expect(presentationTiming(0.5, 0.5)).toBe('late');
  });

  it('calls a view more than a refresh and a half off stalled, not early or late', () => {
    expect(presentationTiming(0.75, 0.5)).toBe('stalled');
    expect(presentationTiming(-0.8, 0.5)).toBe('stalled');
  });
});

describe('majorityPhase', () => {
  it('is the whole refreshes off the clock where more than half of the views show their frames', () => {
    // 15 fps on 30 Hz: a refresh is half a frame.
    expect(majorityPhase([0.5, 0.49, 0.51, 0.02, 0.5], 0.5)).toBeCloseTo(0.5, 12);
    expect(majorityPhase([-0.5, -0.52, -0.48, 0], 0.5)).toBeCloseTo(-0.5, 12);
  });

  it('is 0 when the views are on the clock or no majority is off it (two equal groups stay with the clock)', () => {
    expect(majorityPhase([0, 0.01, 0.5, -0.02], 0.5)).toBe(0);
    expect(majorityPhase([0, 0, 0.5, 0.5], 0.5)).toBe(0);
    expect(majorityPhase([0.5, 0.5, -0.5, -0.5, 0], 0.5)).toBe(0);
    expect(majorityPhase([], 0.5)).toBe(0);
  });
});

describe('correction', () => {
  it('speeds a video that is behind and slows one that is ahead, in proportion to the error', () => {
    const behind = correction(1.0, 1.02, 1);
    const ahead = correction(1.02, 1.0, 1);
    expect(behind).toEqual({ kind: 'rate', playbackRate: 1 + 0.02 / rateCorrectionSeconds });
    expect(ahead.kind === 'rate' && ahead.playbackRate).toBeCloseTo(1 - 0.02 / rateCorrectionSeconds, 12);
  });

  it('caps the nudge at ±10 % of the clock speed', () => {
    expect(correction(0, 0.2, 2)).toEqual({ kind: 'rate', playbackRate: 2 * (1 + maxRateCorrection) });
    expect(correction(0.2, 0, 0.5)).toEqual({ kind: 'rate', playbackRate: 0.5 * (1 - maxRateCorrection) });
  });

  it('leaves a video on time at the clock speed', () => {
    expect(correction(3, 3, 1.5)).toEqual({ kind: 'rate', playbackRate: 1.5 });
  });

  it('seeks when the error is too large for a nudge', () => {
    expect(correction(5, 5 + hardSeekSeconds + 0.01, 1)).toEqual({ kind: 'seek', currentTime: 5 + hardSeekSeconds + 0.01 });
  });
});

describe('clampFrame', () => {
  it('keeps frames inside [0, totalFrames − 1]', () => {
    expect(clampFrame(-4, 100)).toBe(0);
    expect(clampFrame(120, 100)).toBe(99);
    expect(clampFrame(42.5, 100)).toBe(42.5);
  });
});

describe('nextRate', () => {
  it('steps through 0.25× … 2× and stays at the ends', () => {
    expect(nextRate(1, 1)).toBe(1.25);
    expect(nextRate(1, -1)).toBe(0.75);
    expect(nextRate(2, 1)).toBe(2);
    expect(nextRate(0.25, -1)).toBe(0.25);
    expect(nextRate(1.1, -1)).toBe(1);
  });
});

describe('formatFrameTime', () => {
  it('writes minutes, seconds and the frames after them, marked as frames (never as hundredths)', () => {
    expect(formatFrameTime(0, 15)).toBe('0:00 +00f');
    expect(formatFrameTime(92, 15)).toBe('0:06 +02f');
    expect(formatFrameTime(15 * 61 + 7, 15)).toBe('1:01 +07f');
    expect(formatFrameTime(29, 30)).toBe('0:00 +29f');
  });

  it('says the same in words for a tooltip', () => {
    expect(describeFrameTime(92, 15)).toBe('6 s + 2 frames at 15 fps');
    expect(describeFrameTime(15 * 61 + 1, 15)).toBe('1 min 1 s + 1 frame at 15 fps');
  });
});
