// Tests of the segmentation head's training: it learns clear synthetic segments far above a constant predictor,
// is deterministic for a seed, leaks no tensors per step, and fine-tunes a frame encoder's variables jointly.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { EncoderConfig } from '../../../../main/engine/config';
import { SeededRandom } from '../../../../main/random/seededRandom';
import { prepareFrameInput } from '../../../../main/eval/frameFeatures/frameFeatureInputs';
import { resolveFrameFeatureSettings } from '../../../../main/eval/frameFeatures/settings';
import { segmentationMetrics } from '../../../../main/eval/segmentation/metrics';
import { resolveSegmentationHeadConfig } from '../../../../main/eval/segmentationHead/config';
import { SegmentationTrainer } from '../../../../main/eval/segmentationHead/SegmentationTrainer';
import { chunkBounds, trainSegmentation } from '../../../../main/eval/segmentationHead/trainSegmentation';
import { loadBackend } from '../../../../native/tfBackend';
import { syntheticVideos } from './syntheticSegments';

const classes = ['a', 'b', 'c', 'd'];

beforeAll(async () => {
  await loadBackend({ force: 'wasm' });
});

describe('trainSegmentation', () => {
  it('learns clear segments far above a constant predictor', () => {
    const videos = syntheticVideos({ videos: 8, frames: 160, dim: 16, classes: 4, noise: 1.5, seed: 3 });
    const [train, test] = [videos.slice(0, 6), videos.slice(6)];
    const result = trainSegmentation({ train, test, classes, seed: 1, config: { epochs: 12 } });

    const counts = new Array<number>(4).fill(0);
    for (const video of train) for (const label of video.labels) counts[label]!++;
    const majority = classes[counts.indexOf(Math.max(...counts))]!;
    const constant = segmentationMetrics(
      test.map((video) => ({ name: video.name, gt: Array.from(video.labels, (l) => classes[l]!), pred: new Array<string>(video.labels.length).fill(majority) })),
    );
    expect(result.metrics.acc).toBeGreaterThan(constant.acc + 40);
    expect(result.metrics.f1_25).toBeGreaterThan(constant.f1_25 + 40);
    expect(result.metrics.avg).toBeGreaterThan(constant.avg + 40);
    expect(result.epochLosses[result.epochLosses.length - 1]).toBeLessThan(result.epochLosses[0]! / 4);
    expect(result.predictions.map((p) => p.labels.length)).toEqual([160, 160]);
  });

  it('is deterministic for a seed', () => {
    const videos = syntheticVideos({ videos: 3, frames: 64, dim: 8, classes: 4, noise: 1, seed: 4 });
    const run = (seed: number) =>
      trainSegmentation({ train: videos.slice(0, 2), test: videos.slice(2), classes, seed, config: { epochs: 2, chunkFrames: 40 } });
    const [first, second, other] = [run(5), run(5), run(6)];
    expect(second.epochLosses).toEqual(first.epochLosses);
    expect(Array.from(second.predictions[0]!.labels)).toEqual(Array.from(first.predictions[0]!.labels));
    expect(other.epochLosses).not.toEqual(first.epochLosses);
  });

  it('reads features through a provider when given one', () => {
    const [video, test] = syntheticVideos({ videos: 2, frames: 32, dim: 4, classes: 4, noise: 1, seed: 5 });
    let reads = 0;
    const provided = { ...video!, features: () => (reads++, video!.features as Float32Array) };
    trainSegmentation({ train: [provided], test: [test!], classes, seed: 1, config: { epochs: 2 } });
    expect(reads).toBeGreaterThanOrEqual(2);
  });

  it('refuses features that do not match the labels and labels outside the classes', () => {
    const [video] = syntheticVideos({ videos: 1, frames: 20, dim: 4, classes: 4, noise: 1, seed: 6 });
    const short = { ...video!, features: (video!.features as Float32Array).subarray(0, 70) };
    expect(() => trainSegmentation({ train: [video!, short], test: [video!], classes, seed: 1, config: { epochs: 1 } })).toThrow(
      /expected 20 × 4 feature values/,
    );
    const outside = { ...video!, labels: Int32Array.from(video!.labels, (label, t) => (t === 5 ? 3 : label % 2)) };
    expect(() => trainSegmentation({ train: [outside], test: [video!], classes: ['a', 'b'], seed: 1, config: { epochs: 1 } })).toThrow(
      /video video0: expected labels in \[0, 2\), got 3 at frame 5/,
    );
    expect(() => resolveSegmentationHeadConfig('c2f-tcn', { ensembleWeights: [1, 1] })).toThrow(/expected ensembleWeights to have 3 entries/);
    expect(() => resolveSegmentationHeadConfig('asformer', { ensembleWeights: [1, 1] })).toThrow(/unexpected asformer setting ensembleWeights/);
    expect(() => resolveSegmentationHeadConfig('ltcontext', { windowSize: 7 })).toThrow(/expected an even windowSize/);
    expect(() => resolveSegmentationHeadConfig('tcn' as 'asformer')).toThrow(/expected a segmentation head 'c2f-tcn', 'asformer', 'ltcontext', got "tcn"/);
  });
});

