// The segmentation heads' training loss, as MS-TCN defines it (Farha & Gall, "MS-TCN: Multi-Stage Temporal
// Convolutional Network for Action Segmentation", 2019, eq. 4–6) and C2F-TCN, ASFormer and LTContext reuse it:
//   L = Σ_outputs (L_cls + λ·L_T-MSE),  L_cls = (1/T) Σ_t −log y_{t, c_t},
//   L_T-MSE = (1/(T·C)) Σ_{t,c} min(Δ_{t,c}², τ²),  Δ_{t,c} = log y_{t,c} − log y_{t−1,c},
// where y_{t−1} is treated as a constant (the authors detach it), λ = 0.15 (MS-TCN, ASFormer, C2F-TCN) or 0.17
// (LTContext's Assembly101 config) and τ² = 16. C2F-TCN applies it once, to the log of its ensemble's
// probabilities; ASFormer and LTContext sum it over their stages' log-softmax outputs.
import * as tf from '@tensorflow/tfjs';
import { stopGradient } from './temporalOps';

/** Mean per-frame negative log-likelihood of log-probabilities [N, K] against one-hot labels [N, K]. */
export function frameCrossEntropy(logProbabilities: tf.Tensor2D, oneHotLabels: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => tf.neg(tf.mean(tf.sum(tf.mul(logProbabilities, oneHotLabels), 1))));
}

/** MS-TCN's truncated MSE between neighbouring frames' log-probabilities [N, K]; 0 for a single frame. */
export function smoothingLoss(logProbabilities: tf.Tensor2D, clamp: number): tf.Scalar {
  const [N, K] = logProbabilities.shape;
  if (N < 2) return tf.scalar(0);
  return tf.tidy(() => {
    const current = tf.slice(logProbabilities, [1, 0], [N - 1, K]);
    const previous = stopGradient(tf.slice(logProbabilities, [0, 0], [N - 1, K]));
    // min(Δ², τ²): Δ² is never below 0, so this is the authors' clamp(Δ², 0, τ²) with the same gradient (Δ² ≤ τ²
    // passes it), without clipByValue's three comparisons and select, which the wasm backend runs on its slow
    // broadcasting path (2 ms per step on a [699, 51] output).
    return tf.mean(tf.minimum(tf.square(tf.sub(current, previous)), clamp * clamp));
  });
}

/** Σ_i (L_cls + λ·L_T-MSE) over log-probabilities [N, K] of every output. */
export function segmentationLoss(
  logProbabilities: readonly tf.Tensor2D[],
  oneHotLabels: tf.Tensor2D,
  smoothingWeight: number,
  smoothingClamp: number,
): tf.Scalar {
  return tf.tidy(() => {
    let total: tf.Scalar = tf.scalar(0);
    for (const output of logProbabilities) {
      total = tf.add(total, frameCrossEntropy(output, oneHotLabels));
      if (smoothingWeight > 0) total = tf.add(total, tf.mul(smoothingLoss(output, smoothingClamp), smoothingWeight));
    }
    return total;
  });
}

/** ASFormer's and LTContext's loss: the one above summed over every stage's log-softmax of its logits [N, K]. */
export function stagesLoss(stageLogits: readonly tf.Tensor2D[], oneHotLabels: tf.Tensor2D, weight: number, clamp: number): tf.Scalar {
  return tf.tidy(() => segmentationLoss(stageLogits.map((logits) => tf.logSoftmax(logits)), oneHotLabels, weight, clamp));
}
