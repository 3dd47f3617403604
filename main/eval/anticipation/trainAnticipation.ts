// The action anticipation evaluation (docs/method.md, "Evaluation"): train the TempAgg-style head on the train
// scenes' samples with the sum of the verb, object and action cross-entropies (Adam, seeded minibatches), then
// score the test samples by class-mean Top-5 recall for verb, object and action.
import * as tf from '@tensorflow/tfjs';
import { ArgumentError } from '../../../contract/errors';
import { SeededRandom } from '../../engine/encoder/random';
import { AdamW, computeGradients } from '../../engine/optim/adamw';
import { classMeanTopKRecall, type ClassMeanRecall } from './classMeanRecall';
import { resolveAnticipationConfig, type AnticipationConfig } from './config';
import type { AnticipationSample } from './samples';
import { createTempAggHead, type AnticipationClassCounts, type AnticipationLogits, type TempAggHead } from './tempAggHead';

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

const heads = ['verb', 'object', 'action'] as const;

/** Trains a head on `train` and returns the class-mean Top-k recalls on `test`. */
export function trainAnticipation(options: TrainAnticipationOptions): AnticipationResult {
  const { train, test, classes, seed, onProgress, signal, k = 5 } = options;
  const config = resolveAnticipationConfig(options.config);
  if (train.length === 0) throw new ArgumentError('expected at least one training sample, got none');
  if (test.length === 0) throw new ArgumentError('expected at least one test sample, got none');
  const shape = sampleShape(train[0]!);
  for (const sample of [...train, ...test]) checkSample(sample, shape, classes);
  const head = createTempAggHead(shape.dim, config.hiddenDim, classes, seed);
  const optimizer = new AdamW(head.params, { lr: config.lr, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0 });
  const order = new SeededRandom(seed ^ 0x5bd1e995);
  const epochLosses: number[] = [];
  try {
    for (let epoch = 1; epoch <= config.epochs; epoch++) {
      const indices = shuffled(train.length, order);
      let lossSum = 0;
      let batches = 0;
      for (let first = 0; first < indices.length; first += config.batchSize) {
        signal?.throwIfAborted();
        const batch = indices.slice(first, first + config.batchSize).map((i) => train[i]!);
        const inputs = batchTensors(batch, shape, classes);
        const { loss, grads } = computeGradients(head.params, () =>
          tf.tidy(() => {
            const logits = head.forward(inputs.spanning, inputs.recent);
            return tf.addN(heads.map((name) => tf.losses.softmaxCrossEntropy(inputs.targets[name], logits[name]))) as tf.Scalar;
          }),
        );
        optimizer.step(grads);
        lossSum += loss.dataSync()[0] as number;
        batches++;
        tf.dispose([loss, ...grads.values(), inputs.spanning, inputs.recent, ...Object.values(inputs.targets)]);
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
function batchTensors(batch: readonly AnticipationSample[], shape: SampleShape, classes: AnticipationClassCounts) {
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
    const logits: AnticipationLogits = head.forward(inputs.spanning, inputs.recent);
    for (const name of heads) scores[name].set(logits[name].dataSync(), first * classes[name]);
    tf.dispose([inputs.spanning, inputs.recent, ...Object.values(inputs.targets), logits.verb, logits.object, logits.action]);
  }
  return scores;
}

function shuffled(count: number, random: SeededRandom): number[] {
  const indices = Array.from({ length: count }, (_, i) => i);
  for (let i = count - 1; i > 0; i--) {
    const j = Math.floor(random.uniform() * (i + 1));
    [indices[i], indices[j]] = [indices[j]!, indices[i]!];
  }
  return indices;
}
