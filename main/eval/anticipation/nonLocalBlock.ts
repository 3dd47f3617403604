// TempAgg's NONLocalBlock1D (Sener et al. 2020, Eq. 1–2; non_local_embedded_gaussian.py of github.com/dibschat/
// tempAgg and of github.com/assembly-101/assembly101-action-anticipation). Its inputs are sets of snippets
// [B, S, F] that PyTorch's Conv1d reads as S channels of length F: θ, φ and g are 1×1 convolutions mixing the
// snippets into L latent channels, θ = θ(x_curr), φ = φ(x_past), g = g(x_past), each [B, L, F];
//   'latent'  (Assembly101): A = softmax(θ·φᵀ · L^−½) [B, L, L],        t = A·g          [B, L, F];
//   'feature' (EPIC-Kitchens): A = softmax(θᵀ·φ · L^−½) [B, F, F],       t = (A·gᵀ)ᵀ      [B, L, F];
// then z = Dropout(Conv1×1_{L→S_curr}(ReLU(LayerNorm_[L, F](t)))) + x_curr. Weights keep the authors' names and
// shapes under the block's prefix: theta/phi/g.weight [L, S, 1] (initialized N(0, 0.01), bias 0),
// final_layers.0 (the LayerNorm, weight and bias [L, F]), final_layers.2 (the output convolution [S_curr, L, 1]).
// Tensors here are kept feature-major, [B, F, S] (the transpose of the authors' [B, S, F]), so that every 1×1
// convolution is one fused Linear over B·F rows, and the LayerNorm over [L, F] one fused LayerNorm over F·L values.
import * as tf from '@tensorflow/tfjs';
import { layerNorm } from '../../engine/fusedOps/layerNorm';
import { linear } from '../../engine/fusedOps/linear';
import type { SeededRandom } from '../../random/seededRandom';
import { dropout } from '../segmentationHead/temporalOps';
import type { NonLocalAttention } from './config';

/** PyTorch's LayerNorm default ε. */
const layerNormEps = 1e-5;

export interface NonLocalSettings {
  latentDim: number;
  attention: NonLocalAttention;
  dropout: number;
}

/** A parameter by its full PyTorch name. */
export type ParameterLookup = <T extends tf.Tensor>(name: string) => T;

/** Conv1d(S_in, S_out, 1) on feature-major x [B, F, S_in] → [B, F, S_out]; weight [S_out, S_in, 1]: one fused Linear. */
export function pointwiseConv(x: tf.Tensor3D, weight: tf.Tensor3D, bias: tf.Tensor1D): tf.Tensor3D {
  const [B, F, cin] = x.shape;
  const cout = weight.shape[0];
  return tf.reshape(linear(tf.reshape(x, [B * F, cin]), tf.reshape(weight, [cout, cin]), bias), [B, F, cout]); // x·Wᵀ + b
}

/**
 * NONLocalBlock1D(x_past, x_curr) on feature-major snippets: past [B, F, S_past], curr [B, F, S_curr] →
 * [B, F, S_curr]. `random` turns its dropout on (training).
 */
export function nonLocalBlock(
  get: ParameterLookup,
  prefix: string,
  past: tf.Tensor3D,
  curr: tf.Tensor3D,
  settings: NonLocalSettings,
  random?: SeededRandom,
): tf.Tensor3D {
  const conv = (name: string, x: tf.Tensor3D) => pointwiseConv(x, get(`${prefix}.${name}.weight`), get(`${prefix}.${name}.bias`));
  const theta = conv('theta', curr); // θᵀ [B, F, L]
  const phi = conv('phi', past); // φᵀ [B, F, L]
  const g = conv('g', past); // gᵀ [B, F, L]
  const scale = Math.pow(settings.latentDim, -0.5);
  let t: tf.Tensor3D; // tᵀ [B, F, L]
  if (settings.attention === 'latent') {
    const affinity = tf.softmax(tf.mul(tf.matMul(theta, phi, true, false), scale)); // θ·φᵀ [B, L, L]
    t = tf.matMul(g, affinity, false, true); // (A·g)ᵀ [B, F, L]
  } else {
    const affinity = tf.softmax(tf.mul(tf.matMul(theta, phi, false, true), scale)); // [B, F, F]
    t = tf.matMul(affinity, g); // A·gᵀ [B, F, L]
  }
  const normalized = layerNorm2d(t, get(`${prefix}.final_layers.0.weight`), get(`${prefix}.final_layers.0.bias`)); // [B, F, L]
  let out = pointwiseConv(tf.relu(normalized), get(`${prefix}.final_layers.2.weight`), get(`${prefix}.final_layers.2.bias`)); // [B, F, S_curr]
  if (random !== undefined) out = dropout(out, settings.dropout, random);
  return tf.add(out, curr);
}

/**
 * LayerNorm over both [L, F] axes of feature-major tᵀ [B, F, L], with the authors' weight and bias [L, F]: the fused
 * LayerNorm over the last axis of [B, F·L], its weight and bias laid out feature-major too.
 */
function layerNorm2d(x: tf.Tensor3D, weight: tf.Tensor2D, bias: tf.Tensor2D): tf.Tensor3D {
  const [B, F, L] = x.shape;
  const flat = (t: tf.Tensor2D) => tf.reshape(tf.transpose(t), [F * L]) as tf.Tensor1D; // [L, F] → [F·L]
  return tf.reshape(layerNorm(tf.reshape(x, [B, F * L]), flat(weight), flat(bias), layerNormEps), [B, F, L]);
}
