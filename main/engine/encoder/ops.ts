// The encoder's building blocks with PyTorch semantics, on the fused ops (../fusedOps: Linear with bias and ReLU,
// LayerNorm and multi-head attention, each one kernel where the backend has it, TF.js ops elsewhere): self-attention
// with a stacked q/k/v in-projection (nn.MultiheadAttention) and the feed-forward (Linear, ReLU, Linear).

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
