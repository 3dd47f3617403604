// The ASFormer network (Yi, Wen & Jiang, BMVC 2021; github.com/ChinaYi/ASFormer, model.py: MyTransformer with
// sliding-window attention) on one video. Encoder: channel masking of the input, a 1×1 convolution to F feature
// maps, L AttModules, a 1×1 convolution to class logits. Each decoder s takes the previous stage's softmax
// (1×1 convolution from K to F) and L AttModules whose attention values come from the previous stage's
// features, weighted by α = exp(−3s). AttModule i (dilation and window b = 2^i):
//   h = ReLU(Conv_k3,d=b(x));  h = α·Att(InstanceNorm(h), f) + h;  out = x + Dropout(Conv1×1(h)),
// Att: q, k = 1×1 projections of the normalized h to F/r1 channels, v = of h (encoder) or f (decoder) to F/r2;
// the sequence is zero-padded to whole blocks of b frames and each block's queries attend to the keys of its
// window (the block and b/2 frames on either side); as in the authors' code the window mask covers the
// window's first 2b − 1 positions, the scores get log(mask + 1e−6) added, and the softmax is multiplied by the
// mask without renormalizing; the attended values pass ReLU and a 1×1 convolution back to F.
import * as tf from '@tensorflow/tfjs';
import { ArgumentError } from '../../../contract/errors';
import { SeededRandom } from '../../random/seededRandom';
import type { AsFormerConfig } from './asformerConfig';
import { stagesLoss } from './losses';
import { checkFrames, HeadParameters, type SegmentationNetwork, type TrainingPass } from './network';
import { instanceNorm } from './normalization';
import { channelDropout, conv1d, dropout, padTime } from './temporalOps';

