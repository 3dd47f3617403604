// Runs a tfjs loss on plain arrays and reads back its value and its gradients, leaving no tensors behind.
import * as tf from '@tensorflow/tfjs';

export type Evaluation = { value: number; gradients: number[][] };

/** `inputs` are [values, shape] pairs; gradients come back in the same order, as plain arrays. */
export function evaluateWithGradients(
  loss: (...tensors: tf.Tensor[]) => tf.Scalar,
  inputs: [number[], number[]][],
): Evaluation {
  return tf.tidy(() => {
    const tensors = inputs.map(([values, shape]) => tf.tensor(values, shape, 'float32'));
    const { value, grads } = tf.valueAndGrads(loss)(tensors);
    return { value: value.dataSync()[0] as number, gradients: grads.map((grad) => Array.from(grad.dataSync())) };
  });
}
