// Eq. 1 (symmetric InfoNCE) against its float64 definition: values, gradients by finite differences, and memory.
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArgumentError } from '../../../../contract/errors';
import { pairLoss } from '../../../../main/engine/losses/pairLoss';
import { useFusedKernels } from '../../../../main/engine/fusedOps/nativeKernels';
import { loadBackend } from '../../../../native/tfBackend';
import { finiteDifferences, referencePairLoss, relativeError, seededRandom, unitRows } from './reference';
import { evaluateWithGradients } from './tfEvaluation';

// tfjs computes in float32 (about 7 significant digits). Loss values are sums of O(B²) float32 terms: 1e-5 relative.
// Gradients are compared, as the worst entry relative to the largest one, with central differences (h = 1e-4) of the
// float64 reference, whose own error (~h²·f''' ≈ 1e-8) is negligible; what remains is float32 rounding through
// exp/log-sum-exp and the backward matMuls, ~1e-5, so 1e-3 is safe yet far below the O(1) error of a wrong sign,
// factor or transpose.
const valueTolerance = 1e-5;
const gradientTolerance = 1e-3;

const cases = [
  { pairs: 2, dims: 5, logScale: 1 },
  { pairs: 5, dims: 8, logScale: Math.log(10) },
  { pairs: 7, dims: 3, logScale: 0.155 },
];

// Both ways the loss is computed: the fused op (one similarity product and the closed-form gradient in
// fusedOps/similarityLoss.ts, what training runs) and TF.js's ops (its reference, with the fused ops off).
const paths = (['cpu', 'wasm'] as const).flatMap((backend) => [
  { backend, path: 'fused op', fused: true },
  { backend, path: "TF.js's ops", fused: false },
]);

describe.each(paths)('pairLoss on the $backend backend, as the $path', ({ backend, fused }) => {
  beforeAll(async () => {
    await loadBackend({ force: backend });
    useFusedKernels(fused);
  });
  afterAll(() => useFusedKernels(true));

  it.each(cases)('matches eq. 1 and its gradients for B=$pairs, D=$dims, s=$logScale', ({ pairs, dims, logScale }) => {
    const random = seededRandom(pairs * 100 + dims);
    const ego = unitRows(random, pairs, dims);
    const exo = unitRows(random, pairs, dims);
    const scale = [Math.fround(logScale)];
    const reference = () => referencePairLoss(ego, exo, pairs, dims, scale[0] as number);

    const { value, gradients } = evaluateWithGradients(pairLoss, [
      [ego, [pairs, dims]],
      [exo, [pairs, dims]],
      [scale, []],
    ]);

    expect(Math.abs(value - reference()) / Math.abs(reference())).toBeLessThan(valueTolerance);
    expect(relativeError(gradients[0] as number[], finiteDifferences(ego, reference))).toBeLessThan(gradientTolerance);
    expect(relativeError(gradients[1] as number[], finiteDifferences(exo, reference))).toBeLessThan(gradientTolerance);
    expect(relativeError(gradients[2] as number[], finiteDifferences(scale, reference))).toBeLessThan(gradientTolerance);
  });

  it('is zero with zero gradients for a single pair, which is its own only candidate', () => {
    const random = seededRandom(1);
    const { value, gradients } = evaluateWithGradients(pairLoss, [
      [unitRows(random, 1, 4), [1, 4]],
      [unitRows(random, 1, 4), [1, 4]],
      [[1], []],
    ]);
    expect(Math.abs(value)).toBeLessThan(1e-6);
    for (const gradient of gradients) for (const entry of gradient) expect(Math.abs(entry)).toBeLessThan(1e-6);
  });

  it('leaves only its result behind, and nothing when loss and gradients run inside tidy', () => {
    const random = seededRandom(2);
    const ego = tf.tensor(unitRows(random, 4, 6), [4, 6]);
    const exo = tf.tensor(unitRows(random, 4, 6), [4, 6]);
    const logScale = tf.scalar(1);
    const before = tf.memory().numTensors;

    const loss = pairLoss(ego, exo, logScale);
    expect(tf.memory().numTensors).toBe(before + 1);
    loss.dispose();

    tf.tidy(() => {
      const { value, grads } = tf.valueAndGrads(pairLoss)([ego, exo, logScale]);
      value.dataSync();
      for (const grad of grads) grad.dataSync();
    });
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([ego, exo, logScale]);
  });
});

describe('pairLoss arguments', () => {
  it('names the argument and the shapes it got', () => {
    tf.tidy(() => {
      expect(() => pairLoss(tf.zeros([3, 4]), tf.zeros([3, 5]), tf.scalar(1))).toThrow(ArgumentError);
      expect(() => pairLoss(tf.zeros([3, 4]), tf.zeros([3, 5]), tf.scalar(1))).toThrow('got [3,4] and [3,5]');
      expect(() => pairLoss(tf.zeros([3, 4, 1]), tf.zeros([3, 4]), tf.scalar(1))).toThrow('expected ego of rank 2');
      expect(() => pairLoss(tf.zeros([3, 4]), tf.zeros([3, 4]), tf.zeros([1]))).toThrow('logScale to be a scalar');
    });
  });
});
