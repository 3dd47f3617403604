// The geometry of one clip: which frames of a view a window of scene time covers, which scene times may start a
// window (every participating view must hold the longest window), and the resampling of a window of any length
// to w1 tokens.
//
// Resampling (a choice; docs/method.md "Clip sampling"): a window of length L starting at scene time t covers
// frames [t, t + L). Frame j is the interval [j, j + 1) with its centre at j + 0.5, so token k of w1 takes the
// centre of the k-th of w1 equal sub-intervals, scene time t + (k + 0.5)·L/w1, which is frame position
// t + (k + 0.5)·L/w1 − 0.5; in view v that is offset_v + timeScale_v·(t + (k + 0.5)·L/w1) − 0.5. The position
// is clamped to the window's frames and read by linear interpolation between its two neighbouring frames
// ('linear') or from the nearest frame ('nearest').
import { loadMatMulAddon, type MatMulAddon } from '../../../native/matmul/index';
import type { FrameRow } from '../../features/FeatureStore';
import { float16Table } from '../../formats/float16';
import type { Resampling } from '../config';

export interface ViewTiming {
  syncOffsetFrames: number;
  timeScale?: number;
}

/** Frames [first, end) of a view that a window [t, t + length) of scene time touches. */
export function viewFrameSpan(view: ViewTiming, t: number, length: number): { first: number; end: number } {
  const scale = view.timeScale ?? 1;
  const first = Math.floor(view.syncOffsetFrames + scale * t);
  const end = Math.max(first + 1, Math.ceil(view.syncOffsetFrames + scale * (t + length)));
  return { first, end };
}

/**
 * The window start times of a scene: t_i = start + i·stride for i < count, where start is the earliest scene time
 * at which a window of maxLength fits in every view (after offsets) and the last one still fits.
 */
export function sceneTimestamps(
  views: readonly (ViewTiming & { frameCount: number })[],
  maxLength: number,
  stride: number,
): { start: number; count: number } {
  if (views.length === 0) return { start: 0, count: 0 };
  const fitsAll = (t: number) =>
    views.every((view) => {
      const { first, end } = viewFrameSpan(view, t, maxLength);
      return first >= 0 && end <= view.frameCount;
    });
  // The constraints are monotone in t (first grows, end grows), so valid times form one interval: find its ends
  // from the closed-form bounds, then step past any floating-point rounding at the edges.
  let low = Math.max(...views.map((v) => Math.ceil((0 - v.syncOffsetFrames) / (v.timeScale ?? 1))));
  let high = Math.min(...views.map((v) => Math.floor((v.frameCount - v.syncOffsetFrames) / (v.timeScale ?? 1) - maxLength)));
  if (high < low) return { start: 0, count: 0 };
  while (low <= high && !fitsAll(low)) low++;
  while (high >= low && !fitsAll(high)) high--;
  if (high < low) return { start: 0, count: 0 };
  return { start: low, count: Math.floor((high - low) / stride) + 1 };
}

/** The frame position (fractional, clamped to the window's frames) each of `tokens` tokens reads in a view. */
export function tokenPositions(view: ViewTiming, t: number, length: number, tokens: number): Float64Array {
  const scale = view.timeScale ?? 1;
  const { first, end } = viewFrameSpan(view, t, length);
  const positions = new Float64Array(tokens);
  for (let k = 0; k < tokens; k++) {
    const p = view.syncOffsetFrames + scale * (t + ((k + 0.5) * length) / tokens) - 0.5;
    positions[k] = Math.min(end - 1, Math.max(first, p));
  }
  return positions;
}

/**
 * Writes `positions.length` tokens of `dim` features into `out` at `outOffset` ([tokens, dim] row-major), read
 * from `rows` ([rowCount, dim], whose first row is frame `firstFrame`) at the given frame positions.
 */
