// Eq. 2 (sigmoid loss with M×N positives) against its float64 definition, in the paper variant (no bias) and the
// SigLIP variant (learnable bias): values, gradients by finite differences, and memory.
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArgumentError } from '../../../../contract/errors';
import { groupLoss } from '../../../../main/engine/losses/groupLoss';
import { useFusedKernels } from '../../../../main/engine/fusedOps/nativeKernels';
import { loadBackend } from '../../../../native/tfBackend';
import { finiteDifferences, referenceGroupLoss, relativeError, seededRandom, unitRows } from './reference';
import { evaluateWithGradients } from './tfEvaluation';

// Tolerances as in pairLoss.test.ts: float32 tfjs against a float64 reference; gradients against central differences
// (h = 1e-4) of the reference, worst entry relative to the largest, 1e-3 (float32 rounding is ~1e-5).
const valueTolerance = 1e-5;
const gradientTolerance = 1e-3;

const cases = [
  { groups: 1, egoViews: 2, exoViews: 3, dims: 4 },
  { groups: 2, egoViews: 1, exoViews: 1, dims: 5 },
  { groups: 3, egoViews: 2, exoViews: 3, dims: 4 },
  { groups: 4, egoViews: 4, exoViews: 2, dims: 7 },
];
const variants = [
  { variant: 'paper (no bias)', logScale: Math.log10(1 / 0.7), bias: null },
  { variant: 'SigLIP (bias)', logScale: Math.log(10), bias: -10 },
  { variant: 'SigLIP (bias, trained)', logScale: 1, bias: -2.5 },
];
const grid = cases.flatMap((shape) => variants.map((variant) => ({ ...shape, ...variant })));

// Both ways the loss is computed: the fused op (one similarity product and the closed-form gradient in
// fusedOps/similarityLoss.ts, what training runs) and TF.js's ops (its reference, with the fused ops off).
const paths = (['cpu', 'wasm'] as const).flatMap((backend) => [
  { backend, path: 'fused op', fused: true },
  { backend, path: "TF.js's ops", fused: false },
]);

describe.each(paths)('groupLoss on the $backend backend, as the $path', ({ backend, fused }) => {
  beforeAll(async () => {
    await loadBackend({ force: backend });
    useFusedKernels(fused);
  });
  afterAll(() => useFusedKernels(true));

  it.each(grid)(
    'matches eq. 2 and its gradients for B=$groups, M=$egoViews, N=$exoViews, D=$dims, $variant',
    ({ groups, egoViews, exoViews, dims, logScale, bias }) => {
      const random = seededRandom(groups * 1000 + egoViews * 100 + exoViews * 10 + dims);
      const ego = unitRows(random, groups * egoViews, dims);
      const exo = unitRows(random, groups * exoViews, dims);
      const scale = [Math.fround(logScale)];
      const offset = bias === null ? [] : [bias];
      const shape = { groups, egoViews, exoViews, dims };
      const reference = () => referenceGroupLoss(ego, exo, shape, scale[0] as number, offset[0] ?? null);

      const inputs: [number[], number[]][] = [
        [ego, [groups, egoViews, dims]],
        [exo, [groups, exoViews, dims]],
        [scale, []],
      ];
      if (bias !== null) inputs.push([offset, []]);
      const { value, gradients } = evaluateWithGradients(
        (e, x, s, b) => groupLoss(e as tf.Tensor, x as tf.Tensor, s as tf.Tensor, b ?? null),
        inputs,
      );

      expect(Math.abs(value - reference()) / Math.abs(reference())).toBeLessThan(valueTolerance);
      expect(relativeError(gradients[0] as number[], finiteDifferences(ego, reference))).toBeLessThan(gradientTolerance);
      expect(relativeError(gradients[1] as number[], finiteDifferences(exo, reference))).toBeLessThan(gradientTolerance);
      expect(relativeError(gradients[2] as number[], finiteDifferences(scale, reference))).toBeLessThan(gradientTolerance);
      if (bias !== null) {
        expect(relativeError(gradients[3] as number[], finiteDifferences(offset, reference))).toBeLessThan(gradientTolerance);
      }
    },
  );

  it('stays finite where a naive log(sigmoid(x)) would overflow', () => {
    // Identical unit vectors with t = e^5 ≈ 148 and b = 60: the negatives' logits reach 208, σ(−208) underflows in
    // float32 and log(0) would be −∞; −softplus(208) is exact.
    const row = [0.6, 0.8];
    const value = tf.tidy(() =>
      groupLoss(tf.tensor([row, row], [2, 1, 2]), tf.tensor([row, row], [2, 1, 2]), tf.scalar(5), tf.scalar(60)).dataSync(),
    )[0] as number;
    const expected = referenceGroupLoss([...row, ...row], [...row, ...row], { groups: 2, egoViews: 1, exoViews: 1, dims: 2 }, 5, 60);
    expect(Number.isFinite(value)).toBe(true);
    expect(Math.abs(value - expected) / expected).toBeLessThan(valueTolerance);
  });

  it('leaves only its result behind, and nothing when loss and gradients run inside tidy', () => {
    const random = seededRandom(3);
    const ego = tf.tensor(unitRows(random, 6, 5), [3, 2, 5]);
    const exo = tf.tensor(unitRows(random, 9, 5), [3, 3, 5]);
    const logScale = tf.scalar(Math.log(10));
    const bias = tf.scalar(-10);
    const before = tf.memory().numTensors;

    const loss = groupLoss(ego, exo, logScale, bias);
    expect(tf.memory().numTensors).toBe(before + 1);
    loss.dispose();

    tf.tidy(() => {
      const { value, grads } = tf.valueAndGrads((e, x, s, b) => groupLoss(e as tf.Tensor, x as tf.Tensor, s as tf.Tensor, b ?? null))([
        ego,
        exo,
        logScale,
        bias,
      ]);
      value.dataSync();
      for (const grad of grads) grad.dataSync();
    });
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([ego, exo, logScale, bias]);
  });
});

describe('groupLoss arguments', () => {
  it('names the argument and the shapes it got', () => {
    tf.tidy(() => {
      const one = tf.scalar(1);
      expect(() => groupLoss(tf.zeros([2, 3, 4]), tf.zeros([3, 5, 4]), one, null)).toThrow(ArgumentError);
      expect(() => groupLoss(tf.zeros([2, 3, 4]), tf.zeros([3, 5, 4]), one, null)).toThrow('got [2,3,4] and [3,5,4]');
      expect(() => groupLoss(tf.zeros([2, 3, 4]), tf.zeros([2, 5, 3]), one, null)).toThrow('same B and D');
      expect(() => groupLoss(tf.zeros([2, 4]), tf.zeros([2, 5, 4]), one, null)).toThrow('expected ego of rank 3');
      expect(() => groupLoss(tf.zeros([2, 3, 4]), tf.zeros([2, 5, 4]), one, tf.zeros([2]))).toThrow('bias to be a scalar');
    });
  });
});
