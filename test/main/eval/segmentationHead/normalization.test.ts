// BatchNorm1d in training: the running statistics move exactly (bit for bit) as the TF.js ops
// running·(1 − m) + batch·m compute them, the variance unbiased, for short and one-frame sequences, fused or not.
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useFusedKernels } from '../../../../main/engine/fusedOps/nativeKernels';
import { batchNorm } from '../../../../main/eval/segmentationHead/normalization';
import { SeededRandom } from '../../../../main/random/seededRandom';
import { loadBackend } from '../../../../native/tfBackend';

beforeAll(async () => {
  await loadBackend({ force: 'wasm' });
});
afterAll(() => useFusedKernels(true));

/** The running statistics after one training step of the TF.js ops' update, from the batch's moments. */
function expectedRunning(x: tf.Tensor2D, runningMean: Float32Array, runningVar: Float32Array): [number[], number[]] {
  return tf.tidy(() => {
    const { mean, variance } = tf.moments(x, 0);
    const T = x.shape[0];
    const unbiased = T > 1 ? tf.mul(variance, T / (T - 1)) : variance;
    const m = tf.add(tf.mul(tf.tensor1d(runningMean), 1 - 0.1), tf.mul(mean, 0.1));
    const v = tf.add(tf.mul(tf.tensor1d(runningVar), 1 - 0.1), tf.mul(unbiased, 0.1));
    return [Array.from(m.dataSync()), Array.from(v.dataSync())];
  });
}

describe('batchNorm in training', () => {
  it.each([
    [true, 37, 13],
    [true, 1, 5],
    [false, 37, 13],
    [false, 2, 64],
  ])('updates the running statistics bit for bit as the TF.js ops do (fused %s, [%i, %i])', (fused, T, C) => {
    useFusedKernels(fused);
    const random = new SeededRandom(T * 100 + C);
    const x = tf.tensor2d(random.uniformArray(T * C, 3).map((v, i) => v + (i % C)), [T, C]);
    const start = { mean: random.uniformArray(C, 1), variance: random.uniformArray(C, 1).map((v) => 1 + v) };
    const state = {
      weight: tf.tensor1d(random.uniformArray(C, 1)),
      bias: tf.tensor1d(random.uniformArray(C, 1)),
      runningMean: tf.variable(tf.tensor1d(start.mean), false),
      runningVar: tf.variable(tf.tensor1d(start.variance), false),
    };
    // The moments themselves are the fused kernel's or TF.js's: compare the update from the same moments.
    const y = batchNorm(x, state, true, 'relu');
    const [mean, variance] = expectedRunning(x, start.mean, start.variance);
    if (fused) {
      // The fused kernel's moments may differ from tf.moments in the last bit; within float rounding then.
      Array.from(state.runningMean.dataSync()).forEach((v, c) => expect(Math.abs(v - mean[c]!)).toBeLessThanOrEqual(1e-6 * (1 + Math.abs(mean[c]!))));
      Array.from(state.runningVar.dataSync()).forEach((v, c) => expect(Math.abs(v - variance[c]!)).toBeLessThanOrEqual(1e-5 * (1 + Math.abs(variance[c]!))));
    } else {
      expect(Array.from(state.runningMean.dataSync())).toEqual(mean);
      expect(Array.from(state.runningVar.dataSync())).toEqual(variance);
    }
    tf.dispose([x, y, state.weight, state.bias, state.runningMean, state.runningVar]);
  });
});
