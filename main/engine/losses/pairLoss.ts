// Step-1 loss, eq. 1 of the EVGAP method (CLIP's symmetric InfoNCE, Radford et al. 2021):
//   L_pair = −1/(2B) Σ_i [ log softmax_j(t·e_i·x_j)[i] + log softmax_j(t·e_j·x_i)[i] ],  t = exp(s)
// i.e. row-wise and column-wise cross-entropy of the [B, B] similarity matrix against its diagonal.
// Embeddings must already be L2-normalized by the caller (the encoder does it), so e_i·x_j is a cosine similarity.
// With the fused ops on (the default) it is one similarity product and the closed form below (fusedOps/
// similarityLoss.ts); otherwise TF.js's ops, the reference:
//   with L = t·S, P_row = softmax of L's rows, P_col = softmax of its columns:
//   ∂L_pair/∂L_ij = (P_row_ij + P_col_ij − 2·[i = j]) / (2B),  ∂/∂S = t·∂/∂L,  ∂/∂s = Σ_ij ∂/∂L_ij · L_ij
import * as tf from '@tensorflow/tfjs';
import { ArgumentError } from '../../../contract/errors';
import { fusedOpsEnabled } from '../fusedOps/nativeKernels';
import { logSumExp } from '../fusedOps/reduceMax';
import { similarityLoss } from '../fusedOps/similarityLoss';
import { expectRank, expectScalar } from './lossArguments';

/**
 * Symmetric InfoNCE over B ego-exo pairs; pair i is the positive of row i and of column i, every other pair a
 * negative. Returns a scalar the caller owns; differentiable in ego, exo and logScale.
 */
export function pairLoss(ego: tf.Tensor, exo: tf.Tensor, logScale: tf.Tensor): tf.Scalar {
  expectRank('pairLoss', 'ego', ego, 2);
  expectRank('pairLoss', 'exo', exo, 2);
  expectScalar('pairLoss', 'logScale', logScale);
  if (ego.shape[0] !== exo.shape[0] || ego.shape[1] !== exo.shape[1]) {
    throw new ArgumentError(`pairLoss: expected ego and exo of the same shape [B, D], got [${ego.shape}] and [${exo.shape}]`);
  }
  if (fusedOpsEnabled()) return similarityLoss(ego as tf.Tensor2D, exo as tf.Tensor2D, [logScale as tf.Scalar], pairLossOfSimilarities);
  return referencePairLoss(ego, exo, logScale);
}

/** Eq. 1 as TF.js's ops (the reference of the fused op). */
export function referencePairLoss(ego: tf.Tensor, exo: tf.Tensor, logScale: tf.Tensor): tf.Scalar {
  const pairs = ego.shape[0] as number;
  return tf.tidy(() => {
    const scale = tf.exp(logScale);
    // e·xᵀ as a plain product of an explicit transpose: the wasm backend's transposed matMul paths are slow.
    const logits = tf.mul(tf.matMul(ego, tf.transpose(exo)), scale); // [B, B], logits[i][j] = t·e_i·x_j
    const positives = tf.mul(tf.sum(tf.mul(ego, exo)), scale); // Σ_i t·e_i·x_i, the diagonal's sum
    // logSumExp of fusedOps: tf.logSumExp's values and gradients, without its max gradient's broadcast comparison.
    const rowNormalizers = tf.sum(logSumExp(logits, 1)); // Σ_i log Σ_j exp(t·e_i·x_j)
    const columnNormalizers = tf.sum(logSumExp(logits, 0)); // Σ_i log Σ_j exp(t·e_j·x_i)
    // Σ_i log softmax_j(...)[i] = Σ_i logits[i][i] − Σ_i normalizer_i, for rows and columns alike.
    const logLikelihood = tf.sub(tf.mul(positives, 2), tf.add(rowNormalizers, columnNormalizers));
    return tf.div(logLikelihood, -2 * pairs) as tf.Scalar;
  });
}

/** Eq. 1 and its gradient from the similarities S [B, B] and s. */
function pairLossOfSimilarities(similarities: Float32Array, pairs: number, _columns: number, [logScale]: number[]) {
  const scale = Math.exp(logScale as number);
  const logits = new Float64Array(pairs * pairs); // [B, B], L = t·S
  for (let k = 0; k < logits.length; k++) logits[k] = scale * (similarities[k] as number);
  const rowNormalizers = new Float64Array(pairs); // [B]
  const columnNormalizers = new Float64Array(pairs); // [B]
  for (let i = 0; i < pairs; i++) {
    rowNormalizers[i] = logSumExpOf(logits, i * pairs, pairs, 1);
    columnNormalizers[i] = logSumExpOf(logits, i, pairs, pairs);
  }
  let value = 0;
  for (let i = 0; i < pairs; i++) value += (rowNormalizers[i] as number) + (columnNormalizers[i] as number) - 2 * (logits[i * pairs + i] as number);
  const dSimilarities = new Float32Array(pairs * pairs); // [B, B]
  let dLogScale = 0;
  for (let i = 0; i < pairs; i++) {
    for (let j = 0; j < pairs; j++) {
      const logit = logits[i * pairs + j] as number;
      const probabilities = Math.exp(logit - (rowNormalizers[i] as number)) + Math.exp(logit - (columnNormalizers[j] as number));
      const dLogit = (probabilities - (i === j ? 2 : 0)) / (2 * pairs);
      dSimilarities[i * pairs + j] = scale * dLogit;
      dLogScale += dLogit * logit;
    }
  }
  return { value: value / (2 * pairs), dSimilarities, dScalars: [dLogScale] };
}

/** log Σ_k exp(values[first + k·stride]) over `count` entries, stabilized by their maximum. */
function logSumExpOf(values: Float64Array, first: number, count: number, stride: number): number {
  let maximum = -Infinity;
  for (let k = 0; k < count; k++) maximum = Math.max(maximum, values[first + k * stride] as number);
  if (maximum === -Infinity || !Number.isFinite(maximum)) return maximum;
  let sum = 0;
  for (let k = 0; k < count; k++) sum += Math.exp((values[first + k * stride] as number) - maximum);
  return maximum + Math.log(sum);
}
