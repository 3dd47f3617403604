// One optimizer update of EVGAP pre-training, as a function (state, batch) → metrics.
//   Step 1 (pairs):  L_total = L_pair(H) + Σ_{l<L} w·L_pair(h_l)        (eq. 1 with the auxiliary terms, eqs. 3–4)
//   Step 2 (groups): L_total = L_EVGAP(H) + Σ_{l<L} w·L_EVGAP(h_l)      (eq. 2, without or with the SigLIP bias)
// The encoder is shared by ego and exo, so both sides of a batch go through it in ONE forward pass (concatenated
// on the batch axis) and the per-layer embeddings are split back afterwards: one set of large matrix products
// instead of two. The encoder's products run in config.training.precision (mixed precision with bf16: the losses,
// gradients, weights and optimizer stay float32). Every tensor is made inside tf.tidy or disposed here, so a step
// leaves tf.memory() as it was.
import * as tf from '@tensorflow/tfjs';
import { groupLoss } from '../losses/groupLoss';
import { pairLoss } from '../losses/pairLoss';
import { withAuxiliary } from '../losses/auxiliary';
import { computeGradients } from '../optim/adamw';
import type { GroupBatch } from '../sampling/groupSampler';
import type { PairBatch } from '../sampling/pairSampler';
import { stepSettings, type TrainingState } from './trainingState';

export type StepMetrics = {
  /** L_total of the batch, before the update. */
  loss: number;
  /** Loss of the final layer, L(H). */
  finalLoss: number;
  /** The weighted auxiliary terms w·L(h_l), l = 1 … L−1. */
  auxiliaryTerms: number[];
  /** t = exp(s) that the loss used. */
  logitScale: number;
  /** b that the loss used; null without a bias. */
  bias: number | null;
  /** √(Σ‖g‖²) over every trained parameter, before the update. */
  gradNorm: number;
  /** √(Σ‖θ‖²) over the encoder's parameters, after the update. */
  paramNorm: number;
  learningRate: number;
  /** Clips encoded by the step (ego and exo together). */
  clips: number;
};

/** Step 1: symmetric InfoNCE on B ego-exo pairs ([B, T, F] each). */
export function trainPairStep(state: TrainingState, batch: PairBatch): StepMetrics {
  const [pairs, tokens, dim] = batch.shape;
  const features = tf.tidy(
    () => tf.concat([tf.tensor3d(batch.ego, [pairs, tokens, dim]), tf.tensor3d(batch.exo, [pairs, tokens, dim])], 0) as tf.Tensor3D,
  ); // [2B, T, F]: ego rows, then exo rows
  try {
    return optimize(state, features, pairs, (ego, exo) => pairLoss(ego, exo, state.logitScale));
  } finally {
    features.dispose();
  }
}

/** Step 2: the sigmoid group loss on B groups of M ego and N exo clips ([B, M, T, F] and [B, N, T, F]). */
export function trainGroupStep(state: TrainingState, batch: GroupBatch): StepMetrics {
  const [groups, egoViews, tokens, dim] = batch.egoShape;
  const exoViews = batch.exoShape[1];
  const features = tf.tidy(
    () =>
      tf.concat(
        [tf.tensor3d(batch.ego, [groups * egoViews, tokens, dim]), tf.tensor3d(batch.exo, [groups * exoViews, tokens, dim])],
        0,
      ) as tf.Tensor3D,
  ); // [B·M + B·N, T, F]: group i's ego clips are rows i·M … i·M+M−1, its exo clips follow all ego rows likewise
  try {
    return optimize(state, features, groups * egoViews, (ego, exo) =>
      groupLoss(
        tf.reshape(ego, [groups, egoViews, -1]), // [B, M, D]
        tf.reshape(exo, [groups, exoViews, -1]), // [B, N, D]
        state.logitScale,
        state.logitBias,
      ),
    );
  } finally {
    features.dispose();
  }
}

/**
 * Encodes `features` once, splits each layer's embeddings [rows, D] into the first `egoRows` (ego) and the rest
 * (exo), applies `layerLoss` per layer with the auxiliary weights, and takes one optimizer step.
 */
function optimize(
  state: TrainingState,
  features: tf.Tensor3D,
  egoRows: number,
  layerLoss: (ego: tf.Tensor2D, exo: tf.Tensor2D) => tf.Scalar,
): StepMetrics {
  const settings = stepSettings(state.config, state.step);
  const auxiliaryWeights = new Array<number>(state.config.encoder.layers - 1).fill(settings.auxWeight);
  const rows = features.shape[0];
  const logitScale = Math.exp(state.logitScale.dataSync()[0] as number);
  const bias = state.logitBias === null ? null : (state.logitBias.dataSync()[0] as number);
  const logged: { terms?: tf.Tensor1D } = {};
  const { loss, grads } = computeGradients(state.params, () => {
    const { layers } = state.encoder.forward(features, { precision: state.config.training.precision }); // L × [rows, D]
    const perLayer = layers.map((embeddings) => {
      const [ego, exo] = tf.split(embeddings, [egoRows, rows - egoRows], 0) as [tf.Tensor2D, tf.Tensor2D];
      return layerLoss(ego, exo);
    });
    const combined = withAuxiliary(perLayer, auxiliaryWeights);
    logged.terms = tf.keep(tf.stack(combined.terms) as tf.Tensor1D); // kept past the gradient's tidy, for logging
    return combined.total;
  });
  try {
    const { gradNorm, parameterSquares } = state.optimizer.step(grads);
    state.updates += 1;
    const termValues = Array.from((logged.terms as tf.Tensor1D).dataSync());
    return {
      loss: loss.dataSync()[0] as number,
      finalLoss: termValues[termValues.length - 1] as number,
      auxiliaryTerms: termValues.slice(0, -1),
      logitScale,
      bias,
      gradNorm,
      paramNorm: encoderNorm(state, parameterSquares),
      learningRate: state.optimizer.learningRate,
      clips: rows,
    };
  } finally {
    tf.dispose([loss, ...grads.values()]);
    logged.terms?.dispose();
  }
}

/** √(Σ‖θ‖²) over the encoder's parameters, from the squares the optimizer took after updating them. */
function encoderNorm(state: TrainingState, parameterSquares: Map<string, number>): number {
  let squares = 0;
  for (const name of state.encoder.params.keys()) {
    const value = parameterSquares.get(name);
    if (value !== undefined) squares += value;
    else squares += tf.tidy(() => tf.sum(tf.square(state.encoder.params.get(name)!)).dataSync()[0] as number);
  }
  return Math.sqrt(squares);
}
