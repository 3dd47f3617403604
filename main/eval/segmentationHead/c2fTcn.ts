// The C2F-TCN network (Singhania, Rahaman & Yao, 2021; github.com/dipika-singhania/C2F-TCN, model.py: C2F_TCN
// and train.py: get_c2f_ensemble_output, CriterionClass), for any number of levels. A double_conv block is two
// (Conv1d k=5 → BatchNorm1d → ReLU). Encoder: `inc` block, then per level a MaxPool1d(2) and a block
// (`down1…downL`); the TPP block at the bottleneck appends 4 channels (max-pools of 2, 3, 5 and 6 frames, a
// shared 1×1 convolution to one channel, each linearly upsampled back); decoder (`up`, `up0…`): ×2 linear
// upsampling (align_corners=True), zero padding to the skip's length, concatenation [skip, upsampled] and a
// block; every decoder step emits logits through a 1×1 convolution (`outcc0…`, the last `outcc`). The outputs
// are upsampled to the input's length; the prediction is their weighted softmax ensemble, and the loss is
// MS-TCN's on the ensemble's log-probabilities, as the authors train it. A video shorter than 6·2^L frames (the
// TPP's 6-frame pool at the bottleneck) is zero-padded at its end, as the authors pad every video, and cut back.
import * as tf from '@tensorflow/tfjs';
import { ArgumentError } from '../../../contract/errors';
import { SeededRandom } from '../../random/seededRandom';
import type { C2fTcnConfig } from './c2fTcnConfig';
import { segmentationLoss } from './losses';
import { checkFrames, HeadParameters, type SegmentationNetwork, type TrainingPass } from './network';
import { batchNorm } from './normalization';
import { conv1d, maxPool, padTime, resizeLinear } from './temporalOps';

/** TPP's pool sizes (C2F-TCN's TPPblock). */
const tppPools = [2, 3, 5, 6] as const;

/** The names of decoder step s (of L) and of its output convolution, as in C2F_TCN. */
function decoderNames(step: number, levels: number): { block: string; output: string } {
  return { block: step === 0 ? 'up' : `up${step - 1}`, output: step === levels - 1 ? 'outcc' : `outcc${step}` };
}

/** A new network with PyTorch's default initialization, seeded. */
export function createC2fTcn(inputDim: number, classes: number, config: C2fTcnConfig, seed: number): SegmentationNetwork {
  if (!Number.isInteger(inputDim) || inputDim < 1) throw new ArgumentError(`expected inputDim >= 1, got ${inputDim}`);
  if (!Number.isInteger(classes) || classes < 2) throw new ArgumentError(`expected classes >= 2, got ${classes}`);
  const { encoderChannels: channels, decoderChannels: dec, kernelSize: k, ensembleWeights } = config;
  const levels = channels.length - 1;
  const store = new HeadParameters(new SeededRandom(seed));
  const doubleConvParams = (name: string, cin: number, cout: number) => {
    store.conv(`${name}.conv.0`, cout, cin, k);
    store.batchNorm(`${name}.conv.1`, cout);
    store.conv(`${name}.conv.3`, cout, cout, k);
    store.batchNorm(`${name}.conv.4`, cout);
  };
  doubleConvParams('inc.conv', inputDim, channels[0]!);
  for (let l = 1; l <= levels; l++) doubleConvParams(`down${l}.max_pool_conv.1`, channels[l - 1]!, channels[l]!);
  for (let s = 0; s < levels; s++) {
    const { block, output } = decoderNames(s, levels);
    const below = s === 0 ? channels[levels]! + tppPools.length : dec;
    doubleConvParams(`${block}.conv`, channels[levels - 1 - s]! + below, dec);
    store.conv(`${output}.conv`, classes, dec, 1);
  }
  store.conv('tpp.conv', 1, channels[levels]!, 1);
  const minimumFrames = Math.max(...tppPools) * 2 ** levels;

  const conv = (name: string, x: tf.Tensor2D) => conv1d(x, store.get(`${name}.weight`), store.get(`${name}.bias`));
  /** BatchNorm1d → ReLU, fused. */
  const normRelu = (name: string, x: tf.Tensor2D, training: boolean) =>
    batchNorm(
      x,
      { weight: store.get(`${name}.weight`), bias: store.get(`${name}.bias`), runningMean: store.buffer(`${name}.running_mean`), runningVar: store.buffer(`${name}.running_var`) },
      training,
      'relu',
    );
  const doubleConv = (name: string, x: tf.Tensor2D, training: boolean) => {
    const h = normRelu(`${name}.conv.1`, conv(`${name}.conv.0`, x), training); // [T, cout]
    return normRelu(`${name}.conv.4`, conv(`${name}.conv.3`, h), training);
  };
  const tpp = (x: tf.Tensor2D) => {
    const t = x.shape[0];
    const pooled = tppPools.map((size) => resizeLinear(conv('tpp.conv', maxPool(x, size)), t)); // each [t, 1]
    return tf.concat([...pooled, x], 1) as tf.Tensor2D; // [t, C + 4]
  };
  const up = (name: string, x: tf.Tensor2D, skip: tf.Tensor2D, training: boolean) => {
    const upsampled = resizeLinear(x, 2 * x.shape[0]);
    const diff = skip.shape[0] - upsampled.shape[0];
    const aligned = padTime(upsampled, Math.floor(diff / 2), diff - Math.floor(diff / 2));
    return doubleConv(`${name}.conv`, tf.concat([skip, aligned], 1) as tf.Tensor2D, training);
  };

  return {
    inputDim,
    classes,
    params: store.params,
    buffers: store.buffers,
    forward(frames: tf.Tensor2D, pass?: TrainingPass) {
      checkFrames(frames, inputDim);
      const training = pass !== undefined;
      return tf.tidy(() => {
        const N = frames.shape[0];
        const length = Math.max(N, minimumFrames);
        const x = padTime(frames, 0, length - N); // [N', F]
        const skips: tf.Tensor2D[] = [doubleConv('inc.conv', x, training)]; // level l: [⌊N'/2^l⌋, c_l]
        for (let l = 1; l <= levels; l++) skips.push(doubleConv(`down${l}.max_pool_conv.1`, maxPool(skips[l - 1]!, 2), training));
        let h = tpp(skips[levels]!);
        const logits: tf.Tensor2D[] = [];
        for (let s = 0; s < levels; s++) {
          const { block, output } = decoderNames(s, levels);
          h = up(block, h, skips[levels - 1 - s]!, training); // [⌊N'/2^(L−1−s)⌋, dec]
          const out = resizeLinear(conv(`${output}.conv`, h), length); // [N', K]
          logits.unshift(tf.slice(out, [0, 0], [N, classes])); // [N, K], finest first
        }
        return logits;
      });
    },
    loss(outputs, oneHotLabels) {
      return tf.tidy(() => {
        const logProbabilities = tf.log(tf.add(ensembleProbabilities(outputs, ensembleWeights), 1e-10)) as tf.Tensor2D;
        return segmentationLoss([logProbabilities], oneHotLabels, config.smoothingWeight, config.smoothingClamp);
      });
    },
    probabilities(outputs) {
      return ensembleProbabilities(outputs, ensembleWeights);
    },
    dispose() {
      store.dispose();
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
