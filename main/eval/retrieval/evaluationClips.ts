// The clips cross-view retrieval compares: windows at the fixed scale 1 (w1 frames, no scale augmentation),
// starting every w2 frames of scene time, read from every view with its sync offset applied. The window
// geometry and the reading are the training sampler's own (engine/sampling: sceneTimestamps, readClipInto), so
// a clip here covers exactly the frames a scale-1 training clip at the same scene time covers. At scale 1 each
// token lands on a whole frame of a synchronized view, so the tokens are the window's frames unchanged; only a
// pair-only source's rescaled exo track is interpolated.
import type { FrameReader } from '../../features/FeatureStore';
import type { Resampling } from '../../engine/config';
import { readClipInto } from '../../engine/sampling/clipSampler';
import { sceneTimestamps } from '../../engine/sampling/clipWindow';
import type { SourceView } from '../../engine/sampling/sources';
import type { EmbeddingMatrix } from './retrievalMetrics';

/** Row-major clips [B, T, F]. */
export type ClipBatch = { data: Float32Array; shape: readonly [number, number, number] };

export type ClipGeometry = {
  /** w1: frames per window, which is also the tokens per clip at scale 1. */
  window: number;
  /** w2: frames of scene time between window starts. */
  stride: number;
  /** How a fractional frame position is read (matters only for views with a timeScale). */
  resample: Resampling;
};

/**
 * The scene times t_i = start + i·stride at which a scale-1 window fits in every one of `views` after offsets;
 * all views of a scene share them, so the clips of one index show the same moment in every view.
 */
export function evaluationTimestamps(views: readonly SourceView[], geometry: ClipGeometry): number[] {
  const { start, count } = sceneTimestamps(views, geometry.window, geometry.stride);
  return Array.from({ length: count }, (_, i) => start + i * geometry.stride);
}

/** One view's clips at the given scene times, [timestamps, window, F]. */
export function readViewClips(
  reader: FrameReader,
  view: SourceView,
  timestamps: readonly number[],
  geometry: ClipGeometry,
): ClipBatch {
  const { window, resample } = geometry;
  const dim = view.featureDim;
  const data = new Float32Array(timestamps.length * window * dim);
  timestamps.forEach((t, i) => readClipInto(reader, view, t, window, window, dim, resample, data, i * window * dim));
  return { data, shape: [timestamps.length, window, dim] };
}

/** Maps clips [B, T, F] to one embedding per clip [B, D]. */
export type ClipEmbedder = (clips: ClipBatch) => EmbeddingMatrix;
