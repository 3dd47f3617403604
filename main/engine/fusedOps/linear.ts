// PyTorch's nn.Linear (optionally followed by ReLU) as one fused op: y = act(x·Wᵀ + b), x [N, in], weight [out, in]
// (PyTorch's layout), bias [out]. Where the backend registers the fused kernel (the native addon on wasm) the
// product, bias and ReLU are one call, and `precision: 'bf16'` multiplies bf16-rounded operands with float32 sums,
// forward and backward (mixed-precision training: weights, gradients and the optimizer stay float32). Elsewhere it
// is TF.js's ops, the reference, always in float32.
//   backward: g = dy ⊙ [y > 0] (ReLU), dx = g·W, dW = gᵀ·x, db = Σ_rows g
import * as tf from '@tensorflow/tfjs';
import type { Precision } from '../config';
import { fusedKernelNames, type FusedActivation, type LinearAttrs } from './kernelNames';
import { matMulIn, runKernel, runsFused } from './nativeKernels';

export type LinearOptions = { activation?: FusedActivation; precision?: Precision };

/** act(x·Wᵀ + b) of x [N, in], weight [out, in], bias [out] → [N, out]. */
export function linear(x: tf.Tensor2D, weight: tf.Tensor2D, bias: tf.Tensor1D, options: LinearOptions = {}): tf.Tensor2D {
  const attrs: LinearAttrs = { activation: options.activation ?? 'linear', precision: options.precision ?? 'fp32' };
  if (runsFused(fusedKernelNames.linear)) return runKernel<tf.Tensor2D>(fusedKernelNames.linear, { x, weight, bias }, attrs);
  return referenceLinear(x, weight, bias, attrs.activation);
}

/** TF.js ops: an explicit transpose (the wasm backend's transposed matMul paths are slow), add, ReLU. */
export function referenceLinear(x: tf.Tensor2D, weight: tf.Tensor2D, bias: tf.Tensor1D, activation: FusedActivation): tf.Tensor2D {
  const y = tf.add(tf.matMul(x, tf.transpose(weight)), bias) as tf.Tensor2D; // [N, out]
  return activation === 'relu' ? tf.relu(y) : y;
}

tf.registerGradient({
  kernelName: fusedKernelNames.linear,
  inputsToSave: ['x', 'weight'],
  outputsToSave: [true],
  gradFunc: (dy, saved, attrs) => {
    const [x, weight, y] = saved as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
    const { activation, precision } = attrs as unknown as LinearAttrs;
    const gradient = dy as tf.Tensor2D;
    const [masked, dBias] =
      activation === 'relu'
        ? runKernel<tf.Tensor[]>(fusedKernelNames.reluBiasGrad, { dy: gradient, y }, {})
        : [gradient, undefined];
    return {
      x: () => matMulIn(precision, masked!, weight, false, false), // [N, in]
      weight: () => matMulIn(precision, masked!, x, true, false), // [out, in]
      bias: () => dBias ?? tf.sum(masked!, 0), // [out]
    };
  },
});
