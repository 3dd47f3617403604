// A contrastive loss as ONE op: a scalar function f(S, θ) of the similarity matrix S = E·Xᵀ of two sets of embedding
// rows (E [R, D], X [C, D]) and a few scalar parameters θ (the logit scale s, the bias b), given with its closed-form
// gradient ∂f/∂S and ∂f/∂θ. Eqs. 1 and 2 of the EVGAP method are such losses (pairLoss.ts, groupLoss.ts). S is the
// only product; f and its gradient run in float64 JavaScript on S's R×C values (B × B in step 1: 200 × 200 in the
// paper preset), where TF.js's ops take ~100 kernel calls per layer for the same arithmetic, and as many again for
// their gradients, each call paying the engine's fixed cost. f's loops belong in named module-level functions, not
// in closures made per call: V8 compiles such closures anew at every call (see l2Normalize.ts).
//   backward, for an upstream gradient g:  dE = g·(∂f/∂S)·X,  dX = g·(∂f/∂S)ᵀ·E,  dθ_k = g·∂f/∂θ_k
import * as tf from '@tensorflow/tfjs';

/** f(S, θ) and its gradient, from S's values (row-major [rows, columns]) and the scalar parameters' values. */
export type SimilarityLossFunction = (
  similarities: Float32Array,
  rows: number,
  columns: number,
  scalars: number[],
) => { value: number; dSimilarities: Float32Array; dScalars: number[] };

/**
 * f(E·Xᵀ, θ) for E [R, D], X [C, D] and scalars θ (each a scalar tensor); differentiable in E, X and every θ_k.
 * Returns a scalar the caller owns.
 */
export function similarityLoss(ego: tf.Tensor2D, exo: tf.Tensor2D, scalars: tf.Scalar[], loss: SimilarityLossFunction): tf.Scalar {
  const [rows, columns] = [ego.shape[0], exo.shape[0]];
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const save = args.pop() as tf.GradSaveFunc;
    const [e, x, ...thetas] = args as tf.Tensor[];
    const similarities = tf.matMul(e!, x!, false, true); // [R, C]
    const values = similarities.dataSync() as Float32Array;
    similarities.dispose();
    const terms = loss(values, rows, columns, thetas.map((theta) => theta.dataSync()[0] as number));
    const dSimilarities = tf.tensor2d(terms.dSimilarities, [rows, columns]); // [R, C], ∂f/∂S
    const dScalars = terms.dScalars.map((d) => tf.scalar(d));
    save([e!, x!, dSimilarities, ...dScalars]);
    return {
      value: tf.scalar(terms.value),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [savedEgo, savedExo, dS, ...dThetas] = saved as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, ...tf.Scalar[]];
        const scaled = tf.mul(dS, dy); // [R, C]
        return [
          tf.matMul(scaled, savedExo), // [R, D]
          tf.matMul(scaled, savedEgo, true, false), // [C, D]
          ...dThetas.map((d) => tf.mul(d, dy)),
        ];
      },
    };
  });
  return op(ego, exo, ...scalars) as tf.Scalar;
}
