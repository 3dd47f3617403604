// One Adam/AdamW update of one parameter (Kingma & Ba 2015; decoupled decay, Loshchilov & Hutter 2019), as one
// fused op where the backend registers it (the native addon on wasm: one pass over θ, g, m and v instead of a
// dozen TF.js kernels), with the two squared norms the training step logs taken in the same pass:
//   m' = β1·m + (1−β1)·g;  v' = β2·v + (1−β2)·g²;  θ' = (1 − lr·wd)·θ − stepSize·m' / (√v'/c2 + ε)
// where stepSize = lr/(1 − β1^t) and c2 = √(1 − β2^t), as optim/adamw.ts computes them.
import * as tf from '@tensorflow/tfjs';
import { fusedKernelNames, type AdamAttrs } from './kernelNames';
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
