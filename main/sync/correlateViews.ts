// Correlates two views' signals (viewSignals.ts) over candidate sync offsets of the second ("moving") view and over
// time bins: the sync check strip and the offset suggestion.
//
// Scene time t shows reference frame t + referenceOffset and moving frame t + movingOffset + d for a candidate
// shift d in [−maxOffset, maxOffset]. Only scene times where both frames exist for every candidate are used, so
// every candidate is scored on the same moments. Two measures of similarity[d][b] at shift d in time bin b:
// - appearance: the mean cosine similarity of the two views' standardized, reduced, high-passed and whitened frames
//   (viewSignals.ts); strong when the views share a feature basis (one feature extractor for all cameras, as
//   TSM features, or the demo's mostly shared signal map);
// - structure: the Pearson correlation of the two views' self-similarity profiles (how alike each frame is to the
//   frames a few lags away), averaged over lags; whitened frames of two bases that see the same content differ by
//   a rotation, which cosines within one view do not see, so this works across bases where appearance cannot.
// Appearance is returned when its best candidate is consistently positive across bins (t statistic over bins of at
// least APPEARANCE_MIN_T; measured: 3.6 and more on every demo ego/exo pair, 2.5 for views in unrelated bases),
// structure otherwise; appearance is the more precise of the two where it works (on the demo, 29/33 views
// recovered exactly against 5/33 with structure alone). The suggestion is the shift with the
// highest mean over bins; its confidence is how far that mean stands above the median of all candidates, in
// standard deviations of the candidates' means. Long scenes' appearance is scored on every k-th frame so that one
// profile costs at most about COST_BUDGET multiply-adds.
import { ArgumentError } from '../../contract/errors';
import type { ViewSignal } from './viewSignals';

/** Fewest frames in a time bin (fewer bins are made when the overlap is short). */
export const MIN_BIN_FRAMES = 8;
export const DEFAULT_BINS = 24;
export const COST_BUDGET = 2e8;
/** Appearance is trusted when its peak's t statistic over bins reaches this. */
const APPEARANCE_MIN_T = 3;
/** With fewer bins there is no t statistic to speak of: appearance is used. */
const MIN_DECISION_BINS = 3;

/** The similarity of the two views over scene frames [first, stop) with the given frame offsets. */
type Channel = (first: number, end: number, referenceOffset: number, movingOffset: number) => number;

export interface TimedSignal {
  signal: ViewSignal;
  /** The view's current sync offset: scene time t is its frame t + offset. */
  offset: number;
}

export interface ViewCorrelation {
  /** Candidate shifts d of the moving view relative to its current offset. */
  offsets: number[];
  /** Scene frame at the centre of each bin. */
  binFrames: number[];
  /** [offsets][bins]. */
  similarity: number[][];
  meanByOffset: number[];
  /** Absolute offset of the moving view: its current offset plus the best shift. */
  suggestedOffset: number;
  confidence: number;
}

/** Scene times [start, end) where the reference and the moving view (at every candidate shift) both have frames. */
export function sharedSceneTimes(reference: TimedSignal, moving: TimedSignal, maxOffset: number): { start: number; end: number } {
  const start = Math.max(-reference.offset, -moving.offset + maxOffset);
  const end = Math.min(reference.signal.frames - reference.offset, moving.signal.frames - moving.offset - maxOffset);
  return { start, end };
}

function cosine(a: Float32Array, aStart: number, b: Float32Array, bStart: number, dim: number): number {
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let k = 0; k < dim; k++) {
    const x = a[aStart + k]!;
    const y = b[bStart + k]!;
    dot += x * y;
    normA += x * x;
    normB += y * y;
  }
  const denominator = Math.sqrt(normA * normB);
  return denominator > 0 ? dot / denominator : 0;
}

function pearson(a: Float32Array, aStart: number, b: Float32Array, bStart: number, length: number): number {
  let sa = 0;
  let sb = 0;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < length; i++) {
    const x = a[aStart + i]!;
    const y = b[bStart + i]!;
    sa += x;
    sb += y;
    sab += x * y;
    saa += x * x;
    sbb += y * y;
  }
  const covariance = sab - (sa * sb) / length;
  const denominator = Math.sqrt((saa - (sa * sa) / length) * (sbb - (sb * sb) / length));
  return denominator > 0 ? covariance / denominator : 0;
}

/** The best candidate's mean over bins divided by its standard error over bins (a one-sample t statistic). */
function peakSignificance(similarity: number[][]): number {
  const means = similarity.map((row) => row.reduce((a, b) => a + b, 0) / row.length);
  const row = similarity[means.indexOf(Math.max(...means))]!;
  const mean = row.reduce((a, b) => a + b, 0) / row.length;
  const variance = row.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, row.length - 1);
  return variance > 0 ? mean / Math.sqrt(variance / row.length) : 0;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Peak minus median over candidates, in standard deviations of the candidates (0 when all are equal). */
