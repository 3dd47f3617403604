// Per-frame raw features of a scene on one timeline: scene time t is frame syncOffsetFrames + t of each view, so
// row t of every view read here shows the same moment. The scene's frames are the scene times at which every
// selected view has a frame; several views are joined per frame by concatenating their rows (two-view input:
// [ego row | exo row]). Only frame-synchronized views qualify: a pair-only source's rescaled exo track has no
// frame-to-frame correspondence to build per-frame labels on.
import { ArgumentError } from '../../../contract/errors';
import type { FrameReader } from '../../features/FeatureStore';
import type { SourceView } from '../../engine/sampling/sources';

/** Scene times [start, end) covered by every one of the views. */
export interface SceneFrameRange {
  start: number;
  end: number;
}

/** Row-major per-frame features [frames, dim]. */
export interface FrameMatrix {
  data: Float32Array;
  frames: number;
  dim: number;
}

/** The scene times at which every view has a frame after its sync offset; empty when they do not overlap. */
export function sharedSceneFrames(views: readonly SourceView[]): SceneFrameRange {
  if (views.length === 0) throw new ArgumentError('expected at least one view, got none');
  for (const view of views) {
    if ((view.timeScale ?? 1) !== 1) {
      throw new ArgumentError(
        `view ${view.name}: expected a frame-synchronized view (timeScale 1) for per-frame features, got timeScale ${view.timeScale}`,
      );
    }
  }
  const start = Math.max(...views.map((v) => 0 - v.syncOffsetFrames)); // 0 − x, not −x: no −0 for offset 0
  const end = Math.min(...views.map((v) => v.frameCount - v.syncOffsetFrames));
  return end > start ? { start, end } : { start, end: start };
}

/** One view's rows for scene times [range.start, range.end). */
export function readViewFrames(reader: FrameReader, view: SourceView, range: SceneFrameRange): FrameMatrix {
  const frames = range.end - range.start;
  if (frames <= 0) throw new ArgumentError(`view ${view.name}: expected a non-empty scene frame range, got [${range.start}, ${range.end})`);
  const first = view.syncOffsetFrames + range.start;
  const last = view.syncOffsetFrames + range.end;
  if (first < 0 || last > view.frameCount) {
    throw new ArgumentError(
      `view ${view.name}: scene frames [${range.start}, ${range.end}) map to track frames [${first}, ${last}), outside [0, ${view.frameCount})`,
    );
  }
  const data = reader.readFrames(view.trackId, first, last);
  if (data.length !== frames * view.featureDim) {
    throw new ArgumentError(
      `view ${view.name}: expected ${frames} × ${view.featureDim} values from track ${view.trackId}, got ${data.length}`,
    );
  }
  return { data, frames, dim: view.featureDim };
}

/** Per-frame concatenation of matrices with the same frame count: row t is [a_t | b_t | …]. */
export function concatenateFrames(parts: readonly FrameMatrix[]): FrameMatrix {
  const first = parts[0];
  if (first === undefined) throw new ArgumentError('expected at least one frame matrix to concatenate, got none');
  if (parts.length === 1) return first;
  const frames = first.frames;
  for (const part of parts) {
    if (part.frames !== frames) throw new ArgumentError(`expected every part to have ${frames} frames, got ${part.frames}`);
  }
  const dim = parts.reduce((sum, part) => sum + part.dim, 0);
  const data = new Float32Array(frames * dim);
  for (let t = 0; t < frames; t++) {
    let column = t * dim;
    for (const part of parts) {
      data.set(part.data.subarray(t * part.dim, (t + 1) * part.dim), column);
      column += part.dim;
    }
  }
  return { data, frames, dim };
}

/** The views' raw rows over their shared scene frames, concatenated per frame (one view: its rows as they are). */
export function readSceneFrames(
  reader: FrameReader,
  views: readonly SourceView[],
  range: SceneFrameRange = sharedSceneFrames(views),
): { range: SceneFrameRange; frames: FrameMatrix } {
  return { range, frames: concatenateFrames(views.map((view) => readViewFrames(reader, view, range))) };
}
