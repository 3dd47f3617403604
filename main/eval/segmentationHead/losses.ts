// The segmentation head's training loss, as MS-TCN defines it (Farha & Gall, "MS-TCN: Multi-Stage Temporal
// Convolutional Network for Action Segmentation", 2019, eq. 4–6) and C2F-TCN reuses for each decoder output:
//   L = L_cls + λ·L_T-MSE,  L_cls = (1/T) Σ_t −log y_{t, c_t},
//   L_T-MSE = (1/(T·C)) Σ_{t,c} min(Δ_{t,c}², τ²),  Δ_{t,c} = log y_{t,c} − log y_{t−1,c},
// where y_{t−1} is treated as a constant (MS-TCN detaches it), λ = 0.15 and τ = 4.
import * as tf from '@tensorflow/tfjs';
import { stopGradient } from './temporalOps';

/** Mean per-frame cross-entropy of logits [N, K] against labels [N] one-hot encoded as [N, K]. */
export function frameCrossEntropy(logits: tf.Tensor2D, oneHotLabels: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => tf.neg(tf.mean(tf.sum(tf.mul(tf.logSoftmax(logits), oneHotLabels), 1))));
}

/** MS-TCN's truncated MSE between neighbouring frames' log-probabilities; 0 for a single frame. */
export function smoothingLoss(logits: tf.Tensor2D, clamp: number): tf.Scalar {
  const [N, K] = logits.shape;
  if (N < 2) return tf.scalar(0);
  return tf.tidy(() => {
    const logProbabilities = tf.logSoftmax(logits); // [N, K]
    const current = tf.slice(logProbabilities, [1, 0], [N - 1, K]);
    const previous = stopGradient(tf.slice(logProbabilities, [0, 0], [N - 1, K]));
    return tf.mean(tf.clipByValue(tf.square(tf.sub(current, previous)), 0, clamp * clamp));
  });
}

/** L_cls + λ·L_T-MSE summed over every decoder output (MS-TCN sums its stages' losses the same way). */
export function segmentationLoss(
  outputs: readonly tf.Tensor2D[],
  oneHotLabels: tf.Tensor2D,
  smoothingWeight: number,
  smoothingClamp: number,
): tf.Scalar {
  return tf.tidy(() => {
    let total: tf.Scalar = tf.scalar(0);
    for (const logits of outputs) {
      total = tf.add(total, frameCrossEntropy(logits, oneHotLabels));
      if (smoothingWeight > 0) total = tf.add(total, tf.mul(smoothingLoss(logits, smoothingClamp), smoothingWeight));
    }
    return total;
  });
}
