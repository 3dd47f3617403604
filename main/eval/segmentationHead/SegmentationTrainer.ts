// Training and prediction of the segmentation head on single sequences: one Adam step per video (or chunk) on
// L = Σ_outputs (cross-entropy + λ·smoothing) (losses.ts), optionally through a frame encoder whose variables
// train jointly with the head at their own learning rate (EVGAP fine-tuned, +random); prediction is the argmax
// of C2F-TCN's ensemble of decoder outputs. Every step frees what it created: tf.memory().numTensors is the
// same before and after a step once the optimizers hold their moments.
import * as tf from '@tensorflow/tfjs';
import { ArgumentError } from '../../../contract/errors';
import { AdamW, computeGradients } from '../../engine/optim/adamw';
import type { TrainableFrameEncoder } from '../frameFeatures/frameFeatureInputs';
import { createC2fTcn, ensembleProbabilities, type C2fTcn } from './c2fTcn';
import type { SegmentationHeadConfig } from './config';
import { segmentationLoss } from './losses';

export interface SegmentationTrainerOptions {
  /** Feature size of the sequences given to step and predict (the raw size when `trainable` is given). */
  inputDim: number;
  classes: number;
  config: SegmentationHeadConfig;
  /** Seeds the head's initial weights. */
  seed: number;
  /** A frame encoder trained jointly with the head; its variables are updated in place. */
  trainable?: TrainableFrameEncoder;
}

const pytorchAdam = { beta1: 0.9, beta2: 0.999, epsilon: 1e-8 } as const;

export class SegmentationTrainer {
  readonly head: C2fTcn;
  readonly inputDim: number;
  readonly #config: SegmentationHeadConfig;
  readonly #trainable: TrainableFrameEncoder | undefined;
  readonly #headOptimizer: AdamW;
  readonly #encoderOptimizer: AdamW | undefined;
  readonly #allParams = new Map<string, tf.Variable>();

  constructor({ inputDim, classes, config, seed, trainable }: SegmentationTrainerOptions) {
    if (trainable !== undefined && trainable.inputDim !== inputDim) {
      throw new ArgumentError(`expected inputDim = the frame encoder's inputDim ${trainable.inputDim}, got ${inputDim}`);
    }
    this.inputDim = inputDim;
    this.#config = config;
    this.#trainable = trainable;
    this.head = createC2fTcn(trainable?.outputDim ?? inputDim, classes, config, seed);
    this.#headOptimizer = new AdamW(this.head.params, { lr: config.lr, weightDecay: config.weightDecay, ...pytorchAdam, decays: (name) => name.endsWith('.weight') });
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
    const { smoothingWeight, smoothingClamp } = this.#config;
    const { loss, grads } = computeGradients(this.#allParams, () =>
      tf.tidy(() => segmentationLoss(this.head.forward(this.#encode(x)), target, smoothingWeight, smoothingClamp)),
    );
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

  /** The ensemble's most probable class of every frame of a sequence (features [N, inputDim]). */
  predict(features: Float32Array): Int32Array {
    if (features.length === 0 || features.length % this.inputDim !== 0) {
      throw new ArgumentError(`expected features of N × ${this.inputDim} values, got ${features.length}`);
    }
    const frames = features.length / this.inputDim;
    const predicted = tf.tidy(() => {
      const outputs = this.head.forward(this.#encode(tf.tensor2d(features, [frames, this.inputDim])));
      return tf.argMax(ensembleProbabilities(outputs, this.#config.ensembleWeights), 1);
    });
    const labels = Int32Array.from(predicted.dataSync());
    predicted.dispose();
    return labels;
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
