// The real training steps (engine/training/trainingStep.ts) with the native matMul addon on the wasm backend give
// the losses, gradient norms and updated parameters the cpu backend gives, for step 1 and step 2, on an encoder
// whose sizes are not multiples of the kernels' tiles; and a step leaks no tensors.
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { resolveConfig } from '../../main/engine/config';
import type { GroupBatch } from '../../main/engine/sampling/groupSampler';
import type { PairBatch } from '../../main/engine/sampling/pairSampler';
import { createTrainingState, disposeTrainingState } from '../../main/engine/training/trainingState';
import { trainGroupStep, trainPairStep, type StepMetrics } from '../../main/engine/training/trainingStep';
import { loadMatMulAddon } from '../../native/matmul/index';
import { loadBackend } from '../../native/tfBackend';
import { installedMatMul } from '../../native/wasmMatMul';
import { matmulAddon, needs } from '../preconditions';

const load = loadMatMulAddon();
const [tokens, features] = [5, 40];
const config = resolveConfig('demo', {
  encoder: { inputDim: features, modelDim: 48, layers: 2, heads: 4, ffDim: 72, tokens },
  sampling: { window: tokens },
  step1: { batchPairs: 6, lr: 1e-3 },
  step2: { batchGroups: 3, lr: 1e-3, bias: 'learnable' },
  seed: 3,
});

function seededValues(seed: number, count: number): Float32Array {
  let state = seed;
  return Float32Array.from({ length: count }, () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 1073741824 - 1;
  });
}

const pairBatch: PairBatch = {
  epoch: 0,
  batchIndex: 0,
  shape: [6, tokens, features],
  ego: seededValues(1, 6 * tokens * features),
  exo: seededValues(2, 6 * tokens * features),
  clips: [],
};
const groupBatch: GroupBatch = {
  epoch: 0,
  batchIndex: 0,
  egoShape: [3, 2, tokens, features],
  exoShape: [3, 3, tokens, features],
  ego: seededValues(3, 3 * 2 * tokens * features),
  exo: seededValues(4, 3 * 3 * tokens * features),
  groups: [],
};

type Trace = { metrics: StepMetrics[]; params: Float32Array[] };

/** Three optimizer steps of `step` from the same initial state; metrics and the final parameters. */
function train(step: 1 | 2): Trace {
  const state = createTrainingState(config, step);
  try {
    const metrics = [0, 1, 2].map(() => (step === 1 ? trainPairStep(state, pairBatch) : trainGroupStep(state, groupBatch)));
    return { metrics, params: [...state.params.values()].map((param) => param.dataSync() as Float32Array) };
  } finally {
    disposeTrainingState(state);
  }
}

function expectSameTraining(native: Trace, reference: Trace): void {
  native.metrics.forEach((metrics, index) => {
    const expected = reference.metrics[index] as StepMetrics;
    expect(metrics.loss).toBeCloseTo(expected.loss, 4);
    expect(metrics.gradNorm).toBeCloseTo(expected.gradNorm, 3);
    expect(metrics.paramNorm).toBeCloseTo(expected.paramNorm, 3);
    metrics.auxiliaryTerms.forEach((term, layer) => expect(term).toBeCloseTo(expected.auxiliaryTerms[layer] as number, 4));
  });
  // Adam divides by √v: where a gradient is near zero, float rounding alone can move one weight by up to ~lr, so the
  // parameters are compared as a whole, relative to their norm. (TF.js's own wasm kernels differ from the cpu
  // backend's by 1.5e-4 here, the native ones by 1.2e-4.)
  let differenceSquared = 0;
  let normSquared = 0;
  native.params.forEach((values, index) => {
    const expected = reference.params[index] as Float32Array;
    values.forEach((value, i) => {
      differenceSquared += (value - (expected[i] as number)) ** 2;
      normSquared += (expected[i] as number) ** 2;
    });
  });
  expect(Math.sqrt(differenceSquared / normSquared)).toBeLessThan(5e-4);
}

needs(matmulAddon(load)).describe('training steps with the native matMul addon', () => {
  beforeAll(async () => {
    await loadBackend({ force: 'wasm' });
    expect(installedMatMul()).toBe('native');
  });

  afterAll(async () => {
    await tf.setBackend('wasm');
  });

  it.each([1, 2] as const)('step %i matches the cpu backend over three updates', async (step) => {
    await tf.setBackend('wasm');
    const tensorsBefore = tf.memory().numTensors;
    const native = train(step);
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    await tf.setBackend('cpu');
    const reference = train(step);
    expectSameTraining(native, reference);
  });
});
