// PyTorch's nn.LayerNorm over the last axis as one fused op: (x − mean) / √(var + ε) · γ + β, var biased. Where
// the backend registers the fused kernel (the native addon on wasm) the forward is one pass that keeps each row's
// mean and 1/σ, and the backward one pass that gives dx, dγ and dβ; elsewhere it is TF.js's ops, the reference.
import * as tf from '@tensorflow/tfjs';
import { fusedKernelNames } from './kernelNames';
import { runKernel, runsFused } from './nativeKernels';

/** LayerNorm of x [..., D] with weight γ [D] and bias β [D]; the result has x's shape. */
export function layerNorm<T extends tf.Tensor>(x: T, weight: tf.Tensor1D, bias: tf.Tensor1D, eps: number): T {
  if (!runsFused(fusedKernelNames.layerNorm)) return referenceLayerNorm(x, weight, bias, eps);
  const [y, stats] = runKernel<tf.Tensor[]>(fusedKernelNames.layerNorm, { x, gamma: weight, beta: bias }, { epsilon: eps });
  stats!.dispose(); // the tape keeps its own copy for the backward
  return y as T;
}

export function referenceLayerNorm<T extends tf.Tensor>(x: T, weight: tf.Tensor1D, bias: tf.Tensor1D, eps: number): T {
  const lastAxis = x.rank - 1;
  const mean = tf.mean(x, lastAxis, true); // [..., 1]
  const centered = tf.sub(x, mean); // [..., D]
  const variance = tf.mean(tf.square(centered), lastAxis, true); // [..., 1]
  const normalized = tf.mul(centered, tf.rsqrt(tf.add(variance, eps))); // [..., D]
  return tf.add(tf.mul(normalized, weight), bias) as T;
}

tf.registerGradient({
  kernelName: fusedKernelNames.layerNorm,
  inputsToSave: ['x', 'gamma'],
  outputsToSave: [false, true],
  gradFunc: (dys, saved, attrs) => {
    const [x, gamma, stats] = saved as [tf.Tensor, tf.Tensor1D, tf.Tensor2D];
    const dy = (dys as tf.Tensor[])[0] as tf.Tensor;
    const [dx, dGamma, dBeta] = runKernel<tf.Tensor[]>(fusedKernelNames.layerNormGrad, { dy, x, gamma, stats }, attrs);
    return { x: () => dx!, gamma: () => dGamma!, beta: () => dBeta! };
  },
});
