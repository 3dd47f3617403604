// Tests of each segmentation head (C2F-TCN, ASFormer, LTContext) through its trainer: the loss equals a direct
// float64 computation of the authors' formula from the head's outputs, a training step leaks no tensors, training
// is deterministic for a seed and learns clear synthetic segments far above a constant predictor.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { segmentationHeadNames } from '../../../../contract/api';
import { segmentationMetrics } from '../../../../main/eval/segmentation/metrics';
import { resolveSegmentationHeadConfig, type SegmentationHeadName, type SegmentationHeadOverrides } from '../../../../main/eval/segmentationHead/config';
import { createSegmentationNetwork } from '../../../../main/eval/segmentationHead/heads';
import { SegmentationTrainer } from '../../../../main/eval/segmentationHead/SegmentationTrainer';
import { trainSegmentation } from '../../../../main/eval/segmentationHead/trainSegmentation';
import { loadBackend } from '../../../../native/tfBackend';
import { syntheticVideos } from './syntheticSegments';

const classes = ['a', 'b', 'c', 'd'];
/** Small networks of each head, so that every test runs in seconds. */
const small: Record<SegmentationHeadName, SegmentationHeadOverrides> = {
  'c2f-tcn': { encoderChannels: [16, 16, 16], decoderChannels: 16, ensembleWeights: [1, 1] },
  asformer: { layers: 4, featureMaps: 16, decoders: 2 },
  ltcontext: { layers: 3, stages: 2, modelDim: 16, windowSize: 8, longTermStride: 8 },
};

beforeAll(async () => {
  await loadBackend({ force: 'wasm' });
});

/** log-softmax of one row, in float64. */
function logSoftmax(row: readonly number[]): number[] {
  const max = Math.max(...row);
  const logSum = Math.log(row.reduce((s, v) => s + Math.exp(v - max), 0)) + max;
  return row.map((v) => v - logSum);
}

/** MS-TCN's CE + λ·clamped MSE of per-frame log-probabilities [N][K], in float64. */
function directLoss(logProbabilities: number[][], labels: Int32Array, weight: number): number {
  const N = labels.length;
  const K = logProbabilities[0]!.length;
  const ce = labels.reduce((s, label, t) => s - logProbabilities[t]![label]!, 0) / N;
  let mse = 0;
  for (let t = 1; t < N; t++) for (let c = 0; c < K; c++) mse += Math.min((logProbabilities[t]![c]! - logProbabilities[t - 1]![c]!) ** 2, 16);
  return ce + (weight * mse) / ((N - 1) * K);
}

describe.each(segmentationHeadNames)('%s head', (head) => {
  const config = resolveSegmentationHeadConfig(head, small[head], 'cpu');
  const [video] = syntheticVideos({ videos: 1, frames: 70, dim: 6, classes: 4, noise: 1, seed: 7 });

  it('has the authors’ loss: a direct computation from its outputs gives the same number', () => {
    const network = createSegmentationNetwork(head, 6, 4, config, 3);
    const outputs = network.forward(tf.tensor2d(video!.features as Float32Array, [70, 6]));
    const logits = outputs.map((o) => o.arraySync() as number[][]);
    let expected: number;
    if (head === 'c2f-tcn') {
      const weights = resolveSegmentationHeadConfig('c2f-tcn', small['c2f-tcn']).ensembleWeights;
      const total = weights.reduce((a, b) => a + b, 0);
      const ensemble = logits[0]!.map((_, t) =>
        logits[0]![t]!.map((__, c) => logits.reduce((s, output, i) => s + (weights[i]! / total) * Math.exp(logSoftmax(output[t]!)[c]!), 0)),
      );
      expected = directLoss(ensemble.map((row) => row.map((p) => Math.log(p + 1e-10))), video!.labels, config.smoothingWeight);
    } else {
      expected = logits.reduce((s, output) => s + directLoss(output.map(logSoftmax), video!.labels, config.smoothingWeight), 0);
    }
    const oneHot = tf.oneHot(tf.tensor1d(video!.labels, 'int32'), 4).toFloat() as tf.Tensor2D;
    const loss = network.loss(outputs, oneHot);
    expect(loss.dataSync()[0]).toBeCloseTo(expected, 4);
    tf.dispose([...outputs, oneHot, loss]);
    network.dispose();
  });

  it('keeps tf.memory().numTensors unchanged per training step and prediction', () => {
    const trainer = new SegmentationTrainer({ head, inputDim: 6, classes: 4, config, seed: 1 });
    trainer.step(video!.features as Float32Array, video!.labels); // creates the optimizer's moments
    const before = tf.memory().numTensors;
    trainer.step(video!.features as Float32Array, video!.labels);
    trainer.predict(video!.features as Float32Array);
    expect(tf.memory().numTensors).toBe(before);
    trainer.dispose();
    expect(tf.memory().numTensors).toBeLessThan(before);
  });

  it('learns clear segments far above a constant predictor', () => {
    const videos = syntheticVideos({ videos: 6, frames: 96, dim: 12, classes: 4, noise: 1.2, seed: 3 });
    const [train, test] = [videos.slice(0, 5), videos.slice(5)];
    const result = trainSegmentation({ head, train, test, classes, seed: 1, config: { ...small[head], epochs: 10, lr: 3e-3 } });
    const constant = segmentationMetrics(
      test.map((v) => ({ name: v.name, gt: Array.from(v.labels, (l) => classes[l]!), pred: new Array<string>(v.labels.length).fill('a') })),
    );
    expect(result.metrics.acc).toBeGreaterThan(constant.acc + 25);
    expect(result.epochLosses.at(-1)).toBeLessThan(result.epochLosses[0]! / 2);
    expect(result.head).toBe(head);
  });

  it('trains the same way for the same seed (dropout masks included) and differently for another', () => {
    const videos = syntheticVideos({ videos: 3, frames: 64, dim: 6, classes: 4, noise: 1, seed: 4 });
    const run = (seed: number) => trainSegmentation({ head, train: videos.slice(0, 2), test: videos.slice(2), classes, seed, config: { ...small[head], epochs: 2 } });
    const [first, second, other] = [run(5), run(5), run(6)];
    expect(second.epochLosses).toEqual(first.epochLosses);
    expect(Array.from(second.predictions[0]!.labels)).toEqual(Array.from(first.predictions[0]!.labels));
    expect(other.epochLosses).not.toEqual(first.epochLosses);
  });
});
