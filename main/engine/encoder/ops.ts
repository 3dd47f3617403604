// The encoder's building blocks with PyTorch semantics, on the fused ops (../fusedOps: Linear with bias and ReLU,
// LayerNorm and multi-head attention, each one kernel where the backend has it, TF.js ops elsewhere): self-attention
// with a stacked q/k/v in-projection (nn.MultiheadAttention), the same at the class token alone, and the
// feed-forward (Linear, ReLU, Linear).

import * as tf from '@tensorflow/tfjs';
import type { Precision } from '../config';
import { multiHeadAttention } from '../fusedOps/attention';
import { linear } from '../fusedOps/linear';

export type AttentionWeights = {
  inProjWeight: tf.Tensor2D; // [3D, D], rows q, k, v stacked
  inProjBias: tf.Tensor1D; // [3D]
  outProjWeight: tf.Tensor2D; // [D, D]
  outProjBias: tf.Tensor1D; // [D]
};

/**
 * PyTorch's nn.MultiheadAttention(D, heads) used as self-attention without masks: head j uses columns
 * j·D/H … (j+1)·D/H of q, k and v; softmax(q·kᵀ / √(D/H))·v; the heads' outputs concatenated and projected.
 */
export function selfAttention(x: tf.Tensor3D, w: AttentionWeights, heads: number, precision: Precision): tf.Tensor3D {
  const [B, S, D] = x.shape;
  const qkv = linear(tf.reshape(x, [B * S, D]), w.inProjWeight, w.inProjBias, { precision }); // [B·S, 3D]
  const merged = multiHeadAttention(qkv, B, heads); // [B·S, D]
  return tf.reshape(linear(merged, w.outProjWeight, w.outProjBias, { precision }), [B, S, D]); // [B, S, D]
}

/**
 * selfAttention's output at the first row of each sequence alone (the class token): its query from that row, keys
 * and values from every row, so none of the other rows' queries, scores or projections are computed. x [B, S, D] →
 * [B, D], the same values as selfAttention(x)[:, 0] up to rounding (PyTorch: self_attn(x[:, :1], x, x)).
 */
export function classTokenAttention(x: tf.Tensor3D, w: AttentionWeights, heads: number, precision: Precision): tf.Tensor2D {
  const [B, S, D] = x.shape;
  const headDim = D / heads;
  const first = tf.reshape(tf.slice(x, [0, 0, 0], [B, 1, D]), [B, D]) as tf.Tensor2D; // [B, D]
  const q = linear(first, tf.slice(w.inProjWeight, [0, 0], [D, D]), tf.slice(w.inProjBias, [0], [D]), { precision }); // [B, D]
  const kv = linear(tf.reshape(x, [B * S, D]), tf.slice(w.inProjWeight, [D, 0], [2 * D, D]), tf.slice(w.inProjBias, [D], [2 * D]), {
    precision,
  }); // [B·S, 2D], k then v
  const perHead = (part: number): tf.Tensor4D =>
    tf.transpose(tf.reshape(tf.slice(kv, [0, part * D], [B * S, D]), [B, S, heads, headDim]), [0, 2, 1, 3]); // [B, H, S, D/H]
  const scores = tf.mul(tf.matMul(tf.reshape(q, [B, heads, 1, headDim]), perHead(0), false, true), 1 / Math.sqrt(headDim)); // [B, H, 1, S]
  const context = tf.matMul(tf.softmax(scores), perHead(1)); // [B, H, 1, D/H]
  return linear(tf.reshape(context, [B, D]), w.outProjWeight, w.outProjBias, { precision }); // [B, D]
}

export type FeedForwardWeights = {
  weight1: tf.Tensor2D; // [FF, D]
  bias1: tf.Tensor1D; // [FF]
  weight2: tf.Tensor2D; // [D, FF]
  bias2: tf.Tensor1D; // [D]
};

/** The Transformer block's feed-forward, linear2(relu(linear1(x))), on rows x [N, D] → [N, D]. */
export function feedForward(x: tf.Tensor2D, w: FeedForwardWeights, precision: Precision): tf.Tensor2D {
  const hidden = linear(x, w.weight1, w.bias1, { activation: 'relu', precision }); // [N, FF]
  return linear(hidden, w.weight2, w.bias2, { precision }); // [N, D]
}
