// Auxiliary losses, eqs. 3–4 of the EVGAP method: the same contrastive loss on every layer's class-token embedding,
//   L_total = L(H) + Σ_{l=1}^{L−1} w_l · L(h_l)   (w_l = 0.2 in both steps),
// which gives the early blocks a direct training signal.
import * as tf from '@tensorflow/tfjs';
import { ArgumentError } from '../../../contract/errors';

export type AuxiliaryLoss = {
  /** L_total, the scalar to differentiate. */
  total: tf.Scalar;
  /** The weighted terms in layer order, w_1·L(h_1) … w_{L−1}·L(h_{L−1}), then L(H); for logging. */
  terms: tf.Scalar[];
};

/**
 * Combines per-layer losses (the last one is the final layer's) with one weight per earlier layer. The caller owns
 * `total` and every tensor in `terms`; the inputs are not disposed.
 */
export function withAuxiliary(perLayer: tf.Tensor[], weights: number[]): AuxiliaryLoss {
  if (perLayer.length === 0) throw new ArgumentError('withAuxiliary: expected at least one per-layer loss, got none');
  if (weights.length !== perLayer.length - 1) {
    throw new ArgumentError(
      `withAuxiliary: expected ${perLayer.length - 1} weights for ${perLayer.length} layers, got ${weights.length}`,
    );
  }
  perLayer.forEach((loss, layer) => {
    if (loss.rank !== 0) {
      throw new ArgumentError(`withAuxiliary: expected perLayer[${layer}] to be a scalar, got shape [${loss.shape}]`);
    }
  });
  weights.forEach((weight, layer) => {
    if (!Number.isFinite(weight) || weight < 0) {
      throw new ArgumentError(`withAuxiliary: expected weights[${layer}] to be a finite number >= 0, got ${weight}`);
    }
  });
  const terms = perLayer.map((loss, layer) => {
    const weight = weights[layer];
    return (weight === undefined ? tf.clone(loss) : tf.mul(loss, weight)) as tf.Scalar;
  });
  return { total: tf.addN(terms) as tf.Scalar, terms };
}
