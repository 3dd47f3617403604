// Normalizations of one sequence [T, C] over time, as PyTorch computes them for a batch of one video:
// InstanceNorm1d(C) without affine parameters or running statistics (ASFormer, LTContext) and BatchNorm1d(C)
// (C2F-TCN), which normalizes with the sequence's own statistics in training — and then moves its running
// statistics by momentum 0.1, the variance unbiased — and with the running statistics in evaluation.
import * as tf from '@tensorflow/tfjs';
import { batchNormTraining } from '../../engine/fusedOps/batchNorm';
import type { FusedActivation } from '../../engine/fusedOps/kernelNames';

/** PyTorch's default eps of both norms. */
const eps = 1e-5;
/** PyTorch's default BatchNorm momentum: running ← (1 − m)·running + m·batch. */
const momentum = 0.1;

/** (x − mean_t)/√(var_t + eps) per channel, var biased: InstanceNorm1d(C, affine=False) of x [T, C]. */
export function instanceNorm(x: tf.Tensor2D): tf.Tensor2D {
  const { mean, variance } = tf.moments(x, 0, true); // [1, C] each
  return tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, eps)));
}

export type BatchNormState = {
  weight: tf.Tensor1D;
  bias: tf.Tensor1D;
  runningMean: tf.Variable;
  runningVar: tf.Variable;
};

/**
 * BatchNorm1d(C) of x [T, C], then `activation` (C2F-TCN follows every BatchNorm with ReLU). Training: the frames'
 * statistics normalize (one fused op, main/engine/fusedOps/batchNorm.ts), and the running statistics are updated
 * in place (outside the gradient: they are not trained). Evaluation: the running statistics normalize.
 */
export function batchNorm(x: tf.Tensor2D, state: BatchNormState, training: boolean, activation: FusedActivation = 'linear'): tf.Tensor2D {
  const { weight, bias, runningMean, runningVar } = state;
  if (!training) {
    const y = tf.add(tf.mul(tf.div(tf.sub(x, runningMean), tf.sqrt(tf.add(runningVar, eps))), weight), bias) as tf.Tensor2D;
    return activation === 'relu' ? tf.relu(y) : y;
  }
  const { y, mean, variance } = batchNormTraining(x, weight, bias, eps, activation); // y [T, C]; mean, variance [C]
  updateRunningStatistics(runningMean, runningVar, mean, variance, x.shape[0]);
  return y;
}

/**
 * running ← (1 − m)·running + m·batch, the variance unbiased (·T/(T − 1)), in float32 exactly as TF.js's mul and add
 * kernels compute it (float64 has over twice float32's precision, so each operation in float64 rounded once by
 * Math.fround is the float32 operation's result), on the few values of one layer in JavaScript rather than as seven
 * small kernels.
 */
function updateRunningStatistics(runningMean: tf.Variable, runningVar: tf.Variable, mean: Float32Array, variance: Float32Array, T: number): void {
  const f = Math.fround;
  const keep = f(1 - momentum);
  const take = f(momentum);
  const correction = f(T / (T - 1));
  const meanBefore = runningMean.dataSync();
  const varBefore = runningVar.dataSync();
  const newMean = new Float32Array(mean.length);
  const newVar = new Float32Array(mean.length);
  for (let c = 0; c < mean.length; c++) {
    const unbiased = T > 1 ? f(variance[c]! * correction) : variance[c]!;
    newMean[c] = f(f(meanBefore[c]! * keep) + f(mean[c]! * take));
    newVar[c] = f(f(varBefore[c]! * keep) + f(unbiased * take));
  }
  tf.tidy(() => {
    runningMean.assign(tf.tensor1d(newMean));
    runningVar.assign(tf.tensor1d(newVar));
  });
}
