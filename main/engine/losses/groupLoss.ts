// Step-2 loss, eq. 2 of the EVGAP method (a sigmoid loss with M×N positives per group, after SigLIP, Zhai et al. 2023):
//   L_EVGAP = −1/(B²·M·N) Σ_i Σ_j Σ_m Σ_n log σ( z_ij · (t · e_i^m·x_j^n + b) ),  z_ij = +1 if i = j else −1,  t = exp(s)
// Every ego clip of group i is a positive of every exo clip of group i and a negative of every exo clip of the other
// groups. b = null is the published variant (no bias); a bias tensor is the SigLIP variant (b learnable, init −10).
// Embeddings must already be L2-normalized by the caller. With the fused ops on (the default) it is one similarity
// product and the closed form below (fusedOps/similarityLoss.ts); otherwise TF.js's ops, the reference:
//   with L = t·S + b and K = B²·M·N:  ∂L_EVGAP/∂L_ij = −z_ij·σ(−z_ij·L_ij) / K,  ∂/∂S = t·∂/∂L,
//   ∂/∂s = Σ_ij ∂/∂L_ij · t·S_ij,  ∂/∂b = Σ_ij ∂/∂L_ij
import * as tf from '@tensorflow/tfjs';
import { ArgumentError } from '../../../contract/errors';
import { fusedOpsEnabled } from '../fusedOps/nativeKernels';
import { similarityLoss } from '../fusedOps/similarityLoss';
import { expectRank, expectScalar } from './lossArguments';

/**
 * Sigmoid loss over B groups of M ego and N exo clips, computed as one [B·M, B·N] similarity product and a ±1 label
 * matrix with the group blocks on its diagonal. Returns a scalar the caller owns; differentiable in ego, exo,
 * logScale and bias.
 */
export function groupLoss(ego: tf.Tensor, exo: tf.Tensor, logScale: tf.Tensor, bias: tf.Tensor | null): tf.Scalar {
  expectRank('groupLoss', 'ego', ego, 3);
  expectRank('groupLoss', 'exo', exo, 3);
  expectScalar('groupLoss', 'logScale', logScale);
  if (bias !== null) expectScalar('groupLoss', 'bias', bias);
  const [groups, egoViews, dims] = ego.shape as [number, number, number];
  const [exoGroups, exoViews, exoDims] = exo.shape as [number, number, number];
  if (exoGroups !== groups || exoDims !== dims) {
    throw new ArgumentError(
      `groupLoss: expected ego [B, M, D] and exo [B, N, D] with the same B and D, got [${ego.shape}] and [${exo.shape}]`,
    );
  }
  if (fusedOpsEnabled()) {
    return tf.tidy(() => {
      const egoClips = tf.reshape(ego, [groups * egoViews, dims]) as tf.Tensor2D; // [B·M, D]
      const exoClips = tf.reshape(exo, [groups * exoViews, dims]) as tf.Tensor2D; // [B·N, D]
      const scalars = (bias === null ? [logScale] : [logScale, bias]) as tf.Scalar[];
      return similarityLoss(egoClips, exoClips, scalars, (similarities, rows, columns, [s, b]) =>
        groupLossOfSimilarities(similarities, rows, columns, egoViews, exoViews, s as number, b),
      );
    });
  }
  return referenceGroupLoss(ego, exo, logScale, bias);
}

/** Eq. 2 as TF.js's ops (the reference of the fused op); arguments as groupLoss's, already checked. */
export function referenceGroupLoss(ego: tf.Tensor, exo: tf.Tensor, logScale: tf.Tensor, bias: tf.Tensor | null): tf.Scalar {
  const [groups, egoViews, dims] = ego.shape as [number, number, number];
  const exoViews = exo.shape[1] as number;
  return tf.tidy(() => {
    const egoClips = tf.reshape(ego, [groups * egoViews, dims]); // [B·M, D], row r belongs to group ⌊r/M⌋
    const exoClips = tf.reshape(exo, [groups * exoViews, dims]); // [B·N, D], row c belongs to group ⌊c/N⌋
    // e·xᵀ as a plain product of an explicit transpose: the wasm backend's transposed matMul paths are slow.
    let logits = tf.mul(tf.matMul(egoClips, tf.transpose(exoClips)), tf.exp(logScale)); // [B·M, B·N]
    if (bias !== null) logits = tf.add(logits, bias);
    const signs = groupSigns(groups, egoViews, exoViews); // [B·M, B·N], z of the two clips' groups
    // −log σ(x) = softplus(−x), which the backends compute without overflow for large |x|. (tf.logSigmoid computes
    // the same, but its gradient reads its input after this tidy has disposed it.)
    const negativeLogLikelihood = tf.sum(tf.softplus(tf.neg(tf.mul(signs, logits))));
    return tf.div(negativeLogLikelihood, groups * groups * egoViews * exoViews) as tf.Scalar;
  });
}

/** Eq. 2 and its gradient from the similarities S [B·M, B·N], s and b (undefined without a bias). */
function groupLossOfSimilarities(
  similarities: Float32Array,
  rows: number,
  columns: number,
  egoViews: number,
  exoViews: number,
  logScale: number,
  bias: number | undefined,
) {
  const scale = Math.exp(logScale);
  const pairs = rows * columns; // B²·M·N
  const dSimilarities = new Float32Array(pairs); // [B·M, B·N]
  let [value, dLogScale, dBias] = [0, 0, 0];
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < columns; c++) {
      const sign = groupSign(r, c, egoViews, exoViews);
      const scaled = scale * (similarities[r * columns + c] as number); // t·S
      const x = -sign * (scaled + (bias ?? 0)); // −z·L
      // softplus(x) = max(x, 0) + log(1 + e^−|x|) and σ(x), from one exponential, without overflow
      const small = Math.exp(-Math.abs(x));
      value += Math.max(x, 0) + Math.log1p(small);
      const dLogit = (-sign * (x >= 0 ? 1 / (1 + small) : small / (1 + small))) / pairs;
      dSimilarities[r * columns + c] = scale * dLogit;
      dLogScale += dLogit * scaled;
      dBias += dLogit;
    }
  }
  return { value: value / pairs, dSimilarities, dScalars: bias === undefined ? [dLogScale] : [dLogScale, dBias] };
}

/** The ±1 label matrix: +1 where ego clip r and exo clip c come from the same group, −1 elsewhere. */
function groupSigns(groups: number, egoViews: number, exoViews: number): tf.Tensor2D {
  const [rows, columns] = [groups * egoViews, groups * exoViews];
  const signs = new Float32Array(rows * columns);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < columns; c++) signs[r * columns + c] = groupSign(r, c, egoViews, exoViews);
  }
  return tf.tensor2d(signs, [rows, columns]); // [B·M, B·N]
}

/** z of ego clip r and exo clip c: +1 where they come from the same group (⌊r/M⌋ = ⌊c/N⌋), −1 elsewhere. */
function groupSign(r: number, c: number, egoViews: number, exoViews: number): number {
  return Math.floor(r / egoViews) === Math.floor(c / exoViews) ? 1 : -1;
}