/** A new network with PyTorch's default initialization, seeded. */
export function createAsFormer(inputDim: number, classes: number, config: AsFormerConfig, seed: number): SegmentationNetwork {
  if (!Number.isInteger(inputDim) || inputDim < 1) throw new ArgumentError(`expected inputDim >= 1, got ${inputDim}`);
  if (!Number.isInteger(classes) || classes < 2) throw new ArgumentError(`expected classes >= 2, got ${classes}`);
  const { layers, featureMaps: F, decoders } = config;
  const qk = F / config.queryKeyReduction;
  const v = F / config.valueReduction;
  const store = new HeadParameters(new SeededRandom(seed));
  const stageNames = ['encoder', ...Array.from({ length: decoders }, (_, s) => `decoders.${s}`)];
  stageNames.forEach((stage, s) => {
    store.conv(`${stage}.conv_1x1`, F, s === 0 ? inputDim : classes, 1);
    for (let i = 0; i < layers; i++) {
      const layer = `${stage}.layers.${i}`;
      store.conv(`${layer}.feed_forward.layer.0`, F, F, 3);
      store.conv(`${layer}.att_layer.query_conv`, qk, F, 1);
      store.conv(`${layer}.att_layer.key_conv`, qk, F, 1);
      store.conv(`${layer}.att_layer.value_conv`, v, F, 1);
      store.conv(`${layer}.att_layer.conv_out`, F, v, 1);
      store.conv(`${layer}.conv_1x1`, F, F, 1);
    }
    store.conv(`${stage}.conv_out`, classes, F, 1);
  });

  const conv = (name: string, x: tf.Tensor2D, dilation = 1) => conv1d(x, store.get(`${name}.weight`), store.get(`${name}.bias`), dilation);

  const attention = (layer: string, x: tf.Tensor2D, f: tf.Tensor2D | undefined, block: number) => {
    const N = x.shape[0];
    const blocks = Math.ceil(N / block);
    const padded = blocks * block;
    const query = padTime(conv(`${layer}.att_layer.query_conv`, x), 0, padded - N); // [nb·b, qk]
    const key = padTime(conv(`${layer}.att_layer.key_conv`, x), 0, padded - N);
    const value = padTime(conv(`${layer}.att_layer.value_conv`, f ?? x), 0, padded - N); // [nb·b, v]
    const q = tf.reshape(query, [blocks, block, qk]); // [nb, b, qk]
    const half = Math.floor(block / 2);
    const windowed = (t: tf.Tensor2D, channels: number): tf.Tensor3D => {
      if (half === 0) return tf.reshape(t, [blocks, block, channels]); // b = 1: the window is the block
      const around = tf.reshape(padTime(t, half, half), [blocks + 1, block, channels]); // [nb + 1, b, C]
      return tf.concat([tf.slice(around, [0, 0, 0], [blocks, block, channels]), tf.slice(around, [1, 0, 0], [blocks, block, channels])], 1) as tf.Tensor3D; // [nb, 2b, C]
    };
    const k = windowed(key, qk); // [nb, W, qk]
    const val = windowed(value, v); // [nb, W, v]
    const mask = windowMask(N, block, blocks); // [nb, 1, W]
    const energy = tf.div(tf.matMul(q, tf.transpose(k, [0, 2, 1])), Math.sqrt(qk)); // [nb, b, W]
    const weights = tf.mul(tf.softmax(tf.add(energy, tf.log(tf.add(mask, 1e-6)))), mask); // [nb, b, W]
    const attended = tf.reshape(tf.matMul(weights, val), [padded, v]) as tf.Tensor2D; // [nb·b, v]
    return tf.slice(conv(`${layer}.att_layer.conv_out`, tf.relu(attended)), [0, 0], [N, F]); // [N, F]
  };

  const attModule = (layer: string, i: number, x: tf.Tensor2D, f: tf.Tensor2D | undefined, alpha: number, pass?: TrainingPass) => {
    const dilation = 2 ** i;
    const h = tf.relu(conv(`${layer}.feed_forward.layer.0`, x, dilation)); // [N, F]
    const attended = tf.add(tf.mul(attention(layer, instanceNorm(h), f, dilation), alpha), h) as tf.Tensor2D;
    const out = conv(`${layer}.conv_1x1`, attended);
    return tf.add(x, pass ? dropout(out, config.dropout, pass.random) : out) as tf.Tensor2D;
  };

  const stage = (s: number, input: tf.Tensor2D, f: tf.Tensor2D | undefined, pass?: TrainingPass) => {
    const name = stageNames[s]!;
    const alpha = s === 0 ? 1 : Math.exp(-3 * (s - 1));
    let feature = conv(`${name}.conv_1x1`, input); // [N, F]
    for (let i = 0; i < layers; i++) feature = attModule(`${name}.layers.${i}`, i, feature, s === 0 ? undefined : f, alpha, pass);
    return { logits: conv(`${name}.conv_out`, feature), feature }; // [N, K], [N, F]
  };

  return {
    inputDim,
    classes,
    params: store.params,
    buffers: store.buffers,
    forward(frames: tf.Tensor2D, pass?: TrainingPass) {
      checkFrames(frames, inputDim);
      return tf.tidy(() => {
        const masked = pass ? channelDropout(frames, config.channelMaskRate, pass.random) : frames;
        let { logits, feature } = stage(0, masked, undefined, pass);
        const outputs = [logits];
        for (let s = 1; s <= decoders; s++) {
          ({ logits, feature } = stage(s, tf.softmax(logits), feature, pass));
          outputs.push(logits);
        }
        return outputs;
      });
    },
    loss(outputs, oneHotLabels) {
      return stagesLoss(outputs, oneHotLabels, config.smoothingWeight, config.smoothingClamp);
    },
    probabilities(outputs) {
      return tf.softmax(outputs[outputs.length - 1]!);
    },
    dispose() {
      store.dispose();
    },
  };
}

/**
 * ASFormer's sliding-window mask [nb, 1, W] for a sequence of N frames in blocks of b: window position c of
 * block j is frame j·b − ⌊b/2⌋ + c; it counts when that frame exists and c < 2b − 1 (the authors' window_mask
 * leaves its last column 0; for b = 1 the window is the block itself).
 */
function windowMask(N: number, block: number, blocks: number): tf.Tensor3D {
  const half = Math.floor(block / 2);
  const width = half === 0 ? block : 2 * block;
  const mask = new Float32Array(blocks * width);
  for (let j = 0; j < blocks; j++) {
    for (let c = 0; c < width; c++) {
      const frame = j * block - half + c;
      if (frame >= 0 && frame < N && (half === 0 || c < 2 * block - 1)) mask[j * width + c] = 1;
    }
  }
  return tf.tensor3d(mask, [blocks, 1, width]);
}
