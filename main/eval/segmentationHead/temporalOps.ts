// 1-D temporal building blocks of the segmentation heads over single sequences [T, C], with PyTorch's semantics
// (Conv1d, MaxPool1d, linear interpolation with align_corners=True, Dropout, Dropout1d/Dropout2d), made only of
// matMul, slice, concat, reshape and elementwise ops so that their gradients exist on every TF.js backend (the
// wasm backend has no Conv2DBackpropFilter nor UnsortedSegmentSum, so tf.conv1d and tf.gather cannot be trained
// there). Dropout masks come from a SeededRandom, so a training run is the same on every backend. Convolutions and
// max-pooling go through the engine's fused ops (main/engine/fusedOps), like the encoder's kernels (1×1 convolutions
// are the fused Linear).
import * as tf from '@tensorflow/tfjs';
import { ArgumentError } from '../../../contract/errors';
import { linear } from '../../engine/fusedOps/linear';
import { maxAlongAxis } from '../../engine/fusedOps/reduceMax';
import { tapSum } from '../../engine/fusedOps/temporalConvolution';
import type { SeededRandom } from '../../random/seededRandom';

/**
 * PyTorch's Conv1d(Cin, Cout, k, padding = d·(k − 1)/2, dilation = d) on one sequence: x [T, Cin], weight
 * [Cout, Cin, k] (PyTorch's layout), bias [Cout] → [T, Cout]. y[t] = Σ_j x[t + (j − (k−1)/2)·d]·W[:, :, j]ᵀ + b:
 * one matMul gives every tap's products, which are then shifted and summed; memory is T·k·Cout, never T·k·Cin
 * (Cin is 2048 for raw features).
 */
export function conv1d(x: tf.Tensor2D, weight: tf.Tensor3D, bias: tf.Tensor1D, dilation = 1): tf.Tensor2D {
  const cin = x.shape[1];
  const [cout, weightCin, k] = weight.shape;
  if (weightCin !== cin) throw new ArgumentError(`expected conv1d input of ${weightCin} channels, got [${x.shape.join(', ')}]`);
  if (k % 2 !== 1) throw new ArgumentError(`expected an odd kernel size (same-length convolution), got ${k}`);
  if (k === 1) return linear(x, tf.reshape(weight, [cout, cin]), bias); // x·Wᵀ + b [T, Cout], one fused op
  const taps = tf.reshape(tf.transpose(weight, [1, 2, 0]), [cin, k * cout]); // [Cin, k·Cout], tap j in columns j·Cout…
  const products = tf.matMul(x, taps); // [T, k·Cout]
  // The shifted sum of the taps plus bias: the engine's fused kernel where the backend has it (native addon on wasm).
  return tapSum(products, bias, { taps: k, dilation, activation: 'linear' }) as tf.Tensor2D; // [T, Cout]
}

/** PyTorch's MaxPool1d(k) (stride k, trailing frames that fill no window dropped): x [T, C] → [⌊T/k⌋, C]. */
export function maxPool(x: tf.Tensor2D, k: number): tf.Tensor2D {
  const [T, C] = x.shape;
  const windows = Math.floor(T / k);
  if (windows < 1) throw new ArgumentError(`expected at least ${k} frames to max-pool by ${k}, got ${T}`);
  return maxAlongAxis<tf.Tensor2D>(tf.reshape(tf.slice(x, [0, 0], [windows * k, C]), [windows, k, C]), 1); // [⌊T/k⌋, C]
}

/** Output rows per banded product in resizeLinear: bounds the interpolation matrices' size for long videos. */
const resizeChunk = 256;

/**
 * PyTorch's F.interpolate(x, size = m, mode='linear', align_corners=True) along time: x [n, C] → [m, C], output
 * i taken at source position i·(n − 1)/(m − 1) between its two neighbours. Computed as products of x's rows
 * with small interpolation matrices, a band of source rows per chunk of output rows.
 */
export function resizeLinear(x: tf.Tensor2D, m: number): tf.Tensor2D {
  const [n, C] = x.shape;
  if (!Number.isInteger(m) || m < 1) throw new ArgumentError(`expected an output length >= 1, got ${m}`);
  if (m === n) return x;
  const scale = m > 1 ? Math.fround((n - 1) / (m - 1)) : 0;
  const source = (i: number): [number, number, number] => {
    const position = Math.fround(scale * i);
    const low = Math.min(Math.floor(position), n - 1);
    const weight = Math.min(Math.max(position - low, 0), 1);
    return [low, low < n - 1 ? low + 1 : low, weight];
  };
  const chunks: tf.Tensor2D[] = [];
  for (let from = 0; from < m; from += resizeChunk) {
    const to = Math.min(m, from + resizeChunk);
    const first = source(from)[0];
    const last = source(to - 1)[1];
    const rows = last - first + 1;
    const matrix = new Float32Array((to - from) * rows);
    for (let i = from; i < to; i++) {
      const [low, high, weight] = source(i);
      const row = (i - from) * rows;
      matrix[row + low - first] = 1 - weight;
      matrix[row + high - first] = matrix[row + high - first]! + weight;
    }
    chunks.push(tf.matMul(tf.tensor2d(matrix, [to - from, rows]), tf.slice(x, [first, 0], [rows, C]))); // [chunk, C]
  }
  return chunks.length === 1 ? chunks[0]! : (tf.concat(chunks, 0) as tf.Tensor2D);
}

/** x [T, C] with `before` and `after` rows of zeros added (PyTorch's F.pad on the time axis). */
export function padTime(x: tf.Tensor2D, before: number, after: number): tf.Tensor2D {
  return before === 0 && after === 0 ? x : tf.pad(x, [[before, after], [0, 0]]);
}

/** PyTorch's Dropout in training: each value zeroed with probability `rate`, the others scaled by 1/(1 − rate). */
export function dropout<T extends tf.Tensor>(x: T, rate: number, random: SeededRandom): T {
  if (rate === 0) return x;
  return tf.mul(x, tf.tensor(keepMask(x.size, rate, random), x.shape)) as T;
}

/**
 * PyTorch's Dropout1d (and ASFormer's Dropout2d over [B, C, 1, T]) in training on one sequence [T, C]: whole
 * channels zeroed with probability `rate`, the others scaled by 1/(1 − rate).
 */
export function channelDropout(x: tf.Tensor2D, rate: number, random: SeededRandom): tf.Tensor2D {
  if (rate === 0) return x;
  return tf.mul(x, tf.tensor2d(keepMask(x.shape[1], rate, random), [1, x.shape[1]]));
}

function keepMask(size: number, rate: number, random: SeededRandom): Float32Array {
  const mask = new Float32Array(size);
  const keep = 1 / (1 - rate);
  for (let i = 0; i < size; i++) mask[i] = random.uniform() < rate ? 0 : keep;
  return mask;
}

/** PyTorch's exact GELU: x·Φ(x) = x/2·(1 + erf(x/√2)). */
export function gelu(x: tf.Tensor2D): tf.Tensor2D {
  return tf.mul(tf.mul(x, 0.5), tf.add(tf.erf(tf.mul(x, Math.SQRT1_2)), 1));
}

/** The identity whose gradient is zero (PyTorch's .detach()). */
export const stopGradient: (x: tf.Tensor) => tf.Tensor = tf.customGrad((...inputs) => ({
  value: tf.clone(inputs[0] as tf.Tensor),
  gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy),
}));
