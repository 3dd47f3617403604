// A TempAgg-style anticipation head (Sener et al. 2020), reduced to one coupling block: spanning snippets
// S [B, S, C] and recent snippets R [B, R, C] are projected to d (Linear + ReLU, shared); a non-local block
// (single-head scaled dot-product attention, the recent snippets as queries over the spanning ones) couples
// them, R' = ReLU(R + softmax(R·W_q·(S·W_k)ᵀ/√d)·S·W_v·W_o); the mean of R' over recent snippets and the max of
// S over spanning snippets are concatenated, passed through a hidden Linear + ReLU and three linear classifiers
// give verb, object and action logits. Left out of TempAgg: its per-recent-length branches, their fusion and
// dropout. Linear layers are PyTorch's nn.Linear (weight [out, in], initialized U(±1/√in), seeded).
import * as tf from '@tensorflow/tfjs';
import { ArgumentError } from '../../../contract/errors';
import { SeededRandom } from '../../engine/encoder/random';
import { linear } from '../../engine/encoder/ops';

export interface AnticipationClassCounts {
  verb: number;
  object: number;
  action: number;
}

export interface AnticipationLogits {
  verb: tf.Tensor2D;
  object: tf.Tensor2D;
  action: tf.Tensor2D;
}

export interface TempAggHead {
  readonly params: Map<string, tf.Variable>;
  /** Logits [B, classes] of the three heads; the caller owns them. */
  forward(spanning: tf.Tensor3D, recent: tf.Tensor3D): AnticipationLogits;
  dispose(): void;
}

export function createTempAggHead(inputDim: number, hiddenDim: number, classes: AnticipationClassCounts, seed: number): TempAggHead {
  for (const [name, value] of [['inputDim', inputDim], ['hiddenDim', hiddenDim], ['verb classes', classes.verb], ['object classes', classes.object], ['action classes', classes.action]] as const) {
    if (!Number.isInteger(value) || value < 1) throw new ArgumentError(`expected ${name} >= 1, got ${value}`);
  }
  const d = hiddenDim;
  const layers: [string, number, number][] = [
    ['project', inputDim, d],
    ['query', d, d],
    ['key', d, d],
    ['value', d, d],
    ['attn_out', d, d],
    ['hidden', 2 * d, d],
    ['verb', d, classes.verb],
    ['object', d, classes.object],
    ['action', d, classes.action],
  ];
  const random = new SeededRandom(seed);
  const params = new Map<string, tf.Variable>();
  for (const [name, fanIn, out] of layers) {
    const bound = 1 / Math.sqrt(fanIn);
    const weight = random.uniformArray(out * fanIn, bound);
    const bias = random.uniformArray(out, bound);
    params.set(`${name}.weight`, tf.tidy(() => tf.variable(tf.tensor2d(weight, [out, fanIn]), true)));
    params.set(`${name}.bias`, tf.tidy(() => tf.variable(tf.tensor1d(bias), true)));
  }
  let disposed = false;
  const layer = (name: string, x: tf.Tensor2D): tf.Tensor2D => {
    if (disposed) throw new Error('the anticipation head was disposed');
    return linear(x, params.get(`${name}.weight`) as tf.Variable as tf.Tensor2D, params.get(`${name}.bias`) as tf.Variable as tf.Tensor1D);
  };
  /** A Linear over the last axis of [B, N, in]. */
  const layer3 = (name: string, x: tf.Tensor3D): tf.Tensor3D => {
    const [B, N, C] = x.shape;
    return tf.reshape(layer(name, tf.reshape(x, [B * N, C])), [B, N, -1]);
  };

  return {
    params,
    forward(spanning, recent) {
      if (spanning.rank !== 3 || recent.rank !== 3 || spanning.shape[2] !== inputDim || recent.shape[2] !== inputDim || spanning.shape[0] !== recent.shape[0]) {
        throw new ArgumentError(
          `expected spanning [B, S, ${inputDim}] and recent [B, R, ${inputDim}], got [${spanning.shape.join(', ')}] and [${recent.shape.join(', ')}]`,
        );
      }
      return tf.tidy(() => {
        const s = tf.relu(layer3('project', spanning)); // [B, S, d]
        const r = tf.relu(layer3('project', recent)); // [B, R, d]
        const q = layer3('query', r); // [B, R, d]
        const k = layer3('key', s); // [B, S, d]
        const v = layer3('value', s); // [B, S, d]
        const weights = tf.softmax(tf.div(tf.matMul(q, tf.transpose(k, [0, 2, 1])), Math.sqrt(d))); // [B, R, S]
        const coupled = tf.relu(tf.add(r, layer3('attn_out', tf.matMul(weights, v)))); // [B, R, d]
        const pooled = tf.concat([tf.mean(coupled, 1), tf.max(s, 1)], 1) as tf.Tensor2D; // [B, 2d]
        const hidden = tf.relu(layer('hidden', pooled)); // [B, d]
        const verb = layer('verb', hidden);
        const object = layer('object', hidden);
        const action = layer('action', hidden);
        return { verb, object, action };
      });
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      for (const variable of params.values()) variable.dispose();
    },
  };
}
