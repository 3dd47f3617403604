// A pair's refined peak and its standard error: the vertex of the parabola through the best candidate, a standard
// error that grows with the bins' disagreement, and no precision claimed for a peak at the end of the range.
import { describe, expect, it } from 'vitest';
import type { PairCorrelation } from '../../../main/sync/correlateViews';
import { bestIndex, MIN_PAIR_SIGMA, pairPeak } from '../../../main/sync/pairPeak';

const offsets = [-2, -1, 0, 1, 2];

/** A pair whose bins all show the parabola −(d − vertex)², each bin tilted by its own slope. */
function parabolaPair(vertex: number, tilts: number[]): PairCorrelation {
  return {
    offsets,
    binWeights: tilts.map(() => 10),
    similarity: offsets.map((d) => tilts.map((tilt) => -((d - vertex) ** 2) + tilt * d)),
    channel: 'appearance',
  };
}

describe('pairPeak', () => {
  it('interpolates the vertex of a parabola through the best candidate', () => {
    const peak = pairPeak(parabolaPair(0.3, [0, 0, 0, 0]));
    expect(peak.shift).toBeCloseTo(0.3, 9);
    expect(peak.sigma).toBe(MIN_PAIR_SIGMA);
  });

  it('gives a larger standard error when the bins disagree about the slope', () => {
    const calm = pairPeak(parabolaPair(0, [0.01, -0.01, 0.01, -0.01]));
    const noisy = pairPeak(parabolaPair(0, [0.5, -0.5, 0.5, -0.5]));
    expect(calm.sigma).toBe(MIN_PAIR_SIGMA);
    expect(noisy.sigma).toBeGreaterThan(MIN_PAIR_SIGMA);
    // The slopes' mean is 0, so the vertex stays at 0; SE(ḡ) = 0.5/√3 over 4 bins, divided by the curvature 2.
    expect(noisy.shift).toBeCloseTo(0, 9);
    expect(noisy.sigma).toBeCloseTo(0.5 / Math.sqrt(3) / 2, 6);
  });

  it('weighs bins by a bootstrap draw: a bin drawn twice counts twice, one not drawn not at all', () => {
    const pair = parabolaPair(0, [0, 0]);
    pair.similarity = offsets.map((d) => [-((d - 0.4) ** 2), -((d + 0.4) ** 2)]);
    expect(pairPeak(pair, [1, 0]).shift).toBeCloseTo(0.4, 9);
    expect(pairPeak(pair, [0, 1]).shift).toBeCloseTo(-0.4, 9);
    expect(pairPeak(pair, [1, 1]).shift).toBeCloseTo(0, 9);
  });

  it('claims no precision for a peak at the end of the range or one that does not bend down', () => {
    const edge = { offsets, binWeights: [1], similarity: [[5], [1], [0], [0], [0]], channel: 'appearance' as const };
    expect(pairPeak(edge)).toMatchObject({ shift: -2, sigma: 4 });
    const flat = { offsets, binWeights: [1], similarity: [[0], [0], [0], [0], [0]], channel: 'appearance' as const };
    expect(pairPeak(flat)).toMatchObject({ shift: 0, sigma: 4, significance: 0 });
  });

  it('measures how far the peak stands above the median candidate in standard errors over bins', () => {
    // Bins 1 and 3 above their medians: heights 1, 3 → mean 2, standard error 1.
    const pair = { offsets, binWeights: [1, 1], similarity: [[0, 0], [0, 0], [1, 3], [0, 0], [0, 0]], channel: 'appearance' as const };
    expect(pairPeak(pair).significance).toBeCloseTo(2, 9);
  });

  it('breaks ties toward the current offset', () => {
    expect(bestIndex([-1, 0, 1], [1, 1, 1])).toBe(1);
  });
});
