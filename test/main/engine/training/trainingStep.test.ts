// The training step on hand-made batches: it leaks no tensor, its one-forward fast path (ego and exo concatenated)
// gives the loss of the obvious two-forward computation, and it moves the parameters and the logit scale.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../../main/engine/config';
import { groupLoss } from '../../../../main/engine/losses/groupLoss';
import { pairLoss } from '../../../../main/engine/losses/pairLoss';
import type { GroupBatch } from '../../../../main/engine/sampling/groupSampler';
import type { PairBatch } from '../../../../main/engine/sampling/pairSampler';
import { SeededRandom } from '../../../../main/random/seededRandom';
import { trainGroupStep, trainPairStep } from '../../../../main/engine/training/trainingStep';
import { createTrainingState, disposeTrainingState, type TrainingState } from '../../../../main/engine/training/trainingState';
import { cpuBackend, FEATURE_DIM, tinyOverrides } from './trainingFixture';

const config = resolveConfig('demo', tinyOverrides({ bias: 'learnable' }));
const T = config.encoder.tokens;
const random = new SeededRandom(3);

function pairBatch(pairs: number): PairBatch {
  const size = pairs * T * FEATURE_DIM;
  return { epoch: 0, batchIndex: 0, shape: [pairs, T, FEATURE_DIM], ego: random.normalArray(size, 1), exo: random.normalArray(size, 1), clips: [] };
}

function groupBatch(groups: number, m: number, n: number): GroupBatch {
  return {
    epoch: 0,
    batchIndex: 0,
    egoShape: [groups, m, T, FEATURE_DIM],
    exoShape: [groups, n, T, FEATURE_DIM],
    ego: random.normalArray(groups * m * T * FEATURE_DIM, 1),
    exo: random.normalArray(groups * n * T * FEATURE_DIM, 1),
    groups: [],
  };
}

/** L(H) + 0.2·L(h_1) with ego and exo encoded separately. */
function referenceLoss(state: TrainingState, ego: tf.Tensor3D, exo: tf.Tensor3D, loss: (e: tf.Tensor2D, x: tf.Tensor2D) => tf.Scalar): number {
  return tf.tidy(() => {
    const e = state.encoder.forward(ego).layers;
    const x = state.encoder.forward(exo).layers;
    const perLayer = e.map((layer, l) => loss(layer, x[l]!));
    return tf.add(perLayer[1]!, tf.mul(perLayer[0]!, 0.2)).dataSync()[0] as number;
  });
}

beforeAll(cpuBackend);

describe('trainPairStep', () => {
  it('leaves tf.memory().numTensors unchanged', () => {
    const state = createTrainingState(config, 1);
    trainPairStep(state, pairBatch(8)); // creates the optimizer's moments once
    const before = tf.memory().numTensors;
    trainPairStep(state, pairBatch(8));
    trainPairStep(state, pairBatch(8));
    expect(tf.memory().numTensors).toBe(before);
    disposeTrainingState(state);
  });

  it('computes eq. 1 with the auxiliary term, as two separate forwards would, then updates θ and s', () => {
    const state = createTrainingState(config, 1);
    const batch = pairBatch(6);
    const [ego, exo] = [tf.tensor3d(batch.ego, batch.shape), tf.tensor3d(batch.exo, batch.shape)];
    const expected = referenceLoss(state, ego, exo, (e, x) => pairLoss(e, x, state.logitScale));
    const before = state.logitScale.dataSync()[0];
    const metrics = trainPairStep(state, batch);
    expect(metrics.loss).toBeCloseTo(expected, 5);
    expect(metrics.auxiliaryTerms).toHaveLength(1);
    expect(metrics.loss).toBeCloseTo(metrics.finalLoss + metrics.auxiliaryTerms[0]!, 5);
    expect(metrics).toMatchObject({ logitScale: Math.exp(1), bias: null, learningRate: 3e-3, clips: 12 });
    expect(metrics.gradNorm).toBeGreaterThan(0);
    expect(state.logitScale.dataSync()[0]).not.toBe(before);
    expect(state.updates).toBe(1);
    tf.dispose([ego, exo]);
    disposeTrainingState(state);
  });
});

describe('trainGroupStep', () => {
  it('leaves tf.memory().numTensors unchanged', () => {
    const state = createTrainingState(config, 2);
    trainGroupStep(state, groupBatch(4, 2, 3));
    const before = tf.memory().numTensors;
    trainGroupStep(state, groupBatch(4, 2, 3));
    expect(tf.memory().numTensors).toBe(before);
    disposeTrainingState(state);
  });

  it('computes eq. 2 with the learnable bias, as two separate forwards would', () => {
    const state = createTrainingState(config, 2);
    const batch = groupBatch(3, 2, 3);
    const [B, M, , F] = batch.egoShape;
    const N = batch.exoShape[1];
    const ego = tf.tensor3d(batch.ego, [B * M, T, F]);
    const exo = tf.tensor3d(batch.exo, [B * N, T, F]);
    const expected = referenceLoss(state, ego, exo, (e, x) =>
      groupLoss(tf.reshape(e, [B, M, -1]), tf.reshape(x, [B, N, -1]), state.logitScale, state.logitBias),
    );
    const metrics = trainGroupStep(state, batch);
    expect(metrics.loss).toBeCloseTo(expected, 5);
    expect(metrics).toMatchObject({ bias: -10, clips: B * (M + N) });
    expect(state.logitBias!.dataSync()[0]).not.toBe(-10);
    tf.dispose([ego, exo]);
    disposeTrainingState(state);
  });
});
