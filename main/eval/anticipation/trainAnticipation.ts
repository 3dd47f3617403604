// The action anticipation evaluation (docs/method.md, "Evaluation"): train the TempAgg head on the train scenes'
// samples with the authors' recipe (main.py of the Assembly101 TempAgg baseline: Adam without weight decay, StepLR
// stepped at each epoch's start, shuffled minibatches with the last incomplete one dropped, dropout on; here
// seeded), then score the test samples — each target's logits summed over the recent windows, as their
// get_scores does — by class-mean Top-5 recall for verb, object and action.
import * as tf from '@tensorflow/tfjs';
import { ArgumentError } from '../../../contract/errors';
import { SeededRandom } from '../../random/seededRandom';
import { AdamW, computeGradients } from '../../engine/optim/adamw';
import { classMeanTopKRecall, type ClassMeanRecall } from './classMeanRecall';
import { epochLearningRate, resolveAnticipationConfig, type AnticipationConfig } from './config';
import type { AnticipationSample } from './samples';
import { anticipationTargets as heads, createTempAggHead, type AnticipationClassCounts, type AnticipationTarget, type TempAggHead } from './tempAggHead';

export interface AnticipationProgress {
  epoch: number;
  epochs: number;
  loss: number;
}

export interface TrainAnticipationOptions {
  train: readonly AnticipationSample[];
  test: readonly AnticipationSample[];
  classes: AnticipationClassCounts;
  config?: Partial<AnticipationConfig>;
  /** Seeds the head's weights and the minibatch order. */
  seed: number;
  /** Top-k of the recall (published 5). */
  k?: number;
  onProgress?: (progress: AnticipationProgress) => void;
  signal?: AbortSignal;
}

export interface AnticipationResult {
  verb: ClassMeanRecall;
  object: ClassMeanRecall;
  action: ClassMeanRecall;
  /** Mean of the three class-mean recalls, percent. */
  avg: number;
  epochLosses: number[];
  config: AnticipationConfig;
}

/** Trains a head on `train` and returns the class-mean Top-k recalls on `test`. */
export function trainAnticipation(options: TrainAnticipationOptions): AnticipationResult {
  const { train, test, classes, seed, onProgress, signal, k = 5 } = options;
  const config = resolveAnticipationConfig(options.config);
  if (train.length === 0) throw new ArgumentError('expected at least one training sample, got none');
  if (test.length === 0) throw new ArgumentError('expected at least one test sample, got none');
  const shape = sampleShape(train[0]!);
  for (const sample of [...train, ...test]) checkSample(sample, shape, classes);
  const head = createTempAggHead(shape.dim, config, classes, seed);
  const optimizer = new AdamW(head.params, { lr: config.lr, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0 });
  const order = new SeededRandom(seed ^ 0x5bd1e995);
  const dropoutMasks = new SeededRandom(seed ^ 0x2c1b3c6d);
  // Assembly101's loader drops the last incomplete batch in training; a set smaller than one batch is one batch.
  const trainedSamples = train.length < config.batchSize ? train.length : train.length - (train.length % config.batchSize);
  const epochLosses: number[] = [];
  try {
    for (let epoch = 1; epoch <= config.epochs; epoch++) {
      optimizer.learningRate = epochLearningRate(config, epoch);
      const indices = order.shuffle(Array.from({ length: train.length }, (_, i) => i)).slice(0, trainedSamples);
      let lossSum = 0;
      let batches = 0;
      for (let first = 0; first < indices.length; first += config.batchSize) {
        signal?.throwIfAborted();
        const batch = indices.slice(first, first + config.batchSize).map((i) => train[i]!);
        const inputs = batchTensors(batch, shape, classes);
        lossSum += anticipationStep(head, optimizer, inputs, dropoutMasks);
        batches++;
        tf.dispose([inputs.spanning, inputs.recent, ...Object.values(inputs.targets)]);
      }
      epochLosses.push(lossSum / batches);
      onProgress?.({ epoch, epochs: config.epochs, loss: lossSum / batches });
    }
    const scores = predictScores(head, test, shape, config.batchSize, classes);
    const recall = (name: (typeof heads)[number]) =>
      classMeanTopKRecall(scores[name], Int32Array.from(test, (s) => s[name]), classes[name], k);
    const verb = recall('verb');
    const object = recall('object');
    const action = recall('action');
    return { verb, object, action, avg: (verb.recall + object.recall + action.recall) / 3, epochLosses, config };
  } finally {
    optimizer.dispose();
    head.dispose();
  }
}

