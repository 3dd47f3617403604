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
 * [B, D], the same values as selfAttention(x)[:, 0] up to rounding (PyTorch: self_attn(x[:, :1], x, x)). One query
 * per head makes its scores and weighted sum elementwise products summed along an axis, not S × S products.
 */
export function classTokenAttention(x: tf.Tensor3D, w: AttentionWeights, heads: number, precision: Precision): tf.Tensor2D {
  const [B, S, D] = x.shape;
  const headDim = D / heads;
  // q, k or v (part 0, 1, 2) of some rows: their third of the stacked in-projection, [rows, D] → [rows, D]
  const project = (rows: tf.Tensor2D, part: number) =>
    linear(rows, tf.slice(w.inProjWeight, [part * D, 0], [D, D]), tf.slice(w.inProjBias, [part * D], [D]), { precision });
  const everyRow = tf.reshape(x, [B * S, D]) as tf.Tensor2D; // [B·S, D]
  const perHead = (rows: tf.Tensor, count: number) => tf.reshape(rows, [B, count, heads, headDim]); // [B, count, H, D/H]
  const first = tf.reshape(tf.slice(x, [0, 0, 0], [B, 1, D]), [B, D]) as tf.Tensor2D; // [B, D], the class tokens
  const q = perHead(tf.mul(project(first, 0), 1 / Math.sqrt(headDim)), 1); // [B, 1, H, D/H], scaled by 1/√(D/H)
  const scores = tf.sum(tf.mul(perHead(project(everyRow, 1), S), q), 3); // [B, S, H]
  const weights = tf.transpose(tf.softmax(tf.transpose(scores, [0, 2, 1])), [0, 2, 1]); // [B, S, H], softmax over S
  const context = tf.sum(tf.mul(perHead(project(everyRow, 2), S), tf.expandDims(weights, 3)), 1); // [B, H, D/H]
  return linear(tf.reshape(context, [B, D]) as tf.Tensor2D, w.outProjWeight, w.outProjBias, { precision }); // [B, D]
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
