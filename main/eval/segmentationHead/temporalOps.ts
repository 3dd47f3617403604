// 1-D temporal building blocks of the segmentation head over single sequences [T, C], made only of matMul,
// slice, concat, reshape and elementwise ops so that their gradients exist on every TF.js backend (the wasm
// backend has no Conv2DBackpropFilter, so tf.conv1d cannot be trained there).
import * as tf from '@tensorflow/tfjs';

/**
 * A same-length 1-D convolution with zero padding (PyTorch's Conv1d with padding = (k − 1)/2): x [T, Cin],
 * weight [Cin, k·Cout] (tap j's kernel in columns j·Cout … (j+1)·Cout − 1), bias [Cout] → [T, Cout].
 * y[t] = Σ_j x[t + j − p]·W_j + b: one matMul gives every tap's products, which are then shifted and summed;
 * memory is T·k·Cout, never T·k·Cin (Cin is 2048 for raw features).
 */
export function conv1d(x: tf.Tensor2D, weight: tf.Tensor2D, bias: tf.Tensor1D, kernelSize: number): tf.Tensor2D {
  const T = x.shape[0];
  const cout = bias.shape[0];
  const half = (kernelSize - 1) / 2;
  const products = tf.matMul(x, weight); // [T, k·Cout]
  if (kernelSize === 1) return tf.add(products, bias) as tf.Tensor2D;
  const padded = tf.pad(products, [[half, half], [0, 0]]); // [T + 2p, k·Cout]
  let sum = tf.slice(padded, [0, 0], [T, cout]);
  for (let j = 1; j < kernelSize; j++) sum = tf.add(sum, tf.slice(padded, [j, j * cout], [T, cout]));
  return tf.add(sum, bias) as tf.Tensor2D;
}

/** Max over non-overlapping pairs of frames (PyTorch's MaxPool1d(2)): x [T, C] with T even → [T/2, C]. */
export function maxPoolPairs(x: tf.Tensor2D): tf.Tensor2D {
  const [T, C] = x.shape;
  return tf.max(tf.reshape(x, [T / 2, 2, C]), 1);
}

/**
 * Linear ×2 upsampling with half-pixel centres (PyTorch's Upsample(scale_factor=2, mode='linear',
 * align_corners=False)): output 2i is 0.75·x[i] + 0.25·x[i−1], output 2i+1 is 0.75·x[i] + 0.25·x[i+1], ends
 * clamped. C2F-TCN uses align_corners=True, whose weights vary along the sequence; this keeps a constant
 * pattern of slices, and both interpolate linearly between neighbours.
 */
export function upsamplePairs(x: tf.Tensor2D): tf.Tensor2D {
  const [T, C] = x.shape;
  if (T === 1) return tf.concat([x, x], 0);
  const previous = tf.concat([tf.slice(x, [0, 0], [1, C]), tf.slice(x, [0, 0], [T - 1, C])], 0); // [T, C]
  const next = tf.concat([tf.slice(x, [1, 0], [T - 1, C]), tf.slice(x, [T - 1, 0], [1, C])], 0); // [T, C]
  const even = tf.add(tf.mul(x, 0.75), tf.mul(previous, 0.25));
  const odd = tf.add(tf.mul(x, 0.75), tf.mul(next, 0.25));
  return tf.reshape(tf.stack([even, odd], 1), [2 * T, C]);
}

/** x [T, C] with its last row repeated until it has `length` rows (length ≥ T). */
export function padEndByRepeating(x: tf.Tensor2D, length: number): tf.Tensor2D {
  const [T, C] = x.shape;
  if (length === T) return x;
  return tf.concat([x, tf.tile(tf.slice(x, [T - 1, 0], [1, C]), [length - T, 1])], 0);
}

/** The identity whose gradient is zero (PyTorch's .detach()). */
export const stopGradient: (x: tf.Tensor) => tf.Tensor = tf.customGrad((...inputs) => ({
  value: tf.clone(inputs[0] as tf.Tensor),
  gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy),
}));
