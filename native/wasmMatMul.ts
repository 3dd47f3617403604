// Replaces the wasm backend's transposed matrix-product paths with transpose-then-multiply.
// In @tensorflow/tfjs-backend-wasm 4.22 a BatchMatMul with transposeA runs at ~1 GFLOP/s and with transposeB at
// ~2–3.5 GFLOP/s, against ~30–40 GFLOP/s for the plain product (512×2048×512, one core; bench/matmul.ts), and
// every matMul gradient takes those paths (dA = dY·Bᵀ, dB = Aᵀ·dY). Materializing the transposed operand with the
// backend's own Transpose kernel and calling the original kernel with the flags off gives the plain speed back for
// the cost of one copy of that operand.
// Where the evgap_matmul addon loads (native/matmul), installNativeMatMul goes further: both kernels run in the
// addon, multi-threaded, on the wasm memory in place, with the transposes folded into its packing.
import * as tf from '@tensorflow/tfjs';
import type { MatMulAddon } from './matmul/index';
import { nativeBatchMatMul, nativeFusedMatMul } from './matmul/wasmKernels';

const patchedKernelNames = ['BatchMatMul', '_FusedMatMul'] as const;
/** The kernels as the wasm backend registered them, by name, while replacements are installed. */
const originalKernels = new Map<string, tf.KernelConfig>();
/** Which replacement kernels are registered now. */
let installedKind: 'transpose-free' | 'native' | undefined;

/** The matMul kernels the wasm backend runs now: its own, the transpose-free ones, or the addon's. */
export function installedMatMul(): 'wasm' | 'transpose-free' | 'native' {
  return installedKind ?? 'wasm';
}

/**
 * Re-registers the wasm backend's BatchMatMul and _FusedMatMul kernels (those present) so that transposed operands
 * are materialized first. Call after the wasm backend is registered; calling it again changes nothing, and neither
 * does calling it while the native kernels are installed (they have no slow transposed paths to avoid).
 * Returns the names of the kernels that are now transpose-free.
 */
export function installTransposeFreeMatMul(): string[] {
  if (installedKind === undefined) {
    const transposeFree = transposeFreeKernels();
    replaceKernels((kernelName) => transposeFree.get(kernelName) as tf.KernelFunc);
    installedKind = 'transpose-free';
  }
  return [...originalKernels.keys()];
}

/**
 * Runs BatchMatMul and _FusedMatMul (those present) in the evgap_matmul addon. Calling it again changes nothing.
 * Returns the names of the kernels that now run natively.
 */
export function installNativeMatMul(addon: MatMulAddon): string[] {
  if (installedKind !== 'native') {
    replaceKernels((kernelName) => (kernelName === 'BatchMatMul' ? nativeBatchMatMul(addon) : nativeFusedMatMul(addon)));
    installedKind = 'native';
  }
  return [...originalKernels.keys()];
}

/** Goes back from the native kernels to the transpose-free ones (does nothing if the native ones are not installed). */
export function removeNativeMatMul(): void {
  if (installedKind !== 'native') return;
  removeTransposeFreeMatMul();
  installTransposeFreeMatMul();
}

/** Puts the wasm backend's own kernels back (for measuring the difference). */
export function removeTransposeFreeMatMul(): void {
  for (const [kernelName, original] of originalKernels) {
    tf.unregisterKernel(kernelName, 'wasm');
    tf.registerKernel(original);
  }
  originalKernels.clear();
  installedKind = undefined;
}

/** The transpose-free version of each of the wasm backend's own matMul kernels, by name. */
function transposeFreeKernels(): Map<string, tf.KernelFunc> {
  const transposeKernel = tf.getKernel('Transpose', 'wasm');
  if (transposeKernel === undefined) {
    throw new Error("installTransposeFreeMatMul: expected the wasm backend's 'Transpose' kernel to be registered");
  }
  const kernels = new Map<string, tf.KernelFunc>();
  for (const kernelName of patchedKernelNames) {
    const original = originalKernels.get(kernelName) ?? tf.getKernel(kernelName, 'wasm');
    if (original !== undefined) kernels.set(kernelName, transposingFirst(original.kernelFunc, transposeKernel.kernelFunc));
  }
  return kernels;
}

/** Registers `replacement(name)` for each matMul kernel the wasm backend has, remembering its own. */
function replaceKernels(replacement: (kernelName: string) => tf.KernelFunc): void {
  for (const kernelName of patchedKernelNames) {
    const original = originalKernels.get(kernelName) ?? tf.getKernel(kernelName, 'wasm');
    if (original === undefined) continue;
    originalKernels.set(kernelName, original);
    tf.unregisterKernel(kernelName, 'wasm');
    tf.registerKernel({ ...original, kernelFunc: replacement(kernelName) });
  }
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