export function resampleRows(
  rows: Float32Array,
  firstFrame: number,
  dim: number,
  positions: Float64Array,
  mode: Resampling,
  out: Float32Array,
  outOffset: number,
): void {
  const lastRow = rows.length / dim - 1;
  for (let k = 0; k < positions.length; k++) {
    const p = positions[k]! - firstFrame;
    const target = outOffset + k * dim;
    if (mode === 'nearest') {
      const row = Math.min(lastRow, Math.max(0, Math.round(p)));
      out.set(rows.subarray(row * dim, (row + 1) * dim), target);
      continue;
    }
    const below = Math.min(lastRow, Math.max(0, Math.floor(p)));
    const above = Math.min(lastRow, below + 1);
    const weight = Math.min(1, Math.max(0, p - below));
    const a = below * dim;
    const b = above * dim;
    for (let f = 0; f < dim; f++) out[target + f] = rows[a + f]! + weight * (rows[b + f]! - rows[a + f]!);
  }
}

let nativeLerp: MatMulAddon['lerpFrames'] | null | undefined;

/** The native addon's row interpolation where it loads (10× the JavaScript loops' speed), else null. */
function frameLerp(): MatMulAddon['lerpFrames'] | null {
  if (nativeLerp === undefined) {
    const load = loadMatMulAddon();
    nativeLerp = load.ok ? load.addon.lerpFrames.bind(load.addon) : null;
  }
  return nativeLerp;
}

/**
 * resampleRows reading frames in place: frame j of [first, end) is `row(j)` (float32 values or float16 bit
 * patterns), so no copy of the window's frames is made; the result is the same, value for value. The interpolation
 * runs in the native addon where it loads (the same float64 arithmetic rounded to float32), in JavaScript elsewhere.
 */
export function resampleFrameRows(
  row: (frame: number) => FrameRow,
  first: number,
  end: number,
  dim: number,
  positions: Float64Array,
  mode: Resampling,
  out: Float32Array,
  outOffset: number,
): void {
  const lastRow = end - first - 1;
  const table = float16Table();
  const lerp = frameLerp();
  for (let k = 0; k < positions.length; k++) {
    const p = positions[k]! - first;
    const target = outOffset + k * dim;
    const below = mode === 'nearest' ? Math.min(lastRow, Math.max(0, Math.round(p))) : Math.min(lastRow, Math.max(0, Math.floor(p)));
    const above = Math.min(lastRow, below + 1);
    const weight = mode === 'nearest' ? 0 : Math.min(1, Math.max(0, p - below));
    const a = row(first + below);
    if (lerp !== null) {
      const b = weight === 0 || above === below ? null : row(first + above);
      lerp(out, target, a.values, a.offset, b === null ? null : b.values, b === null ? 0 : b.offset, b === null ? 0 : weight, dim);
      continue;
    }
    if (weight === 0 || above === below) {
      if (a.values instanceof Float32Array) out.set(a.values.subarray(a.offset, a.offset + dim), target);
      else decodeRow(a.values, a.offset, dim, table, out, target);
      continue;
    }
    const b = row(first + above);
    if (a.values instanceof Float32Array && b.values instanceof Float32Array) lerpFloat32(a.values, a.offset, b.values, b.offset, weight, dim, out, target);
    else if (a.values instanceof Uint16Array && b.values instanceof Uint16Array) lerpFloat16(a.values, a.offset, b.values, b.offset, weight, dim, table, out, target);
    else throw new Error('resampleFrameRows: frames of one track came back in two formats');
  }
}

// One function per stored format, so that each loop sees one kind of array (V8 keeps them monomorphic).

function decodeRow(a: Uint16Array, at: number, dim: number, table: Float32Array, out: Float32Array, target: number): void {
  for (let f = 0; f < dim; f++) out[target + f] = table[a[at + f]!]!;
}

function lerpFloat32(a: Float32Array, at: number, b: Float32Array, bt: number, weight: number, dim: number, out: Float32Array, target: number): void {
  for (let f = 0; f < dim; f++) {
    const x = a[at + f]!;
    out[target + f] = x + weight * (b[bt + f]! - x);
  }
}

function lerpFloat16(
  a: Uint16Array,
  at: number,
  b: Uint16Array,
  bt: number,
  weight: number,
  dim: number,
  table: Float32Array,
  out: Float32Array,
  target: number,
): void {
  for (let f = 0; f < dim; f++) {
    const x = table[a[at + f]!]!;
    out[target + f] = x + weight * (table[b[bt + f]!]! - x);
  }
}
