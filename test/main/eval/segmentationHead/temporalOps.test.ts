// Tests of the heads' temporal ops against plain loop references of PyTorch's definitions, and of
// stopGradient and the seeded dropouts.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { SeededRandom } from '../../../../main/random/seededRandom';
import { channelDropout, conv1d, dropout, gelu, maxPool, padTime, resizeLinear, stopGradient } from '../../../../main/eval/segmentationHead/temporalOps';
import { loadBackend } from '../../../../native/tfBackend';

beforeAll(async () => {
  await loadBackend({ force: 'wasm' });
});

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, digits = 5): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) expect(actual[i]).toBeCloseTo(expected[i]!, digits);
}

describe('temporal ops', () => {
  it.each([1, 2, 4])('conv1d is PyTorch’s zero-padded same-length Conv1d with dilation %i', (dilation) => {
    const random = new SeededRandom(dilation);
    const [T, cin, cout, k] = [9, 3, 2, 5];
    const x = random.normalArray(T * cin, 1);
    const w = random.normalArray(cout * cin * k, 1); // [cout, cin, k]
    const b = random.normalArray(cout, 1);
    const expected = new Float64Array(T * cout);
    for (let t = 0; t < T; t++) {
      for (let o = 0; o < cout; o++) {
        let sum = b[o]!;
        for (let j = 0; j < k; j++) {
          const source = t + (j - (k - 1) / 2) * dilation;
          if (source < 0 || source >= T) continue;
          for (let c = 0; c < cin; c++) sum += x[source * cin + c]! * w[(o * cin + c) * k + j]!;
        }
        expected[t * cout + o] = sum;
      }
    }
    const y = tf.tidy(() => conv1d(tf.tensor2d(x, [T, cin]), tf.tensor3d(w, [cout, cin, k]), tf.tensor1d(b), dilation));
    expectClose(y.dataSync(), expected);
    y.dispose();
  });

  it('max-pools windows of k frames, dropping the frames that fill no window, and pads with zeros', () => {
    expect(tf.tidy(() => maxPool(tf.tensor2d([1, 5, 3, 2, 0, 4, 7, 1, 9, 9], [5, 2]), 2).arraySync())).toEqual([[3, 5], [7, 4]]);
    expect(tf.tidy(() => maxPool(tf.tensor2d([1, 5, 3, 2, 0, 4, 7], [7, 1]), 3).arraySync())).toEqual([[5], [4]]);
    expect(() => tf.tidy(() => maxPool(tf.tensor2d([1, 2], [2, 1]), 3))).toThrow(/expected at least 3 frames/);
    expect(tf.tidy(() => padTime(tf.tensor2d([1, 2], [2, 1]), 1, 2).arraySync())).toEqual([[0], [1], [2], [0], [0]]);
  });

  it.each([
    [3, 6],
    [6, 12],
    [7, 3],
    [1, 4],
    [5, 1],
    [300, 701],
  ])('resizes %i → %i frames linearly with align_corners=True', (n, m) => {
    const random = new SeededRandom(n * 1000 + m);
    const x = random.normalArray(n * 2, 1);
    const expected: number[] = [];
    for (let i = 0; i < m; i++) {
      const source = m > 1 ? (i * (n - 1)) / (m - 1) : 0;
      const low = Math.min(Math.floor(source), n - 1);
      const high = Math.min(low + 1, n - 1);
      for (let c = 0; c < 2; c++) expected.push(x[low * 2 + c]! + (source - low) * (x[high * 2 + c]! - x[low * 2 + c]!));
    }
    const out = tf.tidy(() => resizeLinear(tf.tensor2d(x, [n, 2]), m).dataSync());
    expectClose(out, expected, 3); // source positions are float32, as PyTorch computes them (the parity test is exact)
  });

  it('GELU is x·Φ(x)', () => {
    const xs = [-3, -1, -0.5, 0, 0.5, 1, 3];
    const phi = (v: number) => 0.5 * (1 + erf(v / Math.SQRT2));
    expectClose(tf.tidy(() => gelu(tf.tensor2d(xs, [7, 1])).dataSync()), xs.map((v) => v * phi(v)));
  });

  it('dropout zeroes about `rate` of the values and scales the rest; channel dropout zeroes whole channels', () => {
    const ones = tf.ones([200, 50]) as tf.Tensor2D;
    const dropped = tf.tidy(() => dropout(ones, 0.3, new SeededRandom(1)).dataSync());
    const zeros = dropped.filter((v) => v === 0).length / dropped.length;
    expect(zeros).toBeGreaterThan(0.27);
    expect(zeros).toBeLessThan(0.33);
    expect(dropped.every((v) => v === 0 || Math.abs(v - 1 / 0.7) < 1e-6)).toBe(true);
    const channels = tf.tidy(() => channelDropout(ones, 0.5, new SeededRandom(2)).arraySync() as number[][]);
    for (let c = 0; c < 50; c++) expect(new Set(channels.map((row) => row[c])).size).toBe(1);
    expect(new Set(channels[0]).size).toBe(2);
    ones.dispose();
  });

  it('stopGradient passes values and blocks gradients', () => {
    const x = tf.tensor1d([1, 2, 3]);
    const grad = tf.grad((v: tf.Tensor) => tf.sum(tf.add(tf.mul(v, 2), stopGradient(tf.square(v)))))(x);
    expect(Array.from(grad.dataSync())).toEqual([2, 2, 2]);
    tf.dispose([x, grad]);
  });
});

/** erf by its Maclaurin series (enough terms for |x| ≤ 3). */
function erf(x: number): number {
  let sum = 0;
  let term = x;
  for (let n = 0; n < 80; n++) {
    sum += term / (2 * n + 1);
    term *= (-x * x) / (n + 1);
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
}
