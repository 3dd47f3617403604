// The fused l2Normalize (float64 JavaScript, closed-form gradient) against its TF.js reference, on the cpu and wasm
// backends: values and gradients under a random upstream gradient, for ordinary rows, a row far below the clamp
// (ε = 1e-12, where the gradient is dy / ε) and a zero row (dy / ε like PyTorch's; the reference's is NaN); and the
// memory it leaves behind.
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { l2Normalize } from '../../../../main/engine/fusedOps/l2Normalize';
import { useFusedKernels } from '../../../../main/engine/fusedOps/nativeKernels';
import { loadBackend } from '../../../../native/tfBackend';

beforeAll(async () => {
  await loadBackend({ force: 'wasm' });
});
afterAll(async () => {
  useFusedKernels(true);
  await tf.setBackend('wasm');
});

/** y and dL/dx of L = Σ y ⊙ w for y = l2Normalize(x), with the fused ops on or off. */
function run(values: Float32Array, shape: [number, number], weights: Float32Array, fused: boolean): { y: number[]; dx: number[] } {
  useFusedKernels(fused);
  try {
    return tf.tidy(() => {
      const x = tf.tensor2d(values, shape);
      const w = tf.tensor2d(weights, shape);
      const { value, grad } = tf.valueAndGrad((t: tf.Tensor) => tf.sum(tf.mul(l2Normalize(t as tf.Tensor2D), w)) as tf.Scalar)(x);
      value.dataSync();
      return { y: Array.from(l2Normalize(x).dataSync()), dx: Array.from(grad.dataSync()) };
    });
  } finally {
    useFusedKernels(true);
  }
}

/** The worst entry's difference relative to the largest entry of `expected`. */
function relativeError(actual: number[], expected: number[]): number {
  const scale = Math.max(...expected.map(Math.abs)) || 1; // all zero: absolute differences
  return Math.max(...actual.map((value, i) => Math.abs(value - (expected[i] as number)))) / scale;
}

describe.each(['cpu', 'wasm'])('l2Normalize on %s', (backend) => {
  beforeAll(async () => {
    await tf.setBackend(backend);
  });

  it.each([
    [1, 1],
    [3, 7],
    [64, 512],
  ])('matches the reference for [%i, %i] rows', (rows, dims) => {
    const values = Float32Array.from({ length: rows * dims }, (_, i) => Math.sin(i * 1.3 + rows) * 2);
    const weights = Float32Array.from({ length: rows * dims }, (_, i) => Math.cos(i * 0.7));
    const fused = run(values, [rows, dims], weights, true);
    const reference = run(values, [rows, dims], weights, false);
    expect(relativeError(fused.y, reference.y)).toBeLessThan(1e-6);
    expect(relativeError(fused.dx, reference.dx)).toBeLessThan(1e-5);
    for (let r = 0; r < rows; r++) {
      const norm = Math.hypot(...fused.y.slice(r * dims, (r + 1) * dims));
      expect(Math.abs(norm - 1)).toBeLessThan(1e-6);
    }
  });

  it('clamps the norm at 1e-12: dy / ε for a tiny row (as the reference) and for a zero row (as PyTorch)', () => {
    const values = Float32Array.from([3, 4, 0, 1e-14, -2e-14, 5e-15, 0, 0, 0]);
    const weights = Float32Array.from([0.5, -1, 2, 1, 2, 3, -1, 0.25, 4]);
    const fused = run(values, [3, 3], weights, true);
    const reference = run(values, [3, 3], weights, false);
    expect(relativeError(fused.y, reference.y)).toBeLessThan(1e-6);
    expect(relativeError(fused.dx.slice(0, 6), reference.dx.slice(0, 6))).toBeLessThan(1e-6);
    expect(fused.dx.slice(3, 6)).toEqual([1e12, 2e12, 3e12].map(Math.fround));
    // TF.js's reference differentiates √ at 0 and gives NaN; torch.nn.functional.normalize gives dy / ε.
    expect(reference.dx.slice(6).every(Number.isNaN)).toBe(true);
    expect(fused.dx.slice(6)).toEqual([-1e12, 0.25e12, 4e12].map(Math.fround));
  });

  it('leaves only its result behind, and nothing when value and gradient run inside tidy', () => {
    const x = tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3]);
    const before = tf.memory().numTensors;
    const y = l2Normalize(x);
    expect(tf.memory().numTensors).toBe(before + 1);
    y.dispose();
    tf.tidy(() => {
      const { value, grad } = tf.valueAndGrad((t: tf.Tensor) => tf.sum(l2Normalize(t as tf.Tensor2D)) as tf.Scalar)(x);
      value.dataSync();
      grad.dataSync();
    });
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });
});
