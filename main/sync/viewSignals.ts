// Per-view signals for checking sync offsets, read from a feature track in two streaming passes (no track is ever
// held whole at its full dimension):
// 1. every feature dimension is standardized over the track (z-score), so a camera's gain and offset vanish;
// 2. frames of more than REDUCED_DIM features are reduced to REDUCED_DIM values by a very sparse random projection
//    (Li, Hastie & Church 2006, "Very sparse random projections"), the same matrix for every view, which keeps
//    distances and inner products up to a small distortion (Johnson–Lindenstrauss) at a fraction of a dense
//    projection's cost, so views that share a feature basis stay comparable;
// 3. a temporal high-pass (minus the moving average over ±HIGH_PASS_RADIUS frames) removes what drifts slowly in
//    each camera on its own (lighting, slow camera motion, the demo's slow per-camera nuisance) and keeps what
//    changes quickly in the scene (actions starting and ending, hand motion), which every camera sees at once;
// 4. the result is ZCA-whitened per view (Bell & Sejnowski 1997; ridge WHITEN_RIDGE of the mean
//    variance): what dominates a camera's variance (background appearance, lighting, clutter: independent between
//    cameras, the demo's large per-camera nuisance) is scaled down to the level of everything else, while the
//    symmetric (ZCA) form keeps the coordinates of the shared basis, unlike PCA whitening, which rotates each view
//    its own way.
import type { FrameReader } from '../features/FeatureStore';
import { SeededRandom } from '../random/seededRandom';
import { symmetricEigen } from './symmetricEigen';

/** Lags (frames) of the self-similarity profile. */
export const SELF_SIMILARITY_LAGS = [-16, -8, -4, -2, 2, 4, 8, 16] as const;
/** Values per reduced frame. */
export const REDUCED_DIM = 64;
/** Frames read per chunk. */
const CHUNK_FRAMES = 512;
/** Keeps a dimension that never varies from dividing by zero (it standardizes to 0). */
const MIN_STD = 1e-6;
/** Added to every eigenvalue before whitening, as a fraction of their mean: keeps noise-only directions from being blown up. */
const WHITEN_RIDGE = 0.01;
/** Half-width of the high-pass's moving average, in frames (measured best among 3–20 on the demo at 15 fps). */
export const HIGH_PASS_RADIUS = 10;

/** What signals are read from: frame ranges of a track plus its size. */
export interface FeatureTrackSource extends FrameReader {
  track(trackId: number): { frames: number; dim: number };
}

export interface ViewSignal {
  frames: number;
  /** Values per reduced frame: min(F, REDUCED_DIM). */
  dim: number;
  /** [frames, dim] row-major: standardized features, projected, whitened, each row scaled to unit length (so a dot
   * product of two rows is their cosine; an all-zero row stays zero). */
  reduced: Float32Array;
  /** Per lag of SELF_SIMILARITY_LAGS: cos(frame t, frame t + lag) over t, standardized over the track. */
  selfSimilarity: Float32Array[];
}

/** The same sparse projection for every view of a given feature size: entries ±√(s/R) with probability 1/(2s), s = √F. */
export function sparseProjection(dim: number): { rows: Int32Array; cols: Int32Array; values: Float32Array } {
  const sparsity = Math.max(1, Math.sqrt(dim));
  const scale = Math.sqrt(sparsity / REDUCED_DIM);
  const rows: number[] = [];
  const cols: number[] = [];
  const values: number[] = [];
  const random = new SeededRandom(dim);
  for (let f = 0; f < dim; f++) {
    for (let r = 0; r < REDUCED_DIM; r++) {
      const u = random.uniform();
      if (u >= 1 / sparsity) continue;
      rows.push(f);
      cols.push(r);
      values.push(u < 0.5 / sparsity ? scale : -scale);
    }
  }
  return { rows: Int32Array.from(rows), cols: Int32Array.from(cols), values: Float32Array.from(values) };
}

function featureMoments(source: FeatureTrackSource, trackId: number, frames: number, dim: number) {
  const sum = new Float64Array(dim);
  const sumSquares = new Float64Array(dim);
  for (let start = 0; start < frames; start += CHUNK_FRAMES) {
    const end = Math.min(frames, start + CHUNK_FRAMES);
    const chunk = source.readFrames(trackId, start, end);
    for (let i = 0; i < chunk.length; i++) {
      const value = chunk[i]!;
      sum[i % dim]! += value;
      sumSquares[i % dim]! += value * value;
    }
  }
  const mean = new Float64Array(dim);
  const inverseStd = new Float64Array(dim);
  for (let f = 0; f < dim; f++) {
    mean[f] = sum[f]! / frames;
    const variance = Math.max(0, sumSquares[f]! / frames - mean[f]! ** 2);
    inverseStd[f] = 1 / Math.max(MIN_STD, Math.sqrt(variance));
  }
  return { mean, inverseStd };
}

function covariance(rows: Float32Array, frames: number, dim: number): Float64Array {
  const out = new Float64Array(dim * dim);
  for (let t = 0; t < frames; t++) {
    const row = t * dim;
    for (let i = 0; i < dim; i++) {
      const x = rows[row + i]!;
      for (let j = i; j < dim; j++) out[i * dim + j]! += x * rows[row + j]!;
    }
  }
  for (let i = 0; i < dim; i++) {
    for (let j = i; j < dim; j++) {
      out[i * dim + j]! /= frames;
      out[j * dim + i] = out[i * dim + j]!;
    }
  }
  return out;
}