describe('SegmentationTrainer', () => {
  const config = resolveSegmentationHeadConfig('c2f-tcn', { encoderChannels: [16, 16, 16], decoderChannels: 16, ensembleWeights: [1, 1] });
  const [video] = syntheticVideos({ videos: 1, frames: 50, dim: 6, classes: 4, noise: 1, seed: 7 });

  it('keeps tf.memory().numTensors unchanged per step', () => {
    const trainer = new SegmentationTrainer({ head: 'c2f-tcn', inputDim: 6, classes: 4, config, seed: 1 });
    trainer.step(video!.features as Float32Array, video!.labels); // creates the optimizer's moments
    const before = tf.memory().numTensors;
    trainer.step(video!.features as Float32Array, video!.labels);
    trainer.predict(video!.features as Float32Array);
    expect(tf.memory().numTensors).toBe(before);
    trainer.dispose();
  });

  it('fine-tunes a frame encoder’s variables jointly with the head, without leaking tensors', () => {
    const encoderConfig: EncoderConfig = { inputDim: 6, modelDim: 8, layers: 1, heads: 2, ffDim: 8, tokens: 4, layerNormEps: 1e-5, posEmbed: 'learned' };
    const input = prepareFrameInput({ input: 'random', views: 1, rawDim: 6, settings: resolveFrameFeatureSettings(), randomConfig: encoderConfig, seed: 2 });
    const trainable = input.trainable!;
    const initial = Array.from(trainable.params.get('layers.0.linear1.weight')!.dataSync());
    const trainer = new SegmentationTrainer({ head: 'c2f-tcn', inputDim: 6, classes: 4, config, seed: 1, trainable });
    expect(trainer.head.inputDim).toBe(8);
    trainer.step(video!.features as Float32Array, video!.labels);
    const before = tf.memory().numTensors;
    trainer.step(video!.features as Float32Array, video!.labels);
    expect(tf.memory().numTensors).toBe(before);
    expect(Array.from(trainable.params.get('layers.0.linear1.weight')!.dataSync())).not.toEqual(initial);
    expect(trainer.predict(video!.features as Float32Array)).toHaveLength(50);
    trainer.dispose();
    input.dispose();
  });
});

describe('chunkBounds', () => {
  it('covers every frame once, in chunks of at most the chunk length', () => {
    const random = new SeededRandom(1);
    for (const frames of [10, 100, 101]) {
      const bounds = chunkBounds(frames, 30, random);
      expect(bounds[0]![0]).toBe(0);
      expect(bounds[bounds.length - 1]![1]).toBe(frames);
      bounds.forEach(([from, to], i) => {
        expect(to - from).toBeLessThanOrEqual(30);
        expect(to).toBeGreaterThan(from);
        if (i > 0) expect(from).toBe(bounds[i - 1]![1]);
      });
    }
    expect(chunkBounds(100, 0, random)).toEqual([[0, 100]]);
  });
});