/** A training batch: snippets [B, S, C] and [B, R, C], one-hot targets [B, classes]. */
export type AnticipationBatch = {
  spanning: tf.Tensor3D;
  recent: tf.Tensor3D;
  targets: Record<AnticipationTarget, tf.Tensor2D>;
};

/** One Adam step on a batch, dropout masks drawn from `random`; returns the loss. The batch stays the caller's. */
export function anticipationStep(head: TempAggHead, optimizer: AdamW, batch: AnticipationBatch, random: SeededRandom): number {
  const { loss, grads } = computeGradients(head.params, () => tf.tidy(() => head.loss(head.forward(batch.spanning, batch.recent, random), batch.targets)));
  optimizer.step(grads);
  const value = loss.dataSync()[0] as number;
  tf.dispose([loss, ...grads.values()]);
  return value;
}

type SampleShape = { spanning: number; recent: number; dim: number };

function sampleShape(sample: AnticipationSample): SampleShape {
  const dim = sample.featureDim;
  if (!Number.isInteger(dim) || dim < 1 || sample.spanning.length % dim !== 0 || sample.recent.length % dim !== 0) {
    throw new ArgumentError(
      `sample of scene ${sample.scene}: expected snippet arrays of whole ${dim}-value rows, got ${sample.spanning.length} and ${sample.recent.length} values`,
    );
  }
  return { spanning: sample.spanning.length / dim, recent: sample.recent.length / dim, dim };
}

function checkSample(sample: AnticipationSample, shape: SampleShape, classes: AnticipationClassCounts): void {
  if (sample.featureDim !== shape.dim || sample.spanning.length !== shape.spanning * shape.dim || sample.recent.length !== shape.recent * shape.dim) {
    throw new ArgumentError(
      `sample of scene ${sample.scene} at ${sample.segmentStart}: expected ${shape.spanning} spanning and ${shape.recent} recent snippets of ${shape.dim} values`,
    );
  }
  for (const name of heads) {
    const label = sample[name];
    if (!(Number.isInteger(label) && label >= 0 && label < classes[name])) {
      throw new ArgumentError(`sample of scene ${sample.scene} at ${sample.segmentStart}: expected ${name} in [0, ${classes[name]}), got ${label}`);
    }
  }
}

/** The batch's snippets as [B, S, C] and [B, R, C], and one-hot targets [B, classes] of each head. */
function batchTensors(batch: readonly AnticipationSample[], shape: SampleShape, classes: AnticipationClassCounts): AnticipationBatch {
  const B = batch.length;
  const spanning = new Float32Array(B * shape.spanning * shape.dim);
  const recent = new Float32Array(B * shape.recent * shape.dim);
  batch.forEach((sample, i) => {
    spanning.set(sample.spanning, i * shape.spanning * shape.dim);
    recent.set(sample.recent, i * shape.recent * shape.dim);
  });
  const oneHot = (name: (typeof heads)[number]) =>
    tf.tidy(() => tf.oneHot(tf.tensor1d(Int32Array.from(batch, (s) => s[name]), 'int32'), classes[name]).toFloat() as tf.Tensor2D);
  return {
    spanning: tf.tensor3d(spanning, [B, shape.spanning, shape.dim]),
    recent: tf.tensor3d(recent, [B, shape.recent, shape.dim]),
    targets: { verb: oneHot('verb'), object: oneHot('object'), action: oneHot('action') },
  };
}

function predictScores(
  head: TempAggHead,
  samples: readonly AnticipationSample[],
  shape: SampleShape,
  batchSize: number,
  classes: AnticipationClassCounts,
): Record<(typeof heads)[number], Float32Array> {
  const scores = {
    verb: new Float32Array(samples.length * classes.verb),
    object: new Float32Array(samples.length * classes.object),
    action: new Float32Array(samples.length * classes.action),
  };
  for (let first = 0; first < samples.length; first += batchSize) {
    const inputs = batchTensors(samples.slice(first, first + batchSize), shape, classes);
    const batchScores = tf.tidy(() => head.scores(head.forward(inputs.spanning, inputs.recent)));
    for (const name of heads) scores[name].set(batchScores[name].dataSync(), first * classes[name]);
    tf.dispose([inputs.spanning, inputs.recent, ...Object.values(inputs.targets), ...Object.values(batchScores)]);
  }
  return scores;
}

