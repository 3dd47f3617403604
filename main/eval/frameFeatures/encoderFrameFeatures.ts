// Per-frame features of one view's frames from a clip encoder, by the two methods of settings.ts, in two forms:
// a differentiable tensor function (frames [N, F] → [N, D], for fine-tuning the encoder with a head) and a
// batched one over plain arrays that bounds memory for long videos (for the frozen encoder). Both read the
// windows windowGeometry.ts chooses, padding past either end of the track by repeating the end frame.
import * as tf from '@tensorflow/tfjs';
import { ArgumentError } from '../../../contract/errors';
import type { Encoder } from '../../engine/encoder/encoder';
import type { FrameMatrix } from './sceneFrames';
import type { FrameFeatureSettings } from './settings';
import { centreWeights, slidingCentres, slidingWindowStart, tokenWindows } from './windowGeometry';

/**
 * 'tokens' features of frames [N, F] → [N, D], differentiable with respect to the encoder's variables. The windows
 * tile the track with stride T (tokenWindows), so the batch is the track's first ⌊N/T⌋·T rows reshaped, plus the
 * right-aligned last window, and the owned outputs are those windows' tokens reshaped back, plus the last window's
 * tail: a few ops (and a few gradients) instead of one slice per window, the same values.
 */
export function tokenFrameFeatures(encoder: Encoder, frames: tf.Tensor2D): tf.Tensor2D {
  const { tokens: T, modelDim: D } = encoder.config;
  const [N, F] = checkFrames(encoder, frames);
  return tf.tidy(() => {
    const windows = tokenWindows(N, T);
    if (N <= T) {
      const outputs = encoder.tokens(tf.expandDims(padFrames(frames, 0, T - N), 0) as tf.Tensor3D); // [1, T+1, D]
      return tf.reshape(tf.slice(outputs, [0, 1, 0], [1, N, D]), [N, D]) as tf.Tensor2D;
    }
    const full = Math.floor(N / T); // windows 0 … full − 1 start at w·T and own their T frames
    const last = windows.length > full ? windows[full]! : undefined; // starts at N − T, owns [full·T, N)
    const tiled = tf.reshape(tf.slice(frames, [0, 0], [full * T, F]), [full, T, F]); // [full, T, F]
    const batch = last === undefined ? tiled : tf.concat([tiled, tf.reshape(tf.slice(frames, [last.start, 0], [T, F]), [1, T, F])], 0); // [W, T, F]
    const outputs = encoder.tokens(batch as tf.Tensor3D); // [W, T+1, D], row 0 the class token
    const owned = tf.reshape(tf.slice(outputs, [0, 1, 0], [full, T, D]), [full * T, D]); // [full·T, D]
    if (last === undefined) return owned as tf.Tensor2D;
    const tail = tf.reshape(tf.slice(outputs, [full, 1 + last.ownedFrom - last.start, 0], [1, last.ownedTo - last.ownedFrom, D]), [-1, D]);
    return tf.concat([owned, tail], 0) as tf.Tensor2D; // [N, D]
  });
}

/** 'sliding-cls' features of frames [N, F] → [N, D], differentiable with respect to the encoder's variables. */
export function slidingClsFrameFeatures(
  encoder: Encoder,
  frames: tf.Tensor2D,
  settings: Pick<FrameFeatureSettings, 'slidingStride' | 'upsampling'>,
): tf.Tensor2D {
  const T = encoder.config.tokens;
  const [N, F] = checkFrames(encoder, frames);
  return tf.tidy(() => {
    const centres = slidingCentres(N, settings.slidingStride);
    const before = -slidingWindowStart(0, T);
    const after = Math.max(0, slidingWindowStart(centres[centres.length - 1]!, T) + T - N);
    const padded = padFrames(frames, before, after); // [before + N + after, F]
    const batch = tf.stack(centres.map((c) => tf.slice(padded, [slidingWindowStart(c, T) + before, 0], [T, F]))) as tf.Tensor3D;
    const { layers } = encoder.forward(batch);
    return upsampleCentres(layers[layers.length - 1]!, N, settings);
  });
}

/** The chosen method's differentiable features of frames [N, F] → [N, D]. */
export function encoderFrameFeatures(encoder: Encoder, frames: tf.Tensor2D, settings: FrameFeatureSettings): tf.Tensor2D {
  return settings.method === 'tokens' ? tokenFrameFeatures(encoder, frames) : slidingClsFrameFeatures(encoder, frames, settings);
}

/**
 * The chosen method's features of plain frames, computed `settings.windowsPerBatch` windows per encoder call
 * (no gradients): the frozen encoder's path. Equal to encoderFrameFeatures on the same frames.
 */
