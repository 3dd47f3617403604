// maxAlongAxis against tf.max: the same maxima, and the same gradient (to every element equal to its maximum, ties
// included), on the cpu and wasm backends, for every axis of a rank-3 tensor; logSumExp against tf.logSumExp, value
// and gradient bit for bit.
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logSumExp, maxAlongAxis } from '../../../../main/engine/fusedOps/reduceMax';
import { loadBackend } from '../../../../native/tfBackend';

beforeAll(async () => {
  await loadBackend({ force: 'wasm' });
});
afterAll(async () => {
  await tf.setBackend('wasm');
});

describe('maxAlongAxis', () => {
  it.each(['cpu', 'wasm'])('equals tf.max in value and gradient on %s, ties included', async (backend) => {
    await tf.setBackend(backend);
    // Values on a coarse grid, so that several elements along an axis share the maximum.
    const values = Float32Array.from({ length: 4 * 5 * 6 }, (_, i) => ((i * 37) % 11) - 5);
    for (const axis of [0, 1, 2, -1]) {
      const [mine, theirs] = tf.tidy(() => {
        const x = tf.tensor3d(values, [4, 5, 6]);
        const weights = tf.randomNormal(tf.max(x, axis).shape, 0, 1, 'float32', 3);
        const run = (f: (t: tf.Tensor) => tf.Tensor) => {
          const { value, grad } = tf.valueAndGrad((t: tf.Tensor) => tf.sum(tf.mul(f(t), weights)) as tf.Scalar)(x);
          return [Array.from(f(x).dataSync()), Array.from(grad.dataSync()), value.dataSync()[0]];
        };
        return [run((t) => maxAlongAxis(t, axis)), run((t) => tf.max(t, axis))];
      });
      expect(mine).toEqual(theirs);
    }
  });

  it.each(['cpu', 'wasm'])('logSumExp equals tf.logSumExp bit for bit in value and gradient on %s, ties included', async (backend) => {
    await tf.setBackend(backend);
    for (const values of [
      Float32Array.from({ length: 4 * 5 * 6 }, (_, i) => ((i * 37) % 11) - 5),
      Float32Array.from({ length: 4 * 5 * 6 }, (_, i) => Math.sin(i * 1.7) * 30),
    ]) {
      for (const axis of [0, 1, 2, -1]) {
        const [mine, theirs] = tf.tidy(() => {
          const x = tf.tensor3d(values, [4, 5, 6]);
          const weights = tf.randomNormal(tf.logSumExp(x, axis).shape, 0, 1, 'float32', 5);
          const run = (f: (t: tf.Tensor) => tf.Tensor) => {
            const { value, grad } = tf.valueAndGrad((t: tf.Tensor) => tf.sum(tf.mul(f(t), weights)) as tf.Scalar)(x);
            return [Array.from(f(x).dataSync()), Array.from(grad.dataSync()), value.dataSync()[0]];
          };
          return [run((t) => logSumExp(t, axis)), run((t) => tf.logSumExp(t, axis))];
        });
        expect(mine).toEqual(theirs);
      }
    }
  });
});
