// Tests of the segmentation losses against brute-force float64 versions of MS-TCN's formulas.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { SeededRandom } from '../../../../main/random/seededRandom';
import { frameCrossEntropy, segmentationLoss, smoothingLoss } from '../../../../main/eval/segmentationHead/losses';
import { loadBackend } from '../../../../native/tfBackend';

const [N, K] = [6, 4];
const random = new SeededRandom(5);
const logits = random.normalArray(N * K, 4);
const labels = [0, 0, 1, 3, 3, 2];

function logSoftmaxRow(t: number): number[] {
  const row = Array.from(logits.subarray(t * K, (t + 1) * K));
  const max = Math.max(...row);
  const logSum = Math.log(row.reduce((s, v) => s + Math.exp(v - max), 0)) + max;
  return row.map((v) => v - logSum);
}

function bruteCrossEntropy(): number {
  return labels.reduce((s, label, t) => s - logSoftmaxRow(t)[label]!, 0) / N;
}

function bruteSmoothing(clamp: number): number {
  let sum = 0;
  for (let t = 1; t < N; t++) {
    const now = logSoftmaxRow(t);
    const before = logSoftmaxRow(t - 1);
    for (let c = 0; c < K; c++) sum += Math.min((now[c]! - before[c]!) ** 2, clamp * clamp);
  }
  return sum / ((N - 1) * K);
}

beforeAll(async () => {
  await loadBackend({ force: 'wasm' });
});

describe('segmentation losses', () => {
  it('match MS-TCN’s cross-entropy, truncated smoothing and their weighted sum', () => {
    const value = tf.tidy(() => {
      const x = tf.logSoftmax(tf.tensor2d(logits, [N, K])) as tf.Tensor2D;
      const target = tf.oneHot(tf.tensor1d(labels, 'int32'), K).toFloat() as tf.Tensor2D;
      return [
        frameCrossEntropy(x, target).dataSync()[0]!,
        smoothingLoss(x, 4).dataSync()[0]!,
        smoothingLoss(x, 0.5).dataSync()[0]!,
        segmentationLoss([x, x], target, 0.15, 4).dataSync()[0]!,
      ];
    });
    expect(value[0]).toBeCloseTo(bruteCrossEntropy(), 4);
    expect(value[1]).toBeCloseTo(bruteSmoothing(4), 4);
    expect(value[2]).toBeCloseTo(bruteSmoothing(0.5), 4);
    expect(bruteSmoothing(0.5)).toBeLessThan(bruteSmoothing(4)); // the clamp is active in this case
    expect(value[3]).toBeCloseTo(2 * (bruteCrossEntropy() + 0.15 * bruteSmoothing(4)), 4);
  });

  it('smoothing pulls only the later frame of each pair (the earlier one is detached)', () => {
    const x = tf.tensor2d([0, 0, 2, 0], [2, 2]);
    const grad = tf.grad((v: tf.Tensor) => smoothingLoss(tf.logSoftmax(v) as tf.Tensor2D, 4))(x);
    const values = grad.arraySync() as number[][];
    expect(values[0]).toEqual([0, 0]);
    expect(Math.abs(values[1]![0]!)).toBeGreaterThan(0);
    tf.dispose([x, grad]);
  });
});
