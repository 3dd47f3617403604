// Multi-head scaled dot-product self-attention (Vaswani et al. 2017) on the stacked q/k/v projection, as one fused
// op: per sequence and head, softmax(q·kᵀ/√(D/H))·v, heads side by side. qkv [B·S, 3D] (row b·S + i holds q_i,
// k_i, v_i; head h in columns h·D/H … of each third, PyTorch's nn.MultiheadAttention layout) → [B·S, D]. Where
// the backend registers the fused kernel (the native addon on wasm) nothing is sliced or transposed and the
// softmax probabilities are kept for the backward; elsewhere it is TF.js's ops, the reference.
import * as tf from '@tensorflow/tfjs';
import { fusedKernelNames, type AttentionAttrs } from './kernelNames';
import { runKernel, runsFused } from './nativeKernels';

/** Attention of `batch` sequences whose q, k and v rows are stacked in qkv [batch·S, 3D]; → [batch·S, D]. */
export function multiHeadAttention(qkv: tf.Tensor2D, batch: number, heads: number): tf.Tensor2D {
  if (!runsFused(fusedKernelNames.attention)) return referenceAttention(qkv, batch, heads);
  const attrs: AttentionAttrs = { batch, heads };
  const [output, probabilities] = runKernel<tf.Tensor[]>(fusedKernelNames.attention, { qkv }, attrs);
  probabilities!.dispose(); // the tape keeps its own copy for the backward
  return output as tf.Tensor2D;
}

export function referenceAttention(qkv: tf.Tensor2D, batch: number, heads: number): tf.Tensor2D {
  const [rows, width] = qkv.shape;
  const [S, D] = [rows / batch, width / 3];
  const headDim = D / heads;
  const split = (part: number): tf.Tensor4D => tf.reshape(tf.slice(qkv, [0, part * D], [rows, D]), [batch, S, heads, headDim]); // [B, S, H, D/H]
  const q = tf.transpose(split(0), [0, 2, 1, 3]); // [B, H, S, D/H]
  const kT = tf.transpose(split(1), [0, 2, 3, 1]); // [B, H, D/H, S]
  const v = tf.transpose(split(2), [0, 2, 1, 3]); // [B, H, S, D/H]
  const scores = tf.mul(tf.matMul(q, kT), 1 / Math.sqrt(headDim)); // [B, H, S, S]
  const context = tf.matMul(tf.softmax(scores), v); // [B, H, S, D/H]
  return tf.reshape(tf.transpose(context, [0, 2, 1, 3]), [rows, D]); // [B·S, D]
}

tf.registerGradient({
  kernelName: fusedKernelNames.attention,
  inputsToSave: ['qkv'],
  outputsToSave: [false, true],
  gradFunc: (dys, saved, attrs) => {
    const [qkv, probabilities] = saved as [tf.Tensor2D, tf.Tensor4D];
    const dOutput = (dys as tf.Tensor[])[0] as tf.Tensor2D;
    return { qkv: () => runKernel<tf.Tensor2D>(fusedKernelNames.attentionGrad, { dOutput, qkv, probabilities }, attrs) };
  },
});
