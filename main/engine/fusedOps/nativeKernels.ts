// How the fused ops reach a backend's implementation: a kernel registered under a fused kernel name on the active
// backend is used; otherwise the op is composed of TF.js's own ops (its reference implementation), so the engine
// runs on every backend. Tests switch the fused kernels off with `useFusedKernels(false)` to compare the two.
import * as tf from '@tensorflow/tfjs';
import type { Precision } from '../config';
import type { FusedKernelName } from './kernelNames';

let enabled = true;

/** Whether `kernelName` runs as the active backend's own kernel now. */
export function runsFused(kernelName: FusedKernelName): boolean {
  return enabled && tf.getKernel(kernelName, tf.getBackend()) !== undefined;
}

/** Whether the fused ops are on (the default); the ones computed in JavaScript (similarityLoss.ts) follow this alone. */
export function fusedOpsEnabled(): boolean {
  return enabled;
}

/** false: every fused op runs its TF.js reference even where a backend registers the kernel (for comparisons). */
export function useFusedKernels(use: boolean): void {
  enabled = use;
}

/** Runs a registered kernel (with the engine's tape, so its registered gradient applies). */
export function runKernel<T extends tf.Tensor | tf.Tensor[]>(kernelName: string, inputs: Record<string, tf.Tensor>, attrs: object): T {
  return tf.engine().runKernel(kernelName, inputs as tf.NamedTensorMap, attrs as tf.NamedAttrMap) as T;
}

/** a·b (transposes as flagged) through the active backend's BatchMatMul, with the precision the native one honours. */
export function matMulIn(precision: Precision, a: tf.Tensor, b: tf.Tensor, transposeA: boolean, transposeB: boolean): tf.Tensor {
  return runKernel<tf.Tensor>('BatchMatMul', { a, b }, { transposeA, transposeB, precision });
}
