// Batch normalization in training over the rows of x [N, C] (PyTorch's BatchNorm1d on one sequence [T, C]: each
// channel normalized with the frames' own mean and biased variance, then scaled and shifted), optionally followed by
// ReLU, as one fused op. Where the backend registers the fused kernel (the native addon on wasm) the forward is one
// kernel that also returns the statistics (for the running averages), and the backward one kernel giving dx, dγ
// and dβ; elsewhere it is TF.js's ops, the reference. The statistics take part in the gradient as they do in
// PyTorch (dx = r·γ·(g − mean(g) − x̂·mean(g·x̂))).
import * as tf from '@tensorflow/tfjs';
import { fusedKernelNames, type BatchNormAttrs, type FusedActivation } from './kernelNames';
import { runKernel, runsFused } from './nativeKernels';

export type BatchNormResult = {
  /** act((x − mean)/√(variance + ε)·γ + β) [N, C]. */
  y: tf.Tensor2D;
  /** The rows' mean [C] and biased variance [C], read out (for the running averages; outside the gradient). */
  mean: Float32Array;
  variance: Float32Array;
};

/** BatchNorm of x [N, C] with its own statistics, weight γ [C] and bias β [C], then `activation`. */
export function batchNormTraining(x: tf.Tensor2D, weight: tf.Tensor1D, bias: tf.Tensor1D, epsilon: number, activation: FusedActivation): BatchNormResult {
  if (!runsFused(fusedKernelNames.batchNorm)) return referenceBatchNormTraining(x, weight, bias, epsilon, activation);
  const attrs: BatchNormAttrs = { epsilon, activation };
  const [y, stats] = runKernel<tf.Tensor[]>(fusedKernelNames.batchNorm, { x, gamma: weight, beta: bias }, attrs);
  const C = x.shape[1];
  const values = stats!.dataSync() as Float32Array; // [3, C]: mean, 1/std, variance
  stats!.dispose(); // the tape keeps its own reference for the backward
  return { y: y as tf.Tensor2D, mean: values.slice(0, C), variance: values.slice(2 * C, 3 * C) };
}

/** TF.js ops: moments over the rows, normalize, scale and shift, ReLU. */
export function referenceBatchNormTraining(x: tf.Tensor2D, weight: tf.Tensor1D, bias: tf.Tensor1D, epsilon: number, activation: FusedActivation): BatchNormResult {
  const { mean, variance } = tf.moments(x, 0); // [C] each, variance biased
  const normalized = tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, epsilon))), weight), bias) as tf.Tensor2D; // [N, C]
  const y = activation === 'relu' ? tf.relu(normalized) : normalized;
  return { y, mean: mean.dataSync() as Float32Array, variance: variance.dataSync() as Float32Array };
}

tf.registerGradient({
  kernelName: fusedKernelNames.batchNorm,
  inputsToSave: ['x', 'gamma'],
  outputsToSave: [true, true],
  gradFunc: (dys, saved, attrs) => {
    const [x, gamma, y, stats] = saved as [tf.Tensor2D, tf.Tensor1D, tf.Tensor2D, tf.Tensor2D];
    const dy = (dys as tf.Tensor[])[0] as tf.Tensor2D;
    const [dx, dGamma, dBeta] = runKernel<tf.Tensor[]>(fusedKernelNames.batchNormGrad, { dy, x, y, gamma, stats }, attrs);
    return { x: () => dx!, gamma: () => dGamma!, beta: () => dBeta! };
  },
});
