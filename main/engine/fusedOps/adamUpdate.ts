// One Adam/AdamW update of one parameter (Kingma & Ba 2015; decoupled decay, Loshchilov & Hutter 2019), as one
// fused op where the backend registers it (the native addon on wasm: one pass over θ, g, m and v instead of a
// dozen TF.js kernels), with the two squared norms the training step logs taken in the same pass:
//   m' = β1·m + (1−β1)·g;  v' = β2·v + (1−β2)·g²;  θ' = (1 − lr·wd)·θ − stepSize·m' / (√v'/c2 + ε)
// where stepSize = lr/(1 − β1^t) and c2 = √(1 − β2^t), as optim/adamw.ts computes them. adamUpdateMany updates
// every parameter of an optimizer step in one kernel call (per parameter the same pass), sparing a small model's
// step the engine's per-kernel cost dozens of times over.
import * as tf from '@tensorflow/tfjs';
import { fusedKernelNames, type AdamAttrs, type AdamManyAttrs } from './kernelNames';
import { runKernel, runsFused } from './nativeKernels';

export type AdamUpdate = {
  param: tf.Tensor;
  firstMoment: tf.Tensor;
  secondMoment: tf.Tensor;
  /** [Σg², Σθ'²], float32. */
  squares: tf.Tensor1D;
};

/** The updated parameter and moments (new tensors the caller owns) and the squared norms. */
export function adamUpdate(param: tf.Tensor, grad: tf.Tensor, firstMoment: tf.Tensor, secondMoment: tf.Tensor, attrs: AdamAttrs): AdamUpdate {
  if (runsFused(fusedKernelNames.adamUpdate)) {
    const [p, m, v, squares] = runKernel<tf.Tensor[]>(fusedKernelNames.adamUpdate, { param, grad, firstMoment, secondMoment }, attrs);
    return { param: p!, firstMoment: m!, secondMoment: v!, squares: squares as tf.Tensor1D };
  }
  return referenceAdamUpdate(param, grad, firstMoment, secondMoment, attrs);
}

export function referenceAdamUpdate(param: tf.Tensor, grad: tf.Tensor, firstMoment: tf.Tensor, secondMoment: tf.Tensor, attrs: AdamAttrs): AdamUpdate {
  return tf.tidy(() => {
    const { beta1, beta2, epsilon, stepSize, secondCorrection, decayFactor } = attrs;
    const m = tf.add(tf.mul(firstMoment, beta1), tf.mul(grad, 1 - beta1));
    const v = tf.add(tf.mul(secondMoment, beta2), tf.mul(tf.square(grad), 1 - beta2));
    const denominator = tf.add(tf.div(tf.sqrt(v), secondCorrection), epsilon);
    const decayed = decayFactor === 1 ? param : tf.mul(param, decayFactor);
    const p = tf.sub(decayed, tf.mul(tf.div(m, denominator), stepSize));
    const squares = tf.stack([tf.sum(tf.square(grad)), tf.sum(tf.square(p))]) as tf.Tensor1D;
    return { param: p, firstMoment: m, secondMoment: v, squares };
  });
}

/** One parameter's inputs to adamUpdateMany. */
export type AdamOperands = { param: tf.Tensor; grad: tf.Tensor; firstMoment: tf.Tensor; secondMoment: tf.Tensor; attrs: AdamAttrs };

/** Every parameter's update (as adamUpdate's, in order) and the squared norms [P, 2] (row i: [Σg², Σθ'²] of parameter i). */
export function adamUpdateMany(operands: readonly AdamOperands[]): { updates: Omit<AdamUpdate, 'squares'>[]; squares: tf.Tensor2D } {
  const P = operands.length;
  if (P > 0 && runsFused(fusedKernelNames.adamUpdateMany) && operands.every((o) => sameShared(o.attrs, operands[0]!.attrs))) {
    const { beta1, beta2, epsilon } = operands[0]!.attrs;
    const attrs: AdamManyAttrs = {
      beta1,
      beta2,
      epsilon,
      stepSizes: operands.map((o) => o.attrs.stepSize),
      secondCorrections: operands.map((o) => o.attrs.secondCorrection),
      decayFactors: operands.map((o) => o.attrs.decayFactor),
    };
    const inputs = operands.flatMap((o) => [o.param, o.grad, o.firstMoment, o.secondMoment]);
    const outputs = tf.engine().runKernel(fusedKernelNames.adamUpdateMany, inputs as unknown as tf.NamedTensorMap, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
    const updates = operands.map((_, i) => ({ param: outputs[3 * i]!, firstMoment: outputs[3 * i + 1]!, secondMoment: outputs[3 * i + 2]! }));
    return { updates, squares: outputs[3 * P] as tf.Tensor2D };
  }
  const each = operands.map((o) => adamUpdate(o.param, o.grad, o.firstMoment, o.secondMoment, o.attrs));
  const squares = tf.tidy(() => (P === 0 ? tf.zeros([0, 2]) : tf.stack(each.map((u) => u.squares)))) as tf.Tensor2D;
  tf.dispose(each.map((u) => u.squares));
  return { updates: each.map(({ param, firstMoment, secondMoment }) => ({ param, firstMoment, secondMoment })), squares };
}

function sameShared(a: AdamAttrs, b: AdamAttrs): boolean {
  return a.beta1 === b.beta1 && a.beta2 === b.beta2 && a.epsilon === b.epsilon;
}
