// Correlating view signals: a view that shows the same scene content under another basis, gain and noise is found
// at its true shift; candidates are scored on the same scene frames; the refined peak interpolates a parabola.
import { describe, expect, it } from 'vitest';
import { ArgumentError } from '../../../contract/errors';
import { correlateViews, peakConfidence, refinedPeak, sharedSceneTimes } from '../../../main/sync/correlateViews';
import { readViewSignal, type FeatureTrackSource } from '../../../main/sync/viewSignals';

function seeded(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32 - 0.5;
  };
}

/** A source of tracks [frames, dim]: track k shows scene content c(t) at its frame t + offsets[k], mixed by its own matrix. */
function scene(frames: number, dim: number, offsets: number[], noise: number, sharedBasis = false): FeatureTrackSource {
  const random = seeded(7);
  const span = frames + 100;
  const content = new Float32Array(span * dim);
  // Piecewise-constant "actions" with short transitions: what every camera sees.
  let value = Array.from({ length: dim }, random);
  for (let t = 0; t < span; t++) {
    if (t % 23 === 0) value = Array.from({ length: dim }, random);
    for (let d = 0; d < dim; d++) content[t * dim + d] = value[d]! + 0.2 * random();
  }
  const commonMixing = Array.from({ length: dim * dim }, random);
  const tracks = offsets.map((offset, k) => {
    const mixing = sharedBasis ? commonMixing : Array.from({ length: dim * dim }, random);
    const track = new Float32Array(frames * dim);
    for (let j = 0; j < frames; j++) {
      const t = j - offset + 50;
      for (let f = 0; f < dim; f++) {
        let sum = 3 * k + noise * random();
        for (let d = 0; d < dim; d++) sum += mixing[f * dim + d]! * content[t * dim + d]! * (k + 1);
        track[j * dim + f] = sum;
      }
    }
    return track;
  });
  return {
    track: () => ({ frames, dim }),
    readFrames: (id, start, end) => tracks[id]!.slice(start * dim, end * dim),
  };
}

describe('correlateViews', () => {
  it('finds a view in another feature basis whose offset was set wrong at its true offset (structure)', () => {
    const source = scene(600, 12, [0, 9], 0.3);
    const reference = { signal: readViewSignal(source, 0), offset: 0 };
    const moving = { signal: readViewSignal(source, 1), offset: 9 - 4 };
    const result = correlateViews(reference, moving, { maxOffset: 10, bins: 6 });
    expect(result.suggestedOffset).toBe(9);
    expect(result.offsets).toHaveLength(21);
    expect(result.binFrames).toHaveLength(6);
    expect(result.confidence).toBeGreaterThan(2);
  });

  it('finds a view in the same basis of 128 features (randomly projected to 64) at its true offset (appearance)', () => {
    const source = scene(400, 128, [0, -6], 0.3, true);
    const result = correlateViews(
      { signal: readViewSignal(source, 0), offset: 0 },
      { signal: readViewSignal(source, 1), offset: -6 + 5 },
      { maxOffset: 8 },
    );
    expect(readViewSignal(source, 0).dim).toBe(64);
    expect(result.suggestedOffset).toBe(-6);
  });

  it('scores every candidate on the scene frames both views hold at every shift', () => {
    const signal = { frames: 100, dim: 1, reduced: new Float32Array(100), selfSimilarity: [] };
    expect(sharedSceneTimes({ signal, offset: 0 }, { signal, offset: 3 }, 5)).toEqual({ start: 2, end: 92 });
  });

  it('refuses a maxOffset that leaves no overlap, naming it', () => {
    const signal = { frames: 20, dim: 1, reduced: new Float32Array(20), selfSimilarity: [] };
    expect(() => correlateViews({ signal, offset: 0 }, { signal, offset: 0 }, { maxOffset: 10 })).toThrow(ArgumentError);
    expect(() => correlateViews({ signal, offset: 0 }, { signal, offset: 0 }, { maxOffset: 10 })).toThrow(/maxOffset/);
  });
});

describe('refinedPeak and peakConfidence', () => {
  it('interpolates the vertex of a parabola through the best candidate', () => {
    const offsets = [-2, -1, 0, 1, 2];
    expect(refinedPeak(offsets, offsets.map((o) => -((o - 0.3) ** 2)))).toBeCloseTo(0.3, 9);
    expect(refinedPeak(offsets, [5, 1, 0, 0, 0])).toBe(-2);
  });

  it('measures the peak above the median in standard deviations', () => {
    expect(peakConfidence([0, 0, 0, 4], 4)).toBeCloseTo(4 / Math.sqrt(3), 9);
    expect(peakConfidence([1, 1, 1], 1)).toBe(0);
  });
});