export function frozenEncoderFrameFeatures(encoder: Encoder, frames: FrameMatrix, settings: FrameFeatureSettings): FrameMatrix {
  const { tokens: T, inputDim: F, modelDim: D } = encoder.config;
  if (frames.dim !== F) throw new ArgumentError(`expected frames of ${F} features for the encoder, got ${frames.dim}`);
  if (frames.frames < 1) throw new ArgumentError(`expected at least one frame, got ${frames.frames}`);
  const N = frames.frames;
  const batchSize = settings.windowsPerBatch;
  const readWindow = (start: number, into: Float32Array, offset: number) => {
    for (let k = 0; k < T; k++) {
      const frame = Math.min(N - 1, Math.max(0, start + k));
      into.set(frames.data.subarray(frame * F, (frame + 1) * F), offset + k * F);
    }
  };
  if (settings.method === 'tokens') {
    const windows = tokenWindows(N, T);
    const out = new Float32Array(N * D);
    for (let first = 0; first < windows.length; first += batchSize) {
      const group = windows.slice(first, first + batchSize);
      const input = new Float32Array(group.length * T * F);
      group.forEach((w, i) => readWindow(w.start, input, i * T * F));
      const outputs = tf.tidy(() => encoder.tokens(tf.tensor3d(input, [group.length, T, F])));
      const values = outputs.dataSync(); // [b, T+1, D]
      outputs.dispose();
      group.forEach((w, i) => {
        const from = (i * (T + 1) + 1 + w.ownedFrom - w.start) * D;
        out.set(values.subarray(from, from + (w.ownedTo - w.ownedFrom) * D), w.ownedFrom * D);
      });
    }
    return { data: out, frames: N, dim: D };
  }
  const centres = slidingCentres(N, settings.slidingStride);
  const embeddings = new Float32Array(centres.length * D);
  for (let first = 0; first < centres.length; first += batchSize) {
    const group = centres.slice(first, first + batchSize);
    const input = new Float32Array(group.length * T * F);
    group.forEach((c, i) => readWindow(slidingWindowStart(c, T), input, i * T * F));
    const embedded = tf.tidy(() => {
      const { layers } = encoder.forward(tf.tensor3d(input, [group.length, T, F]));
      return layers[layers.length - 1]!;
    });
    embeddings.set(embedded.dataSync(), first * D);
    embedded.dispose();
  }
  const upsampled = tf.tidy(() => upsampleCentres(tf.tensor2d(embeddings, [centres.length, D]), N, settings));
  const data = upsampled.dataSync() as Float32Array;
  upsampled.dispose();
  return { data: Float32Array.from(data), frames: N, dim: D };
}

/** Centre features [K, D] (centres 0, s, 2s, …) → frame features [N, D], nearest or linear between centres. */
function upsampleCentres(
  centres: tf.Tensor2D,
  frames: number,
  { slidingStride: s, upsampling }: Pick<FrameFeatureSettings, 'slidingStride' | 'upsampling'>,
): tf.Tensor2D {
  const [K, D] = centres.shape;
  if (K === 1) return tf.slice(centres, [0, 0], [frames, D]);
  const weights = tf.tensor3d(centreWeights(s, upsampling), [1, s, 1]); // [1, s, 1]
  const previous = tf.expandDims(tf.slice(centres, [0, 0], [K - 1, D]), 1); // [K−1, 1, D]
  const next = tf.expandDims(tf.slice(centres, [1, 0], [K - 1, D]), 1); // [K−1, 1, D]
  const between = tf.add(tf.mul(previous, tf.sub(1, weights)), tf.mul(next, weights)); // [K−1, s, D]
  const rows = tf.concat([tf.reshape(between, [(K - 1) * s, D]), tf.slice(centres, [K - 1, 0], [1, D])], 0); // [(K−1)s+1, D]
  return tf.slice(rows, [0, 0], [frames, D]) as tf.Tensor2D;
}

/** frames [N, F] with `before` copies of the first row and `after` copies of the last row added. */
function padFrames(frames: tf.Tensor2D, before: number, after: number): tf.Tensor2D {
  const [N, F] = frames.shape;
  const parts: tf.Tensor2D[] = [];
  if (before > 0) parts.push(tf.tile(tf.slice(frames, [0, 0], [1, F]), [before, 1]));
  parts.push(frames);
  if (after > 0) parts.push(tf.tile(tf.slice(frames, [N - 1, 0], [1, F]), [after, 1]));
  return parts.length === 1 ? frames : (tf.concat(parts, 0) as tf.Tensor2D);
}

function checkFrames(encoder: Encoder, frames: tf.Tensor2D): [number, number] {
  const F = encoder.config.inputDim;
  if (frames.rank !== 2 || frames.shape[1] !== F || frames.shape[0] < 1) {
    throw new ArgumentError(`expected frames of shape [N >= 1, ${F}], got [${frames.shape.join(', ')}]`);
  }
  return [frames.shape[0], F];
}
