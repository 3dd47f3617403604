// Tests of the head's temporal ops against plain loop references, and of stopGradient.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { SeededRandom } from '../../../../main/engine/encoder/random';
import { conv1d, maxPoolPairs, padEndByRepeating, stopGradient, upsamplePairs } from '../../../../main/eval/segmentationHead/temporalOps';
import { loadBackend } from '../../../../native/tfBackend';

beforeAll(async () => {
  await loadBackend({ force: 'wasm' });
});

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) expect(actual[i]).toBeCloseTo(expected[i]!, 5);
}

describe('temporal ops', () => {
  it('conv1d is a zero-padded same-length convolution', () => {
    const random = new SeededRandom(1);
    const [T, cin, cout, k] = [7, 3, 2, 5];
    const x = random.normalArray(T * cin, 1);
    const w = random.normalArray(cin * k * cout, 1); // [cin, k·cout]
    const b = random.normalArray(cout, 1);
    const expected = new Float64Array(T * cout);
    for (let t = 0; t < T; t++) {
      for (let o = 0; o < cout; o++) {
        let sum = b[o]!;
        for (let j = 0; j < k; j++) {
          const source = t + j - (k - 1) / 2;
          if (source < 0 || source >= T) continue;
          for (let c = 0; c < cin; c++) sum += x[source * cin + c]! * w[c * k * cout + j * cout + o]!;
        }
        expected[t * cout + o] = sum;
      }
    }
    const y = tf.tidy(() => conv1d(tf.tensor2d(x, [T, cin]), tf.tensor2d(w, [cin, k * cout]), tf.tensor1d(b), k));
    expectClose(y.dataSync(), expected);
    y.dispose();
  });

  it('max-pools pairs of frames and pads by repeating the last frame', () => {
    const out = tf.tidy(() => maxPoolPairs(tf.tensor2d([1, 5, 3, 2, 0, 4, 7, 1], [4, 2])).arraySync());
    expect(out).toEqual([[3, 5], [7, 4]]);
    const padded = tf.tidy(() => padEndByRepeating(tf.tensor2d([1, 2, 3], [3, 1]), 5).arraySync());
    expect(padded).toEqual([[1], [2], [3], [3], [3]]);
  });

  it('upsamples ×2 linearly with half-pixel centres, ends clamped', () => {
    const x = [1, 3, 7];
    const expected: number[] = [];
    for (let i = 0; i < 6; i++) {
      const source = Math.min(2, Math.max(0, (i + 0.5) / 2 - 0.5)); // PyTorch align_corners=False
      const low = Math.floor(source);
      const high = Math.min(2, low + 1);
      expected.push(x[low]! + (source - low) * (x[high]! - x[low]!));
    }
    const out = tf.tidy(() => upsamplePairs(tf.tensor2d(x, [3, 1])).dataSync());
    expectClose(out, expected);
  });

  it('stopGradient passes values and blocks gradients', () => {
    const x = tf.tensor1d([1, 2, 3]);
    const grad = tf.grad((v: tf.Tensor) => tf.sum(tf.add(tf.mul(v, 2), stopGradient(tf.square(v)))))(x);
    expect(Array.from(grad.dataSync())).toEqual([2, 2, 2]);
    tf.dispose([x, grad]);
  });
});
