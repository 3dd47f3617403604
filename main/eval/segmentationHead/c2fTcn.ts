// The C2F-TCN-style network (Singhania et al. 2021; see config.ts): a 1-D temporal encoder-decoder over one
// video's per-frame features. Encoder: an input block, then per level a max-pool ×2 and a block; decoder: per
// level a linear ×2 upsampling, the concatenation with the encoder's output of that resolution (skip) and a
// block; every decoder level emits class logits through a 1×1 convolution. A block is C2F-TCN's double_conv
// (two convolutions of kernel k, each followed by ReLU). Left out of the published network: BatchNorm (a batch
// here is one video; He initialization keeps activations in range instead) and the TPP block at the
// bottleneck. The sequence is padded to a multiple of 2^levels by repeating its last frame, and every output is
// upsampled to the padded length and cut back to the video's frames.
import * as tf from '@tensorflow/tfjs';
import { ArgumentError } from '../../../contract/errors';
import { SeededRandom } from '../../engine/encoder/random';
import type { SegmentationHeadConfig } from './config';
import { conv1d, maxPoolPairs, padEndByRepeating, upsamplePairs } from './temporalOps';

export interface C2fTcn {
  readonly inputDim: number;
  readonly classes: number;
  readonly levels: number;
  /** The trainable variables by name (`<block>.<conv>.weight|bias`). */
  readonly params: Map<string, tf.Variable>;
  /** Class logits of every decoder level for frames [N, inputDim], each [N, classes], finest first; caller owns. */
  forward(frames: tf.Tensor2D): tf.Tensor2D[];
  dispose(): void;
}

type ConvShape = { name: string; cin: number; cout: number; kernel: number; relu: boolean };

/** The layer plan: names and sizes of every convolution, in creation order. */
function convolutionPlan(inputDim: number, classes: number, config: SegmentationHeadConfig): ConvShape[] {
  const { encoderChannels: channels, decoderChannels: dec, kernelSize: k } = config;
  const levels = channels.length - 1;
  const plan: ConvShape[] = [];
  const block = (name: string, cin: number, cout: number) => {
    plan.push({ name: `${name}.conv1`, cin, cout, kernel: k, relu: true });
    plan.push({ name: `${name}.conv2`, cin: cout, cout, kernel: k, relu: true });
  };
  block('inc', inputDim, channels[0]!);
  for (let l = 1; l <= levels; l++) block(`down${l}`, channels[l - 1]!, channels[l]!);
  for (let l = levels - 1; l >= 0; l--) {
    const below = l === levels - 1 ? channels[levels]! : dec;
    block(`up${l}`, channels[l]! + below, dec);
    plan.push({ name: `out${l}`, cin: dec, cout: classes, kernel: 1, relu: false });
  }
  return plan;
}

/** A new network with seeded He-uniform weights (PyTorch's default bound 1/√fan_in for the 1×1 output layers). */
export function createC2fTcn(inputDim: number, classes: number, config: SegmentationHeadConfig, seed: number): C2fTcn {
  if (!Number.isInteger(inputDim) || inputDim < 1) throw new ArgumentError(`expected inputDim >= 1, got ${inputDim}`);
  if (!Number.isInteger(classes) || classes < 2) throw new ArgumentError(`expected classes >= 2, got ${classes}`);
  const plan = convolutionPlan(inputDim, classes, config);
  const random = new SeededRandom(seed);
  const params = new Map<string, tf.Variable>();
  for (const { name, cin, cout, kernel, relu } of plan) {
    const fanIn = cin * kernel;
    const bound = relu ? Math.sqrt(6 / fanIn) : 1 / Math.sqrt(fanIn);
    const weight = random.uniformArray(cin * kernel * cout, bound);
    params.set(`${name}.weight`, tf.tidy(() => tf.variable(tf.tensor2d(weight, [cin, kernel * cout]), true)));
    params.set(`${name}.bias`, tf.tidy(() => tf.variable(tf.zeros([cout]), true)));
  }
  const levels = config.encoderChannels.length - 1;
  let disposed = false;

  const apply = (name: string, x: tf.Tensor2D, kernel: number, relu: boolean): tf.Tensor2D => {
    if (disposed) throw new Error('the segmentation head was disposed');
    const y = conv1d(x, params.get(`${name}.weight`) as tf.Variable as tf.Tensor2D, params.get(`${name}.bias`) as tf.Variable as tf.Tensor1D, kernel);
    return relu ? tf.relu(y) : y;
  };
  const block = (name: string, x: tf.Tensor2D) =>
    apply(`${name}.conv2`, apply(`${name}.conv1`, x, config.kernelSize, true), config.kernelSize, true);

  return {
    inputDim,
    classes,
    levels,
    params,
    forward(frames) {
      if (frames.rank !== 2 || frames.shape[1] !== inputDim || frames.shape[0] < 1) {
        throw new ArgumentError(`expected head input of shape [N >= 1, ${inputDim}], got [${frames.shape.join(', ')}]`);
      }
      return tf.tidy(() => {
        const N = frames.shape[0];
        const unit = 2 ** levels;
        const padded = padEndByRepeating(frames, Math.ceil(N / unit) * unit); // [N', F]
        const skips: tf.Tensor2D[] = [block('inc', padded)]; // level l: [N'/2^l, c_l]
        for (let l = 1; l <= levels; l++) skips.push(block(`down${l}`, maxPoolPairs(skips[l - 1]!)));
        let h = skips[levels]!;
        const logits: tf.Tensor2D[] = [];
        for (let l = levels - 1; l >= 0; l--) {
          h = block(`up${l}`, tf.concat([skips[l]!, upsamplePairs(h)], 1) as tf.Tensor2D); // [N'/2^l, dec]
          let out = apply(`out${l}`, h, 1, false); // [N'/2^l, K]
          for (let u = 0; u < l; u++) out = upsamplePairs(out);
          logits.unshift(tf.slice(out, [0, 0], [N, classes])); // [N, K]
        }
        return logits;
      });
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      for (const variable of params.values()) variable.dispose();
    },
  };
}

/** C2F-TCN's ensemble: Σ_i w_i·softmax(logits_i) / Σ_i w_i, [N, K]; the caller owns the result. */
export function ensembleProbabilities(logits: readonly tf.Tensor2D[], weights: readonly number[]): tf.Tensor2D {
  if (logits.length !== weights.length) throw new ArgumentError(`expected ${logits.length} ensemble weights, got ${weights.length}`);
  const total = weights.reduce((a, b) => a + b, 0);
  return tf.tidy(() => {
    let sum: tf.Tensor2D | undefined;
    logits.forEach((l, i) => {
      const w = weights[i]!;
      if (w === 0) return;
      const term = tf.mul(tf.softmax(l), w / total) as tf.Tensor2D;
      sum = sum === undefined ? term : (tf.add(sum, term) as tf.Tensor2D);
    });
    return sum as tf.Tensor2D;
  });
}
