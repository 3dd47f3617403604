// Transpose, Slice, Sum, Concat, SplitV and Add for the wasm backend in the evgap_matmul addon, in place on the wasm memory like the
// matMul kernels (wasmKernels.ts). Profiling a `paper` training step with the native matMul showed these as the
// next largest kernels: the attention's head transposes, the weight transposes of every Linear and their gradients;
// q, k and v sliced out of the stacked projection (the wasm Slice copies its whole input out of the heap first);
// bias-gradient sums over rows (the wasm Sum transposes first). The segmentation and anticipation heads' concatenations
// along inner axes and their gradients (SplitV) came next: the wasm Concat copies row by row in JavaScript and its
// SplitV copies the whole input out of the heap once per piece. Add of two large float32 tensors of one shape (the
// residual stream and the accumulation of its gradients: 29 of a `paper` step's adds took 8.6 ms on the wasm
// backend's one thread) runs on the addon's threads. Forms the addon does not take — other element sizes,
// non-contiguous reduction axes, no-op permutations, broadcasting or small additions — go to the wasm backend's own kernel.
import * as tf from '@tensorflow/tfjs';
import type { MatMulAddon } from './index';
import { memoryOffsetOf, type WasmBackend } from './wasmMemory';


const replacedKernelNames = ['Transpose', 'Slice', 'Sum', 'Concat', 'SplitV', 'Add'] as const;
/** Additions smaller than this stay on the wasm backend's kernel: waking the addon's threads costs more. */
const nativeAddElements = 1 << 15;
const originalKernels = new Map<string, tf.KernelConfig>();


function nativeTranspose(addon: MatMulAddon, original: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const x = args.inputs['x'] as tf.TensorInfo;
    const perm = (args.attrs?.['perm'] ?? []) as number[];
    const noOp = perm.every((axis, index) => axis === index || x.shape[axis] === 1);
    if ((x.dtype !== 'float32' && x.dtype !== 'int32') || noOp || perm.length !== x.shape.length) return original(args);
    const wasm = args.backend as unknown as WasmBackend;
    const out = wasm.makeOutput(
      perm.map((axis) => x.shape[axis] as number),
      x.dtype,
    );
    if (tf.util.sizeFromShape(x.shape) === 0) return out;
    addon.transpose(
      wasm.wasm.HEAPU8.buffer as ArrayBuffer,
      memoryOffsetOf(wasm, x),
      memoryOffsetOf(wasm, out),
      Uint32Array.from(x.shape),
      Uint32Array.from(perm),
    );
    return out;
  };
}

function nativeSlice(addon: MatMulAddon, original: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const x = args.inputs['x'] as tf.TensorInfo;
    if (x.dtype !== 'float32' && x.dtype !== 'int32') return original(args);
    const [begin, size] = tf.slice_util.parseSliceParams(x, args.attrs?.['begin'] as number[], args.attrs?.['size'] as number[]) as [
      number[],
      number[],
    ];
    const wasm = args.backend as unknown as WasmBackend;
    const out = wasm.makeOutput(size, x.dtype);
    if (tf.util.sizeFromShape(size) === 0) return out;
    addon.slice(
      wasm.wasm.HEAPU8.buffer as ArrayBuffer,
      memoryOffsetOf(wasm, x),
      memoryOffsetOf(wasm, out),
      Uint32Array.from(x.shape),
      Uint32Array.from(begin),
      Uint32Array.from(size),
    );
    return out;
  };
}

function nativeSum(addon: MatMulAddon, original: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const x = args.inputs['x'] as tf.TensorInfo;
    if (x.dtype !== 'float32') return original(args);
    const axes = tf.util.parseAxisParam(args.attrs?.['axis'] as number | number[], x.shape).sort((a, b) => a - b);
    const first = axes[0];
    const last = axes[axes.length - 1];
    const contiguous = first !== undefined && last !== undefined && last - first === axes.length - 1;
    if (!contiguous) return original(args);
    const wasm = args.backend as unknown as WasmBackend;
    const reducedShape = x.shape.filter((_, axis) => !axes.includes(axis));
    const keepDims = args.attrs?.['keepDims'] === true;
    const outShape = keepDims ? x.shape.map((size, axis) => (axes.includes(axis) ? 1 : size)) : reducedShape;
    const out = wasm.makeOutput(outShape, 'float32');
    const outer = tf.util.sizeFromShape(x.shape.slice(0, first));
    const inner = tf.util.sizeFromShape(x.shape.slice(last + 1));
    const reduced = tf.util.sizeFromShape(x.shape.slice(first, last + 1));
    if (outer * inner === 0) return out;
    addon.sum(wasm.wasm.HEAPU8.buffer as ArrayBuffer, memoryOffsetOf(wasm, x), memoryOffsetOf(wasm, out), outer, reduced, inner);
    return out;
  };
}

