// The LTContext network (Bahrami, Francesca & Gall, ICCV 2023; github.com/LTContext/LTContext,
// ltc/model/ltcontext.py, multi_head_attention.py, attention_utils.py) on one video. Stage 1: channel masking of
// the input, a 1×1 projection to D channels, L LTContext blocks, a 1×1 convolution to class logits; its features
// are reduced to D/2 channels (`dim_reduction`) for the next stage. Each later stage takes the previous stage's
// softmax, with attention values from the previous stage's features. Block i:
//   h = GELU(Conv_k3,d=2^i(x));  h = WA(N(h), f) + h;  h = LTA(N(h), f) + h;  out = x + Dropout(Conv1×1(h)),
// N = InstanceNorm1d or the identity. Both attentions are single-projection multi-head attention (q, k from the
// block's h, v from h in stage 1 or from f later; 1×1 projections to D/2 channels; softmax(q·kᵀ/√d_head) with
// padded frames masked out; GELU and a 1×1 convolution back to D). WA (windowed attention): the sequence is
// zero-padded to whole windows of W frames and each window's queries attend to the 2W frames around it (W/2
// on either side). LTA (long-term context attention): padded to whole groups of G frames, frame t attends to
// the frames t mod G + n·G, every G-th frame of the whole video.
import * as tf from '@tensorflow/tfjs';
import { ArgumentError } from '../../../contract/errors';
import { SeededRandom } from '../../random/seededRandom';
import { stagesLoss } from './losses';
import type { LtContextConfig } from './ltcontextConfig';
import { checkFrames, HeadParameters, type SegmentationNetwork, type TrainingPass } from './network';
import { instanceNorm } from './normalization';
import { channelDropout, conv1d, dropout, gelu, padTime } from './temporalOps';

/** A score that no frame's attention survives (finite, so a fully masked padding row stays a number). */
const masked = -1e9;