export function peakConfidence(values: readonly number[], peak: number): number {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const std = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length);
  return std > 0 ? (peak - median(values)) / std : 0;
}

/**
 * The best shift with sub-frame precision: the vertex of the parabola through the best candidate and its two
 * neighbours (the integer shift itself at either end or where the neighbours do not bend down).
 */
export function refinedPeak(offsets: readonly number[], meanByOffset: readonly number[]): number {
  let best = 0;
  for (let i = 1; i < meanByOffset.length; i++) if (meanByOffset[i]! > meanByOffset[best]!) best = i;
  const before = meanByOffset[best - 1];
  const after = meanByOffset[best + 1];
  if (before === undefined || after === undefined) return offsets[best]!;
  const curvature = before - 2 * meanByOffset[best]! + after;
  return curvature < 0 ? offsets[best]! + (before - after) / (2 * curvature) : offsets[best]!;
}

export interface CorrelationOptions {
  maxOffset: number;
  bins?: number;
  /** Most multiply-adds to spend (default COST_BUDGET); fewer frames are scored when the scene is long. */
  costBudget?: number;
}

export function correlateViews(reference: TimedSignal, moving: TimedSignal, options: CorrelationOptions): ViewCorrelation {
  const { maxOffset } = options;
  const { start, end } = sharedSceneTimes(reference, moving, maxOffset);
  if (end - start < MIN_BIN_FRAMES) {
    throw new ArgumentError(
      `maxOffset: expected a value that leaves at least ${MIN_BIN_FRAMES} scene frames where both views overlap at every candidate offset, got ${maxOffset} (overlap ${Math.max(0, end - start)} frames)`,
    );
  }
  const binCount = Math.max(1, Math.min(options.bins ?? DEFAULT_BINS, Math.floor((end - start) / MIN_BIN_FRAMES)));
  const edges = Array.from({ length: binCount + 1 }, (_, b) => start + Math.floor((b * (end - start)) / binCount));
  const binFrames = Array.from({ length: binCount }, (_, b) => Math.floor((edges[b]! + edges[b + 1]!) / 2));
  const offsets = Array.from({ length: 2 * maxOffset + 1 }, (_, i) => i - maxOffset);
  const { dim } = reference.signal;
  if (moving.signal.dim !== dim) {
    throw new RangeError(`expected both views' signals to have the same dimension, got ${dim} and ${moving.signal.dim}`);
  }
  const frameStep = Math.max(1, Math.ceil(((end - start) * offsets.length * dim) / (options.costBudget ?? COST_BUDGET)));
  const score = (channel: Channel) =>
    offsets.map((shift) => edges.slice(0, -1).map((first, b) => channel(first, edges[b + 1]!, reference.offset, moving.offset + shift)));
  const appearance: Channel = (first, stop, referenceOffset, movingOffset) => {
    let sum = 0;
    let count = 0;
    for (let t = first; t < stop; t += frameStep) {
      sum += cosine(reference.signal.reduced, (t + referenceOffset) * dim, moving.signal.reduced, (t + movingOffset) * dim, dim);
      count++;
    }
    return sum / count;
  };
  const structure: Channel = (first, stop, referenceOffset, movingOffset) => {
    const lags = reference.signal.selfSimilarity;
    let sum = 0;
    for (let k = 0; k < lags.length; k++) {
      sum += pearson(lags[k]!, first + referenceOffset, moving.signal.selfSimilarity[k]!, first + movingOffset, stop - first);
    }
    return sum / lags.length;
  };
  const appearanceScores = score(appearance);
  const significant = binCount < MIN_DECISION_BINS || peakSignificance(appearanceScores) >= APPEARANCE_MIN_T;
  const similarity = significant ? appearanceScores : score(structure);
  const meanByOffset = similarity.map((row) => row.reduce((a, b) => a + b, 0) / row.length);
  let best = 0;
  for (let i = 1; i < meanByOffset.length; i++) {
    // Ties go to the smallest shift: the current offset wins unless another is strictly better.
    if (meanByOffset[i]! > meanByOffset[best]! || (meanByOffset[i] === meanByOffset[best] && Math.abs(offsets[i]!) < Math.abs(offsets[best]!))) best = i;
  }
  return {
    offsets,
    binFrames,
    similarity,
    meanByOffset,
    suggestedOffset: moving.offset + offsets[best]!,
    confidence: peakConfidence(meanByOffset, meanByOffset[best]!),
  };
}
