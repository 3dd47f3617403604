// Correlates two views' signals (viewSignals.ts) over candidate shifts of the second ("moving") view, bin by bin on a
// grid of scene time shared by all pairs of a scene: the raw material of the scene's sync estimate
// (syncEstimate.ts), and the heat map the Sync panel draws.
//
// Scene time t shows reference frame t + referenceOffset and moving frame t + movingOffset + d for a candidate
// shift d in [−range, range]. Only scene times where both frames exist for every candidate are used, so every
// candidate is scored on the same moments. Two measures of similarity[d][b] at shift d in time bin b:
// - appearance: the mean cosine similarity of the two views' standardized, reduced, high-passed and whitened frames
//   (viewSignals.ts); strong when the views share a feature basis (one feature extractor for all cameras, as
//   TSM features, or the demo's mostly shared signal map);
// - structure: the Pearson correlation of the two views' self-similarity profiles (how alike each frame is to the
//   frames a few lags away), averaged over lags; whitened frames of two bases that see the same content differ by
//   a rotation, which cosines within one view do not see, so this works across bases where appearance cannot.
// Appearance is used when its best candidate is consistently positive across bins (t statistic over bins of at
// least APPEARANCE_MIN_T; measured: 3.6 and more on every demo ego/exo pair, 2.5 for views in unrelated bases),
// structure otherwise; appearance is the more precise of the two where it works. Long scenes' appearance is scored
// on every k-th frame so that one pair costs at most about its cost budget in multiply-adds.
//
// The bins share one grid of scene time for every pair of a scene so that the estimate's bootstrap (syncEstimate.ts)
// can resample the same moments in every pair: a bin is a moment of the scene, whichever views look at it.
import { ArgumentError } from '../../contract/errors';
import type { ViewSignal } from './viewSignals';

/** Fewest frames in a bin of the time grid (fewer bins are made when the scene is short). */
export const MIN_BIN_FRAMES = 8;
/** Most bins of a scene's time grid (a demo scene's 48 s give bins of about 1.4 s). */
export const MAX_GRID_BINS = 32;
/** Multiply-adds one pair may spend by default. */
export const COST_BUDGET = 2e8;
/** Appearance is trusted when its peak's t statistic over bins reaches this. */
const APPEARANCE_MIN_T = 3;
/** With fewer bins there is no t statistic to speak of: appearance is used. */
const MIN_DECISION_BINS = 3;

export interface TimedSignal {
  signal: ViewSignal;
  /** The view's current sync offset: scene time t is its frame t + offset. */
  offset: number;
}

/** Edges of the time grid in scene frames, ascending: bin b is [edges[b], edges[b + 1]). */
export type TimeGrid = readonly number[];

export type SimilarityChannel = 'appearance' | 'structure';

export interface PairCorrelation {
  /** Candidate shifts d of the moving view relative to its current offset: −range … range. */
  offsets: number[];
  /** Frames scored in each bin of the grid (0 where the pair has no frame in it). */
  binWeights: number[];
  /** [offsets][bins] of the grid; 0 in a bin of weight 0. */
  similarity: number[][];
  channel: SimilarityChannel;
}

/** Scene times [start, end) where the reference and the moving view (at every candidate shift) both have frames. */
export function sharedSceneTimes(reference: TimedSignal, moving: TimedSignal, range: number): { start: number; end: number } {
  const start = Math.max(-reference.offset, -moving.offset + range);
  const end = Math.min(reference.signal.frames - reference.offset, moving.signal.frames - moving.offset - range);
  return { start, end };
}

/** Up to `maxBins` bins of at least MIN_BIN_FRAMES frames over scene frames [start, end) (one bin when shorter). */
export function timeGrid(start: number, end: number, maxBins = MAX_GRID_BINS): number[] {
  const bins = Math.max(1, Math.min(maxBins, Math.floor((end - start) / MIN_BIN_FRAMES)));
  return Array.from({ length: bins + 1 }, (_, b) => start + Math.floor((b * (end - start)) / bins));
}