/** A new network with PyTorch's default initialization, seeded. */
export function createLtContext(inputDim: number, classes: number, config: LtContextConfig, seed: number): SegmentationNetwork {
  if (!Number.isInteger(inputDim) || inputDim < 1) throw new ArgumentError(`expected inputDim >= 1, got ${inputDim}`);
  if (!Number.isInteger(classes) || classes < 2) throw new ArgumentError(`expected classes >= 2, got ${classes}`);
  const { layers, stages, heads } = config;
  const reduced = Math.floor(config.modelDim / config.dimReduction);
  const store = new HeadParameters(new SeededRandom(seed));
  const stageNames = ['stage1', ...Array.from({ length: stages - 1 }, (_, s) => `stages.${s}`)];
  const stageDim = (s: number) => (s === 0 ? config.modelDim : reduced);
  stageNames.forEach((stage, s) => {
    const D = stageDim(s);
    store.conv(`${stage}.input_proj`, D, s === 0 ? inputDim : classes, 1);
    for (let i = 0; i < layers; i++) {
      const block = `${stage}.layers.${i}`;
      store.conv(`${block}.dilated_conv.dilated_conv`, D, D, 3);
      for (const attention of ['windowed_attn', 'ltc_attn']) {
        for (const projection of ['proj_q', 'proj_k', 'proj_v']) store.conv(`${block}.${attention}.attn.${projection}`, D / 2, D, 1);
        store.conv(`${block}.${attention}.attn.proj.1`, D, D / 2, 1);
      }
      store.conv(`${block}.out_linear`, D, D, 1);
    }
    store.conv(`${stage}.out_proj`, classes, D, 1);
  });
  store.conv('dim_reduction', reduced, config.modelDim, 1);

  const conv = (name: string, x: tf.Tensor2D, dilation = 1) => conv1d(x, store.get(`${name}.weight`), store.get(`${name}.bias`), dilation);
  const norm = (x: tf.Tensor2D) => (config.instanceNorm ? instanceNorm(x) : x);

  /**
   * Multi-head attention of query groups [G, Lq, ·] over key groups [G, Lk, ·] (values from `values`), keys
   * masked where keyMask [G, 1, Lk] is 0; returns the projected output [G, Lq, D].
   */
  const attend = (name: string, queries: tf.Tensor3D, keys: tf.Tensor3D, values: tf.Tensor3D, keyMask: tf.Tensor3D, D: number, pass?: TrainingPass) => {
    const [groups, Lq] = queries.shape;
    const Lk = keys.shape[1];
    const project = (projection: string, x: tf.Tensor3D) => {
      const [g, l, c] = x.shape;
      return tf.reshape(conv(`${name}.${projection}`, tf.reshape(x, [g * l, c])), [g, l, heads, D / 2 / heads]); // [g, l, H, dh]
    };
    const dh = D / 2 / heads;
    const q = tf.transpose(project('proj_q', queries), [0, 2, 1, 3]); // [g, H, Lq, dh]
    const k = tf.transpose(project('proj_k', keys), [0, 2, 3, 1]); // [g, H, dh, Lk]
    const v = tf.transpose(project('proj_v', values), [0, 2, 1, 3]); // [g, H, Lk, dh]
    const bias = tf.reshape(tf.mul(tf.sub(1, keyMask), masked), [groups, 1, 1, Lk]); // 0 or −1e9
    let weights = tf.softmax(tf.add(tf.matMul(tf.div(q, Math.sqrt(dh)), k), bias)); // [g, H, Lq, Lk]
    if (pass) weights = dropout(weights, config.attentionDropout, pass.random);
    const context = tf.reshape(tf.transpose(tf.matMul(weights, v), [0, 2, 1, 3]), [groups * Lq, D / 2]) as tf.Tensor2D; // [g·Lq, D/2]
    const out = conv(`${name}.proj.1`, gelu(context)); // [g·Lq, D]
    return tf.reshape(pass ? dropout(out, config.outputDropout, pass.random) : out, [groups, Lq, D]);
  };

  /** Windowed attention over x [N, D] (values from f [N, D] if given). */
  const windowedAttention = (name: string, x: tf.Tensor2D, f: tf.Tensor2D | undefined, D: number, pass?: TrainingPass) => {
    const N = x.shape[0];
    const W = config.windowSize;
    const windows = Math.ceil(N / W);
    const queries = tf.reshape(padTime(x, 0, windows * W - N), [windows, W, D]) as tf.Tensor3D; // [nw, W, D]
    const around = (t: tf.Tensor2D) => {
      const C = t.shape[1];
      const blocks = tf.reshape(padTime(t, W / 2, windows * W - N + W / 2), [windows + 1, W, C]); // [nw + 1, W, C]
      return tf.concat([tf.slice(blocks, [0, 0, 0], [windows, W, C]), tf.slice(blocks, [1, 0, 0], [windows, W, C])], 1) as tf.Tensor3D; // [nw, 2W, C]
    };
    const mask = new Float32Array(windows * 2 * W);
    for (let j = 0; j < windows; j++) for (let c = 0; c < 2 * W; c++) mask[j * 2 * W + c] = j * W - W / 2 + c >= 0 && j * W - W / 2 + c < N ? 1 : 0;
    const keys = around(x);
    const out = attend(name, queries, keys, f ? around(f) : keys, tf.tensor3d(mask, [windows, 1, 2 * W]), D, pass); // [nw, W, D]
    return tf.slice(tf.reshape(out, [windows * W, D]), [0, 0], [N, D]);
  };

  /** Long-term context attention over x [N, D]: frames G apart attend to each other. */
  const longTermAttention = (name: string, x: tf.Tensor2D, f: tf.Tensor2D | undefined, D: number, pass?: TrainingPass) => {
    const N = x.shape[0];
    const G = config.longTermStride;
    const patches = Math.ceil(N / G);
    const strided = (t: tf.Tensor2D) => tf.transpose(tf.reshape(padTime(t, 0, patches * G - N), [patches, G, t.shape[1]]), [1, 0, 2]) as tf.Tensor3D; // [G, np, C]
    const mask = new Float32Array(G * patches);
    for (let j = 0; j < G; j++) for (let n = 0; n < patches; n++) mask[j * patches + n] = j + n * G < N ? 1 : 0;
    const keys = strided(x);
    const out = attend(name, keys, keys, f ? strided(f) : keys, tf.tensor3d(mask, [G, 1, patches]), D, pass); // [G, np, D]
    return tf.slice(tf.reshape(tf.transpose(out, [1, 0, 2]), [patches * G, D]), [0, 0], [N, D]);
  };

  const block = (name: string, i: number, x: tf.Tensor2D, f: tf.Tensor2D | undefined, D: number, pass?: TrainingPass) => {
    let h = gelu(conv(`${name}.dilated_conv.dilated_conv`, x, config.dilationFactor ** i)); // [N, D]
    h = tf.add(windowedAttention(`${name}.windowed_attn.attn`, norm(h), f, D, pass), h);
    h = tf.add(longTermAttention(`${name}.ltc_attn.attn`, norm(h), f, D, pass), h);
    const out = conv(`${name}.out_linear`, h);
    return tf.add(pass ? dropout(out, config.dropout, pass.random) : out, x) as tf.Tensor2D;
  };

  const stage = (s: number, input: tf.Tensor2D, f: tf.Tensor2D | undefined, pass?: TrainingPass) => {
    const name = stageNames[s]!;
    const D = stageDim(s);
    let feature = conv(`${name}.input_proj`, pass ? channelDropout(input, config.channelMaskRate, pass.random) : input); // [N, D]
    for (let i = 0; i < layers; i++) feature = block(`${name}.layers.${i}`, i, feature, f, D, pass);
    return { logits: conv(`${name}.out_proj`, feature), feature }; // [N, K], [N, D]
  };

  return {
    inputDim,
    classes,
    params: store.params,
    buffers: store.buffers,
    forward(frames: tf.Tensor2D, pass?: TrainingPass) {
      checkFrames(frames, inputDim);
      return tf.tidy(() => {
        let { logits, feature } = stage(0, frames, undefined, pass);
        const outputs = [logits];
        feature = conv('dim_reduction', feature); // [N, D/2]
        for (let s = 1; s < stages; s++) {
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
