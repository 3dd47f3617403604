// One pair's best shift with sub-frame precision and its standard error, from the pair's per-bin similarities
// (correlateViews.ts): the measurement d_ij ± σ_ij that the joint fit of a scene's offsets (consensusOffsets.ts)
// weighs by 1/σ².
//
// The shift is the vertex of the parabola through the best candidate of the bins' weighted mean and its two
// neighbours: δ = ḡ / c with ḡ = (m(d−1) − m(d+1)) / 2 the mean slope across the peak and c = m(d−1) − 2m(d) + m(d+1)
// its curvature. By the delta method its standard error is SE(ḡ) / |c|, SE(ḡ) measured from the spread of the
// per-bin slopes g_b (the bins are moments of the scene, so their spread is the sampling noise of the mean). A peak
// at the end of the candidate range, or one that does not bend down, carries no precision: σ is the whole range.
// Whether there is a peak at all is its significance: the best candidate's height above the median candidate, bin
// by bin, over its standard error across bins (views that see nothing in common give a flat, noisy curve whose
// best candidate stands out by chance only, about as far as the largest of that many noise values).
import { meanByOffset, type PairCorrelation } from './correlateViews';

/** Smallest standard error given to a pair's shift, in frames (the parabola's own model error). */
export const MIN_PAIR_SIGMA = 0.1;

export interface PairPeak {
  /** The refined best shift, in frames relative to the moving view's current offset. */
  shift: number;
  /** Its standard error, in frames. */
  sigma: number;
  /** How far the best candidate stands above the pair's typical candidate: a t statistic over the bins. */
  significance: number;
}

/** Per bin, the median similarity over all candidates: the level a candidate's peak is measured from. */
export function binMedians(pair: PairCorrelation): number[] {
  return pair.binWeights.map((_, b) => {
    const column = pair.similarity.map((row) => row[b]!).sort((x, y) => x - y);
    const middle = column.length >> 1;
    return column.length % 2 === 1 ? column[middle]! : (column[middle - 1]! + column[middle]!) / 2;
  });
}

/** Weighted mean and standard error over bins of `value(b)`, bins weighted by `weight(b)`. */
function weightedMeanError(bins: number, weight: (b: number) => number, value: (b: number) => number): { mean: number; error: number } {
  let total = 0;
  let totalSquares = 0;
  let sum = 0;
  for (let b = 0; b < bins; b++) {
    const w = weight(b);
    total += w;
    totalSquares += w * w;
    sum += w * value(b);
  }
  if (total === 0) return { mean: 0, error: Infinity };
  const mean = sum / total;
  let spread = 0;
  for (let b = 0; b < bins; b++) spread += weight(b) * (value(b) - mean) ** 2;
  const effectiveBins = (total * total) / totalSquares;
  return { mean, error: Math.sqrt(spread / total / Math.max(1, effectiveBins - 1)) };
}

/** The index of the largest value; ties go to the candidate nearest shift 0 (the current offset). */
export function bestIndex(offsets: readonly number[], values: readonly number[]): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) {
    if (values[i]! > values[best]! || (values[i] === values[best] && Math.abs(offsets[i]!) < Math.abs(offsets[best]!))) best = i;
  }
  return best;
}

/**
 * The pair's peak, the bins weighted by their frames times `counts` (a bootstrap draw; all 1 when absent).
 * `medians` are the pair's binMedians (passed in so a bootstrap computes them once).
 */
export function pairPeak(pair: PairCorrelation, counts?: ArrayLike<number>, medians = binMedians(pair)): PairPeak {
  const { offsets, similarity, binWeights } = pair;
  const bins = binWeights.length;
  const weight = (b: number) => binWeights[b]! * (counts ? counts[b]! : 1);
  const means = meanByOffset(pair, counts);
  const best = bestIndex(offsets, means);
  const height = weightedMeanError(bins, weight, (b) => similarity[best]![b]! - medians[b]!);
  const significance = height.error > 0 ? height.mean / height.error : height.mean > 0 ? Infinity : 0;
  const range = offsets[offsets.length - 1]! - offsets[0]!;
  const before = means[best - 1];
  const after = means[best + 1];
  const vague = { shift: offsets[best]!, sigma: Math.max(1, range), significance };
  if (before === undefined || after === undefined) return vague;
  const curvature = before - 2 * means[best]! + after;
  if (!(curvature < 0)) return vague;
  const slope = weightedMeanError(bins, weight, (b) => (similarity[best - 1]![b]! - similarity[best + 1]![b]!) / 2);
  const shift = offsets[best]! + Math.max(-0.5, Math.min(0.5, slope.mean / curvature));
  return { shift, sigma: Math.max(MIN_PAIR_SIGMA, slope.error / -curvature), significance };
}
