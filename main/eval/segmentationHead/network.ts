// What every segmentation head is to its trainer (SegmentationTrainer.ts): a network over one video's frames
// [N, F] that returns class logits [N, K] for each of its outputs (stages, or decoder resolutions), its authors'
// training loss over those outputs, and the per-frame class probabilities it predicts with. Its parameters are
// named and shaped as in the authors' PyTorch state_dict (Conv1d weights [Cout, Cin, k]), so their checkpoints
// load by name and the parity fixtures (python/parity/heads_parity.py) compare weight for weight.
import * as tf from '@tensorflow/tfjs';
import { ArgumentError } from '../../../contract/errors';
import type { SeededRandom } from '../../random/seededRandom';

/** A training forward pass: dropout and batch statistics on, drawing its masks from `random`. */
export type TrainingPass = { random: SeededRandom };

export interface SegmentationNetwork {
  readonly inputDim: number;
  readonly classes: number;
  /** Trainable variables by their PyTorch names. */
  readonly params: Map<string, tf.Variable>;
  /** Non-trainable state by PyTorch name (BatchNorm running statistics); empty for heads without any. */
  readonly buffers: Map<string, tf.Variable>;
  /** Logits [N, classes] of every output for frames [N, inputDim], in the authors' order; the caller owns them. */
  forward(frames: tf.Tensor2D, training?: TrainingPass): tf.Tensor2D[];
  /** The authors' training loss of forward's outputs against one-hot labels [N, classes]. */
  loss(outputs: readonly tf.Tensor2D[], oneHotLabels: tf.Tensor2D): tf.Scalar;
  /** Per-frame class probabilities [N, classes] that predictions take the argmax of; the caller owns them. */
  probabilities(outputs: readonly tf.Tensor2D[]): tf.Tensor2D;
  dispose(): void;
}

/** Creates a network's named variables with PyTorch's default initializations, drawn from a seeded generator. */
export class HeadParameters {
  readonly params = new Map<string, tf.Variable>();
  readonly buffers = new Map<string, tf.Variable>();
  readonly #random: SeededRandom;
  #disposed = false;

  constructor(random: SeededRandom) {
    this.#random = random;
  }

  /** Conv1d(cin, cout, k): weight [cout, cin, k] and bias [cout], both U(±1/√(cin·k)) as PyTorch initializes them. */
  conv(name: string, cout: number, cin: number, kernel: number): void {
    const bound = 1 / Math.sqrt(cin * kernel);
    this.#add(this.params, `${name}.weight`, tf.tensor3d(this.#random.uniformArray(cout * cin * kernel, bound), [cout, cin, kernel]));
    this.#add(this.params, `${name}.bias`, tf.tensor1d(this.#random.uniformArray(cout, bound)));
  }

  /** BatchNorm1d(channels): weight 1, bias 0, running mean 0 and variance 1. */
  batchNorm(name: string, channels: number): void {
    this.#add(this.params, `${name}.weight`, tf.ones([channels]));
    this.#add(this.params, `${name}.bias`, tf.zeros([channels]));
    this.#add(this.buffers, `${name}.running_mean`, tf.zeros([channels]));
    this.#add(this.buffers, `${name}.running_var`, tf.ones([channels]));
  }

  /** A parameter or buffer by name, as a tensor for the forward pass. */
  get<T extends tf.Tensor>(name: string): T {
    if (this.#disposed) throw new Error('the segmentation head was disposed');
    const variable = this.params.get(name) ?? this.buffers.get(name);
    if (variable === undefined) throw new ArgumentError(`the segmentation head has no parameter ${name}`);
    return variable as tf.Tensor as T;
  }

  /** A buffer as the variable it is (to update in place). */
  buffer(name: string): tf.Variable {
    const variable = this.buffers.get(name);
    if (variable === undefined) throw new ArgumentError(`the segmentation head has no buffer ${name}`);
    return variable;
  }

  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    for (const variable of [...this.params.values(), ...this.buffers.values()]) variable.dispose();
  }

  #add(map: Map<string, tf.Variable>, name: string, value: tf.Tensor): void {
    map.set(name, tf.variable(value, map === this.params));
    value.dispose();
  }
}

/** Checks a head's input: frames [N >= 1, inputDim]. */
export function checkFrames(frames: tf.Tensor, inputDim: number): void {
  if (frames.rank !== 2 || frames.shape[1] !== inputDim || frames.shape[0]! < 1) {
    throw new ArgumentError(`expected head input of shape [N >= 1, ${inputDim}], got [${frames.shape.join(', ')}]`);
  }
}
