// Replaces the wasm backend's transposed matrix-product paths with transpose-then-multiply.
// In @tensorflow/tfjs-backend-wasm 4.22 a BatchMatMul with transposeA runs at ~1 GFLOP/s and with transposeB at
// ~2–3.5 GFLOP/s, against ~30–40 GFLOP/s for the plain product (512×2048×512, one core; bench/matmul.ts), and
// every matMul gradient takes those paths (dA = dY·Bᵀ, dB = Aᵀ·dY). Materializing the transposed operand with the
// backend's own Transpose kernel and calling the original kernel with the flags off gives the plain speed back for
// the cost of one copy of that operand.
import * as tf from '@tensorflow/tfjs';

const patchedKernelNames = ['BatchMatMul', '_FusedMatMul'] as const;
/** The kernels as the wasm backend registered them, by name, while the transpose-free ones are installed. */
const originalKernels = new Map<string, tf.KernelConfig>();

/**
 * Re-registers the wasm backend's BatchMatMul and _FusedMatMul kernels (those present) so that transposed operands
 * are materialized first. Call after the wasm backend is registered; calling it again changes nothing.
 * Returns the names of the kernels that are now transpose-free.
 */
export function installTransposeFreeMatMul(): string[] {
  const transposeKernel = tf.getKernel('Transpose', 'wasm');
  if (transposeKernel === undefined) {
    throw new Error("installTransposeFreeMatMul: expected the wasm backend's 'Transpose' kernel to be registered");
  }
  const installed: string[] = [];
  for (const kernelName of patchedKernelNames) {
    const original = tf.getKernel(kernelName, 'wasm');
    if (original === undefined) continue;
    if (!originalKernels.has(kernelName)) {
      originalKernels.set(kernelName, original);
      tf.unregisterKernel(kernelName, 'wasm');
      tf.registerKernel({ ...original, kernelFunc: transposingFirst(original.kernelFunc, transposeKernel.kernelFunc) });
    }
    installed.push(kernelName);
  }
  return installed;
}

/** Puts the wasm backend's own kernels back (for measuring the difference). */
export function removeTransposeFreeMatMul(): void {
  for (const [kernelName, original] of originalKernels) {
    tf.unregisterKernel(kernelName, 'wasm');
    tf.registerKernel(original);
  }
  originalKernels.clear();
}

/** A matMul kernel that hands `multiply` only untransposed operands, freeing the copies it made. */
function transposingFirst(multiply: tf.KernelFunc, transpose: tf.KernelFunc): tf.KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const transposeA = attrs?.['transposeA'] === true;
    const transposeB = attrs?.['transposeB'] === true;
    if (!transposeA && !transposeB) return multiply({ inputs, backend, attrs });
    const copies: tf.TensorInfo[] = [];
    const swapLastTwoAxes = (x: tf.TensorInfo): tf.TensorInfo => {
      const rank = x.shape.length;
      const perm = [...Array(rank - 2).keys(), rank - 1, rank - 2];
      const copy = transpose({ inputs: { x }, backend, attrs: { perm } }) as tf.TensorInfo;
      copies.push(copy);
      return copy;
    };
    try {
      const a = inputs['a'] as tf.TensorInfo;
      const b = inputs['b'] as tf.TensorInfo;
      return multiply({
        inputs: { ...inputs, a: transposeA ? swapLastTwoAxes(a) : a, b: transposeB ? swapLastTwoAxes(b) : b },
        backend,
        attrs: { ...attrs, transposeA: false, transposeB: false },
      });
    } finally {
      for (const copy of copies) (backend as tf.KernelBackend).disposeData(copy.dataId);
    }
  };
}