/** Dot product of two rows (the signal's rows are unit length, so this is their cosine). */
function dot(a: Float32Array, aStart: number, b: Float32Array, bStart: number, dim: number): number {
  let sum = 0;
  for (let k = 0; k < dim; k++) sum += a[aStart + k]! * b[bStart + k]!;
  return sum;
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

/** The weighted mean over bins of each candidate's similarity; `counts` multiplies the bins' weights (a bootstrap draw). */
export function meanByOffset(pair: PairCorrelation, counts?: ArrayLike<number>): number[] {
  let total = 0;
  const weights = pair.binWeights.map((w, b) => w * (counts ? counts[b]! : 1));
  for (const w of weights) total += w;
  return pair.similarity.map((row) => {
    if (total === 0) return 0;
    let sum = 0;
    for (let b = 0; b < row.length; b++) sum += weights[b]! * row[b]!;
    return sum / total;
  });
}

/** The best candidate's mean over the non-empty bins divided by its standard error over them (a t statistic). */
function peakSignificance(similarity: number[][], binWeights: number[]): number {
  const rows = similarity.map((row) => row.filter((_, b) => binWeights[b]! > 0));
  const means = rows.map((row) => row.reduce((a, b) => a + b, 0) / row.length);
  const row = rows[means.indexOf(Math.max(...means))]!;
  const mean = row.reduce((a, b) => a + b, 0) / row.length;
  const variance = row.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, row.length - 1);
  return variance > 0 ? mean / Math.sqrt(variance / row.length) : 0;
}

export interface PairOptions {
  /** Candidate shifts run from −range to +range frames. */
  range: number;
  grid: TimeGrid;
  /** Most multiply-adds to spend (default COST_BUDGET); fewer frames are scored when the scene is long. */
  costBudget?: number;
}

/** Similarity of the two views per candidate shift and grid bin. */
export function correlatePair(reference: TimedSignal, moving: TimedSignal, options: PairOptions): PairCorrelation {
  const { range, grid } = options;
  const shared = sharedSceneTimes(reference, moving, range);
  if (shared.end - shared.start < MIN_BIN_FRAMES) {
    throw new ArgumentError(
      `maxOffset: expected a value that leaves at least ${MIN_BIN_FRAMES} scene frames where both views overlap at every candidate offset, got ${range} (overlap ${Math.max(0, shared.end - shared.start)} frames)`,
    );
  }
  const { dim } = reference.signal;
  if (moving.signal.dim !== dim) {
    throw new RangeError(`expected both views' signals to have the same dimension, got ${dim} and ${moving.signal.dim}`);
  }
  const offsets = Array.from({ length: 2 * range + 1 }, (_, i) => i - range);
  const bins = Array.from({ length: grid.length - 1 }, (_, b) => ({
    first: Math.max(shared.start, grid[b]!),
    stop: Math.min(shared.end, grid[b + 1]!),
  }));
  const frameStep = Math.max(1, Math.ceil(((shared.end - shared.start) * offsets.length * dim) / (options.costBudget ?? COST_BUDGET)));
  const scored = (first: number, stop: number) => (stop > first ? Math.ceil((stop - first) / frameStep) : 0);
  const appearanceWeights = bins.map(({ first, stop }) => scored(first, stop));
  const appearance = offsets.map((shift) =>
    bins.map(({ first, stop }, b) => {
      if (appearanceWeights[b] === 0) return 0;
      let sum = 0;
      for (let t = first; t < stop; t += frameStep) {
        sum += dot(reference.signal.reduced, (t + reference.offset) * dim, moving.signal.reduced, (t + moving.offset + shift) * dim, dim);
      }
      return sum / appearanceWeights[b]!;
    }),
  );
  const nonEmpty = appearanceWeights.filter((w) => w > 0).length;
  if (nonEmpty < MIN_DECISION_BINS || peakSignificance(appearance, appearanceWeights) >= APPEARANCE_MIN_T) {
    return { offsets, binWeights: appearanceWeights, similarity: appearance, channel: 'appearance' };
  }
  // A correlation over fewer than three frames says nothing: such bins are left out of the structure channel.
  const structureWeights = bins.map(({ first, stop }) => (stop - first >= 3 ? stop - first : 0));
  const lags = reference.signal.selfSimilarity;
  const structure = offsets.map((shift) =>
    bins.map(({ first, stop }, b) => {
      if (structureWeights[b] === 0) return 0;
      let sum = 0;
      for (let k = 0; k < lags.length; k++) {
        sum += pearson(lags[k]!, first + reference.offset, moving.signal.selfSimilarity[k]!, first + moving.offset + shift, stop - first);
      }
      return sum / lags.length;
    }),
  );
  return { offsets, binWeights: structureWeights, similarity: structure, channel: 'structure' };
}