/** Rows ← C^(−1/2)·rows with C = V·diag(λ)·Vᵀ, each λ raised by the ridge (symmetric, "ZCA" whitening). */
function whiten(rows: Float32Array, frames: number, dim: number, eigenvalues: Float64Array, vectors: Float64Array): void {
  const ridge = (WHITEN_RIDGE * eigenvalues.reduce((a, b) => a + b, 0)) / dim;
  const scales = eigenvalues.map((value) => 1 / Math.sqrt(Math.max(0, value) + ridge || 1));
  const matrix = new Float64Array(dim * dim);
  for (let i = 0; i < dim; i++) {
    for (let j = 0; j < dim; j++) {
      let sum = 0;
      for (let c = 0; c < dim; c++) sum += vectors[i * dim + c]! * scales[c]! * vectors[j * dim + c]!;
      matrix[i * dim + j] = sum;
    }
  }
  const whitened = new Float64Array(dim);
  for (let t = 0; t < frames; t++) {
    const row = t * dim;
    for (let i = 0; i < dim; i++) {
      let sum = 0;
      for (let k = 0; k < dim; k++) sum += matrix[i * dim + k]! * rows[row + k]!;
      whitened[i] = sum;
    }
    for (let i = 0; i < dim; i++) rows[row + i] = whitened[i]!;
  }
}

/** Subtracts from each row the mean of the rows within `radius` frames of it (a moving-average high-pass over time). */
function highPass(rows: Float32Array, frames: number, dim: number, radius: number): void {
  // prefix[t] = sum of rows [0, t), per column.
  const prefix = new Float64Array((frames + 1) * dim);
  for (let t = 0; t < frames; t++) {
    for (let k = 0; k < dim; k++) prefix[(t + 1) * dim + k] = prefix[t * dim + k]! + rows[t * dim + k]!;
  }
  for (let t = 0; t < frames; t++) {
    const first = Math.max(0, t - radius);
    const end = Math.min(frames, t + radius + 1);
    for (let k = 0; k < dim; k++) rows[t * dim + k]! -= (prefix[end * dim + k]! - prefix[first * dim + k]!) / (end - first);
  }
}

/** Standardizes a series in place to mean 0 and standard deviation 1 (all zeros if it is constant). */
function standardize(values: Float32Array): Float32Array {
  let sum = 0;
  for (const v of values) sum += v;
  const mean = sum / values.length;
  let squares = 0;
  for (const v of values) squares += (v - mean) ** 2;
  const std = Math.sqrt(squares / values.length);
  for (let i = 0; i < values.length; i++) values[i] = std > MIN_STD ? (values[i]! - mean) / std : 0;
  return values;
}

/** For each lag, cos(row t, row t + lag) (the row index clamped to the track), standardized over t. */
function selfSimilarityProfile(rows: Float32Array, frames: number, dim: number): Float32Array[] {
  return SELF_SIMILARITY_LAGS.map((lag) => {
    const series = new Float32Array(frames);
    for (let t = 0; t < frames; t++) {
      const a = t * dim;
      const b = Math.min(frames - 1, Math.max(0, t + lag)) * dim;
      let dot = 0;
      let normA = 0;
      let normB = 0;
      for (let k = 0; k < dim; k++) {
        dot += rows[a + k]! * rows[b + k]!;
        normA += rows[a + k]! ** 2;
        normB += rows[b + k]! ** 2;
      }
      series[t] = normA > 0 && normB > 0 ? dot / Math.sqrt(normA * normB) : 0;
    }
    return standardize(series);
  });
}

/** Scales every row to unit length (all-zero rows stay zero). */
function normalizeRows(rows: Float32Array, frames: number, dim: number): void {
  for (let t = 0; t < frames; t++) {
    let squares = 0;
    for (let k = 0; k < dim; k++) squares += rows[t * dim + k]! ** 2;
    const scale = squares > 0 ? 1 / Math.sqrt(squares) : 0;
    for (let k = 0; k < dim; k++) rows[t * dim + k]! *= scale;
  }
}

/** Reads a track's signals (two passes over its frames, then work on the reduced frames only). */
export function readViewSignal(source: FeatureTrackSource, trackId: number): ViewSignal {
  const { frames, dim: featureDim } = source.track(trackId);
  const { mean, inverseStd } = featureMoments(source, trackId, frames, featureDim);
  const project = featureDim > REDUCED_DIM;
  const projection = project ? sparseProjection(featureDim) : undefined;
  const dim = project ? REDUCED_DIM : featureDim;
  const reduced = new Float32Array(frames * dim);
  const standardized = new Float32Array(featureDim);
  for (let start = 0; start < frames; start += CHUNK_FRAMES) {
    const end = Math.min(frames, start + CHUNK_FRAMES);
    const chunk = source.readFrames(trackId, start, end);
    for (let t = start; t < end; t++) {
      const row = (t - start) * featureDim;
      for (let f = 0; f < featureDim; f++) standardized[f] = (chunk[row + f]! - mean[f]!) * inverseStd[f]!;
      const out = t * dim;
      if (!projection) {
        reduced.set(standardized, out);
        continue;
      }
      for (let e = 0; e < projection.values.length; e++) {
        reduced[out + projection.cols[e]!]! += standardized[projection.rows[e]!]! * projection.values[e]!;
      }
    }
  }
  highPass(reduced, frames, dim, HIGH_PASS_RADIUS);
  const { values, vectors } = symmetricEigen(covariance(reduced, frames, dim), dim);
  whiten(reduced, frames, dim, values, vectors);
  const selfSimilarity = selfSimilarityProfile(reduced, frames, dim);
  normalizeRows(reduced, frames, dim);
  return { frames, dim, reduced, selfSimilarity };
}
