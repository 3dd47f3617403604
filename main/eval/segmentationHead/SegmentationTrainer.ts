// Training and prediction of a segmentation head (C2F-TCN, ASFormer or LTContext) on single sequences: one Adam
// step per video (or chunk) on the head's own loss (MS-TCN's cross-entropy + λ·smoothing over its outputs), with
// the authors' L2 weight decay, dropout and batch statistics on, optionally through a frame encoder whose
// variables train jointly with the head at their own learning rate (EVGAP fine-tuned, +random); the learning
// rate follows the head's schedule from epoch to epoch; prediction is the argmax of the head's probabilities
// in evaluation mode. Every step frees what it created: tf.memory().numTensors is the same before and after a
// step once the optimizers hold their moments.
import * as tf from '@tensorflow/tfjs';
import { ArgumentError } from '../../../contract/errors';
import { SeededRandom } from '../../random/seededRandom';
import { AdamW, computeGradients } from '../../engine/optim/adamw';
import type { TrainableFrameEncoder } from '../frameFeatures/frameFeatureInputs';
import type { SegmentationHeadConfigs, SegmentationHeadName } from './config';
import { createSegmentationNetwork } from './heads';
import type { SegmentationNetwork } from './network';
import { LearningRateScheduler } from './schedule';

export interface SegmentationTrainerOptions<H extends SegmentationHeadName = SegmentationHeadName> {
  head: H;
  /** Feature size of the sequences given to step and predict (the raw size when `trainable` is given). */
  inputDim: number;
  classes: number;
  config: SegmentationHeadConfigs[H];
  /** Seeds the head's initial weights and its dropout masks. */
  seed: number;
  /** A frame encoder trained jointly with the head; its variables are updated in place. */
  trainable?: TrainableFrameEncoder;
}

const pytorchAdam = { beta1: 0.9, beta2: 0.999, epsilon: 1e-8 } as const;

export class SegmentationTrainer {
  readonly head: SegmentationNetwork;
  readonly inputDim: number;
  readonly #trainable: TrainableFrameEncoder | undefined;
  readonly #headOptimizer: AdamW;
  readonly #encoderOptimizer: AdamW | undefined;
  readonly #allParams = new Map<string, tf.Variable>();
  readonly #scheduler: LearningRateScheduler;
  readonly #dropout: SeededRandom;

  constructor({ head, inputDim, classes, config, seed, trainable }: SegmentationTrainerOptions) {
    if (trainable !== undefined && trainable.inputDim !== inputDim) {
      throw new ArgumentError(`expected inputDim = the frame encoder's inputDim ${trainable.inputDim}, got ${inputDim}`);
    }
    this.inputDim = inputDim;
    this.#trainable = trainable;
    this.head = createSegmentationNetwork(head, trainable?.outputDim ?? inputDim, classes, config, seed);
    this.#headOptimizer = new AdamW(this.head.params, { lr: config.lr, weightDecay: 0, l2: config.weightDecay, ...pytorchAdam });
    this.#scheduler = new LearningRateScheduler(config.schedule, config.lr);
    this.#dropout = new SeededRandom(seed ^ 0x2c1b3c6d);
    for (const [name, variable] of this.head.params) this.#allParams.set(`head.${name}`, variable);
    if (trainable !== undefined) {
      this.#encoderOptimizer = new AdamW(trainable.params, { lr: config.encoderLr, weightDecay: 0, ...pytorchAdam });
      for (const [name, variable] of trainable.params) this.#allParams.set(`encoder.${name}`, variable);
    }
  }

  /** One optimizer step on one sequence (features [N, inputDim] row-major, labels [N]); returns the loss. */
  step(features: Float32Array, labels: Int32Array): number {
    const frames = this.#checkSequence(features, labels);
    const x = tf.tensor2d(features, [frames, this.inputDim]);
    const target = tf.tidy(() => tf.oneHot(tf.tensor1d(labels, 'int32'), this.head.classes).toFloat() as tf.Tensor2D);
    const pass = { random: this.#dropout };
    const { loss, grads } = computeGradients(this.#allParams, () => tf.tidy(() => this.head.loss(this.head.forward(this.#encode(x), pass), target)));
    const headGrads = new Map<string, tf.Tensor>();
    const encoderGrads = new Map<string, tf.Tensor>();
    for (const [name, grad] of grads) {
      if (name.startsWith('head.')) headGrads.set(name.slice('head.'.length), grad);
      else encoderGrads.set(name.slice('encoder.'.length), grad);
    }
    this.#headOptimizer.step(headGrads);
    if (this.#encoderOptimizer !== undefined && encoderGrads.size > 0) this.#encoderOptimizer.step(encoderGrads);
    const value = loss.dataSync()[0] as number;
    tf.dispose([x, target, loss, ...grads.values()]);
    return value;
  }

  /** The head's most probable class of every frame of a sequence (features [N, inputDim]), in evaluation mode. */
  predict(features: Float32Array): Int32Array {
    if (features.length === 0 || features.length % this.inputDim !== 0) {
      throw new ArgumentError(`expected features of N × ${this.inputDim} values, got ${features.length}`);
    }
    const frames = features.length / this.inputDim;
    const predicted = tf.tidy(() => tf.argMax(this.head.probabilities(this.head.forward(this.#encode(tf.tensor2d(features, [frames, this.inputDim])))), 1));
    const labels = Int32Array.from(predicted.dataSync());
    predicted.dispose();
    return labels;
  }

  /** Ends an epoch whose mean training loss was `loss`: moves the head's learning rate along its schedule. */
  endEpoch(loss: number): void {
    this.#headOptimizer.learningRate = this.#scheduler.endEpoch(loss);
  }

  /** The head's current learning rate. */
  get learningRate(): number {
    return this.#headOptimizer.learningRate;
  }

  /** Frees the head and the optimizers' moments (a jointly trained encoder stays its owner's). */
  dispose(): void {
    this.#headOptimizer.dispose();
    this.#encoderOptimizer?.dispose();
    this.head.dispose();
  }

  #encode(x: tf.Tensor2D): tf.Tensor2D {
    return this.#trainable === undefined ? x : this.#trainable.apply(x);
  }

  #checkSequence(features: Float32Array, labels: Int32Array): number {
    const frames = labels.length;
    if (frames < 1) throw new ArgumentError('expected a sequence of at least one frame, got 0 labels');
    if (features.length !== frames * this.inputDim) {
      throw new ArgumentError(`expected features of ${frames} × ${this.inputDim} values (one row per label), got ${features.length}`);
    }
    for (let t = 0; t < frames; t++) {
      const label = labels[t]!;
      if (!(label >= 0 && label < this.head.classes)) {
        throw new ArgumentError(`expected labels in [0, ${this.head.classes}), got ${label} at frame ${t}`);
      }
    }
    return frames;
  }
}
