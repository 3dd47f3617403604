// The encoder's building blocks as raw tfjs ops with PyTorch semantics: Linear (y = x·Wᵀ + b with W stored
// [out, in]), LayerNorm (biased variance), multi-head self-attention with a stacked q/k/v in-projection, and L2
// normalization. Transposes are explicit tf.transpose calls: tf.matMul's transposeA/transposeB flags are
// 10–40× slower on the wasm backend.

import * as tf from '@tensorflow/tfjs';

/** PyTorch's nn.Linear: x [N, in], weight [out, in], bias [out] → [N, out]. */
export function linear(x: tf.Tensor2D, weight: tf.Tensor2D, bias: tf.Tensor1D): tf.Tensor2D {
  return tf.add(tf.matMul(x, tf.transpose(weight)), bias); // [N, out]
}

/** PyTorch's nn.LayerNorm over the last axis: (x − mean) / √(var + eps) · weight + bias, var biased. */
export function layerNorm<T extends tf.Tensor>(x: T, weight: tf.Tensor1D, bias: tf.Tensor1D, eps: number): T {
  const lastAxis = x.rank - 1;
  const mean = tf.mean(x, lastAxis, true); // [..., 1]
  const centered = tf.sub(x, mean); // [..., D]
  const variance = tf.mean(tf.square(centered), lastAxis, true); // [..., 1]
  const normalized = tf.mul(centered, tf.rsqrt(tf.add(variance, eps))); // [..., D]
  return tf.add(tf.mul(normalized, weight), bias) as T;
}

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
export function selfAttention(x: tf.Tensor3D, w: AttentionWeights, heads: number): tf.Tensor3D {
  const [B, S, D] = x.shape;
  const headDim = D / heads;
  const qkv = linear(tf.reshape(x, [B * S, D]), w.inProjWeight, w.inProjBias); // [B·S, 3D]
  const split = (part: number): tf.Tensor4D =>
    tf.reshape(tf.slice(qkv, [0, part * D], [B * S, D]), [B, S, heads, headDim]); // [B, S, H, D/H]
  const q = tf.transpose(split(0), [0, 2, 1, 3]); // [B, H, S, D/H]
  const kT = tf.transpose(split(1), [0, 2, 3, 1]); // [B, H, D/H, S]
  const v = tf.transpose(split(2), [0, 2, 1, 3]); // [B, H, S, D/H]
  const scores = tf.mul(tf.matMul(q, kT), 1 / Math.sqrt(headDim)); // [B, H, S, S]
  const context = tf.matMul(tf.softmax(scores), v); // [B, H, S, D/H]
  const merged = tf.reshape(tf.transpose(context, [0, 2, 1, 3]), [B * S, D]) as tf.Tensor2D; // [B·S, D]
  return tf.reshape(linear(merged, w.outProjWeight, w.outProjBias), [B, S, D]); // [B, S, D]
}

/** Rows scaled to unit L2 norm, like torch.nn.functional.normalize (norm clamped at 1e-12). */
export function l2Normalize(x: tf.Tensor2D): tf.Tensor2D {
  const norm = tf.sqrt(tf.sum(tf.square(x), 1, true)); // [N, 1]
  return tf.div(x, tf.maximum(norm, 1e-12)); // [N, D]
}