/** Concat along any axis: each input placed into its block of the output by the addon (the wasm kernel copies row by row in JavaScript). */
function nativeConcat(addon: MatMulAddon, original: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const inputs = (args.inputs as unknown as tf.TensorInfo[]).filter((x) => tf.util.sizeFromShape(x.shape) > 0);
    const dtype = (args.inputs as unknown as tf.TensorInfo[])[0]?.dtype;
    if (inputs.length < 2 || (dtype !== 'float32' && dtype !== 'int32') || inputs.some((x) => x.dtype !== dtype)) return original(args);
    const axis = tf.util.parseAxisParam(args.attrs?.['axis'] as number, inputs[0]!.shape)[0]!;
    const outShape = tf.backend_util.computeOutShape(inputs.map((x) => x.shape), axis);
    const wasm = args.backend as unknown as WasmBackend;
    const out = wasm.makeOutput(outShape, dtype);
    const shape = Uint32Array.from(outShape);
    const begin = new Uint32Array(outShape.length);
    for (const x of inputs) {
      addon.place(wasm.wasm.HEAPU8.buffer as ArrayBuffer, memoryOffsetOf(wasm, x), memoryOffsetOf(wasm, out), shape, begin, Uint32Array.from(x.shape));
      begin[axis] = begin[axis]! + (x.shape[axis] as number);
    }
    return out;
  };
}

/** SplitV: each piece sliced by the addon (the wasm kernel's slices copy the whole input out of the heap each). */
function nativeSplitV(addon: MatMulAddon, original: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const x = args.inputs['x'] as tf.TensorInfo;
    if (x.dtype !== 'float32' && x.dtype !== 'int32') return original(args);
    const axis = tf.util.parseAxisParam(args.attrs?.['axis'] as number, x.shape)[0]!;
    const sizes = tf.backend_util.prepareSplitSize(x as tf.Tensor, args.attrs?.['numOrSizeSplits'] as number[] | number, axis);
    const wasm = args.backend as unknown as WasmBackend;
    const shape = Uint32Array.from(x.shape);
    const begin = new Uint32Array(x.shape.length);
    return sizes.map((extent) => {
      const size = x.shape.map((d, i) => (i === axis ? extent : d));
      const out = wasm.makeOutput(size, x.dtype);
      if (tf.util.sizeFromShape(size) > 0) {
        addon.slice(wasm.wasm.HEAPU8.buffer as ArrayBuffer, memoryOffsetOf(wasm, x), memoryOffsetOf(wasm, out), shape, begin, Uint32Array.from(size));
      }
      begin[axis] = begin[axis]! + extent;
      return out;
    });
  };
}

/** Add of two float32 tensors of one shape, of at least nativeAddElements values. */
function nativeAdd(addon: MatMulAddon, original: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const a = args.inputs['a'] as tf.TensorInfo;
    const b = args.inputs['b'] as tf.TensorInfo;
    const size = tf.util.sizeFromShape(a.shape);
    if (a.dtype !== 'float32' || b.dtype !== 'float32' || size < nativeAddElements || !tf.util.arraysEqual(a.shape, b.shape)) return original(args);
    const wasm = args.backend as unknown as WasmBackend;
    const out = wasm.makeOutput(a.shape, 'float32');
    addon.add(wasm.wasm.HEAPU8.buffer as ArrayBuffer, memoryOffsetOf(wasm, a), memoryOffsetOf(wasm, b), memoryOffsetOf(wasm, out), size);
    return out;
  };
}

/** Runs Transpose, Slice, Sum, Concat, SplitV and Add in the addon; calling it again changes nothing. Returns the kernels now native. */
export function installNativeLayoutKernels(addon: MatMulAddon): string[] {
  for (const kernelName of replacedKernelNames) {
    if (originalKernels.has(kernelName)) continue;
    const original = tf.getKernel(kernelName, 'wasm');
    if (original === undefined) continue;
    originalKernels.set(kernelName, original);
    const replacement = { Transpose: nativeTranspose, Slice: nativeSlice, Sum: nativeSum, Concat: nativeConcat, SplitV: nativeSplitV, Add: nativeAdd }[kernelName](
      addon,
      original.kernelFunc,
    );
    tf.unregisterKernel(kernelName, 'wasm');
    tf.registerKernel({ ...original, kernelFunc: replacement });
  }
  return [...originalKernels.keys()];
}

/** Puts the wasm backend's own Transpose, Slice, Sum, Concat, SplitV and Add back. */
export function removeNativeLayoutKernels(): void {
  for (const [kernelName, original] of originalKernels) {
    tf.unregisterKernel(kernelName, 'wasm');
    tf.registerKernel(original);
  }
  originalKernels.clear();
}
