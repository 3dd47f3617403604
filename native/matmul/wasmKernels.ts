// TF.js kernels for the wasm backend that run BatchMatMul and _FusedMatMul in the evgap_matmul addon, in place:
// the operands are read and the output written where the wasm backend keeps them, in its WebAssembly.Memory
// buffer (dataIdMap's memoryOffset), so a call copies nothing. The output is allocated by the backend itself
// (makeOutput), exactly as its own kernels do, so disposal and reads work unchanged. Semantics follow TF.js's
// BatchMatMul: operands of rank ≥ 2, transposeA/transposeB on the last two axes, leading (batch) axes broadcast.
// A _FusedMatMul whose bias or prelu weights are not a scalar or a per-column vector (which the addon adds in its
// epilogue) is the native product followed by the backend's own Add and activation kernels.
// Both kernels take one attribute of their own besides TF.js's: `precision: 'bf16'` multiplies bf16-rounded operands
// with float32 sums where the addon's bf16 kernel is enabled (mixed-precision training calls them so through
// tf.engine().runKernel; TF.js's ops never set it, so their products stay float32).
import * as tf from '@tensorflow/tfjs';
import { addonActivations, addonPrecisions, type MatMulAddon } from './index';
import { memoryOffsetOf, type WasmBackend } from './wasmMemory';


/** Row, column and inner sizes of a product and where each output batch entry reads its operands. */
type ProductLayout = {
  outShape: number[];
  m: number;
  n: number;
  k: number;
  aBatchOffsets: Uint32Array;
  bBatchOffsets: Uint32Array;
};

function layoutOf(a: tf.TensorInfo, b: tf.TensorInfo, transposeA: boolean, transposeB: boolean, kernelName: string): ProductLayout {
  if (a.shape.length < 2 || b.shape.length < 2) {
    throw new Error(`${kernelName}: expected operands of rank >= 2, got shapes [${a.shape}] and [${b.shape}]`);
  }
  const [aRows, aCols] = a.shape.slice(-2) as [number, number];
  const [bRows, bCols] = b.shape.slice(-2) as [number, number];
  const [m, k] = transposeA ? [aCols, aRows] : [aRows, aCols];
  const [bInner, n] = transposeB ? [bCols, bRows] : [bRows, bCols];
  if (k !== bInner) {
    throw new Error(
      `Error in matMul: inner shapes (${k}) and (${bInner}) of Tensors with shapes ${a.shape} and ${b.shape} and ` +
        `transposeA=${transposeA} and transposeB=${transposeB} must match.`,
    );
  }
  const aBatchShape = a.shape.slice(0, -2);
  const bBatchShape = b.shape.slice(0, -2);
  const batchShape = tf.broadcast_util.assertAndGetBroadcastShape(aBatchShape, bBatchShape);
  return {
    outShape: [...batchShape, m, n],
    m,
    n,
    k,
    aBatchOffsets: batchOffsets(aBatchShape, batchShape, m * k),
    bBatchOffsets: batchOffsets(bBatchShape, batchShape, k * n),
  };
}

/**
 * For every entry of the broadcast batch shape (row-major), the float offset of the operand's matrix: the
 * operand's batch shape is right-aligned with the broadcast one and its 1-sized axes repeat.
 */
function batchOffsets(operandBatch: number[], batchShape: number[], matrixSize: number): Uint32Array {
  const entries = tf.util.sizeFromShape(batchShape);
  const offsets = new Uint32Array(entries);
  const operandEntries = tf.util.sizeFromShape(operandBatch);
  if (operandEntries === 1) return offsets;
  if (operandEntries === entries) {
    for (let entry = 0; entry < entries; entry++) offsets[entry] = entry * matrixSize;
    return offsets;
  }
  const lead = batchShape.length - operandBatch.length;
  const strides = operandBatch.map((_, axis) => tf.util.sizeFromShape(operandBatch.slice(axis + 1)));
  for (let entry = 0; entry < entries; entry++) {
    let rest = entry;
    let operandEntry = 0;
    for (let axis = batchShape.length - 1; axis >= 0; axis--) {
      const size = batchShape[axis] as number;
      const index = rest % size;
      rest = Math.floor(rest / size);
      const operandAxis = axis - lead;
      if (operandAxis >= 0 && operandBatch[operandAxis] !== 1) operandEntry += index * (strides[operandAxis] as number);
    }
    offsets[entry] = operandEntry * matrixSize;
  }
  return offsets;
}


/** Whether a bias / prelu weights tensor is one value or one value per output column (the addon's epilogue). */
function perColumnLength(tensor: tf.TensorInfo, columns: number): number | undefined {
  const size = tf.util.sizeFromShape(tensor.shape);
  if (size === 1) return 1;
  const leadingOnes = tensor.shape.slice(0, -1).every((dim) => dim === 1);
  return leadingOnes && tensor.shape[tensor.shape.length - 1] === columns ? columns : undefined;
}

/** The addon's precision code for a kernel's `precision` attribute (absent: float32). */
export function precisionCode(attrs: tf.NamedAttrMap | undefined): number {
  return attrs?.['precision'] === 'bf16' ? addonPrecisions.bf16 : addonPrecisions.fp32;
}

function checkFloat32(kernelName: string, ...tensors: tf.TensorInfo[]): void {
  for (const tensor of tensors) {
    if (tensor.dtype !== 'float32') throw new Error(`${kernelName}: expected float32 operands, got ${tensor.dtype}`);
  }
}

/** BatchMatMul computed by the addon into the output the wasm backend allocates. */
export function nativeBatchMatMul(addon: MatMulAddon): tf.KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const { a, b } = inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
    checkFloat32('BatchMatMul', a, b);
    const transposeA = attrs?.['transposeA'] === true;
    const transposeB = attrs?.['transposeB'] === true;
    const wasm = backend as unknown as WasmBackend;
    const layout = layoutOf(a, b, transposeA, transposeB, 'BatchMatMul');
    const out = wasm.makeOutput(layout.outShape, 'float32');
    if (tf.util.sizeFromShape(layout.outShape) === 0) return out;
    // Read the buffer after makeOutput: allocating may have grown the memory and replaced its ArrayBuffer.
    addon.matmul(
      wasm.wasm.HEAPU8.buffer as ArrayBuffer,
      memoryOffsetOf(wasm, a),
      memoryOffsetOf(wasm, b),
      memoryOffsetOf(wasm, out),
      layout.aBatchOffsets,
      layout.bBatchOffsets,
      layout.m,
      layout.n,
      layout.k,
      transposeA,
      transposeB,
      precisionCode(attrs),
    );
    return out;
  };
}

/** The wasm backend's kernel for each fusable activation, and its attributes. */
const activationKernels: Record<string, { kernelName: string; attrs?: (leakyreluAlpha: number) => tf.NamedAttrMap }> = {
  relu: { kernelName: 'Relu' },
  relu6: { kernelName: 'Relu6' },
  leakyrelu: { kernelName: 'LeakyRelu', attrs: (alpha) => ({ alpha }) },
  sigmoid: { kernelName: 'Sigmoid' },
  elu: { kernelName: 'Elu' },
  prelu: { kernelName: 'Prelu' },
};

type KernelCall = { inputs: tf.NamedTensorInfoMap; attrs?: tf.NamedAttrMap };

function runWasmKernel(kernelName: string, { inputs, attrs }: KernelCall, backend: tf.KernelBackend): tf.TensorInfo {
  const kernel = tf.getKernel(kernelName, 'wasm');
  if (kernel === undefined) throw new Error(`_FusedMatMul: the wasm backend has no '${kernelName}' kernel`);
  return kernel.kernelFunc({ inputs, attrs: attrs ?? {}, backend }) as tf.TensorInfo;
}

/** The product by the addon, then bias and activation by the backend's kernels (any broadcastable bias). */
function composedFusedMatMul(addon: MatMulAddon): tf.KernelFunc {
  const multiply = nativeBatchMatMul(addon);
  return ({ inputs, backend: anyBackend, attrs }) => {
    const backend = anyBackend as tf.KernelBackend;
    const { a, b, bias, preluActivationWeights: prelu } = inputs as Record<string, tf.TensorInfo | undefined>;
    const activation = String(attrs?.['activation'] ?? 'linear');
    let result = multiply({ inputs: { a: a as tf.TensorInfo, b: b as tf.TensorInfo }, backend, attrs }) as tf.TensorInfo;
    const replace = (next: tf.TensorInfo): void => {
      backend.disposeData(result.dataId);
      result = next;
    };
    try {
      if (bias !== undefined) replace(runWasmKernel('Add', { inputs: { a: result, b: bias } }, backend));
      const kernel = activationKernels[activation];
      if (kernel !== undefined) {
        const activationInputs = kernel.kernelName === 'Prelu' ? { x: result, alpha: prelu as tf.TensorInfo } : { x: result };
        const activationAttrs = kernel.attrs?.(Number(attrs?.['leakyreluAlpha'] ?? 0.2)) ?? {};
        replace(runWasmKernel(kernel.kernelName, { inputs: activationInputs, attrs: activationAttrs }, backend));
      } else if (activation !== 'linear') {
        throw new Error(`_FusedMatMul: expected activation linear, ${Object.keys(activationKernels).join(', ')}; got ${activation}`);
      }
      return result;
    } catch (error) {
      backend.disposeData(result.dataId);
      throw error;
    }
  };
}

/**
 * _FusedMatMul (product, then bias, then activation): in one pass over the output by the addon where the bias and
 * prelu weights are scalars or per-column vectors, else composed of the native product and the backend's kernels.
 */
export function nativeFusedMatMul(addon: MatMulAddon): tf.KernelFunc {
  const composed = composedFusedMatMul(addon);
  return (args) => {
    const { inputs, backend, attrs } = args;
    const { a, b, bias, preluActivationWeights: prelu } = inputs as Record<string, tf.TensorInfo | undefined> & {
      a: tf.TensorInfo;
      b: tf.TensorInfo;
    };
    checkFloat32('_FusedMatMul', a, b);
    const transposeA = attrs?.['transposeA'] === true;
    const transposeB = attrs?.['transposeB'] === true;
    const activation = addonActivations.indexOf((attrs?.['activation'] ?? 'linear') as (typeof addonActivations)[number]);
    const layout = layoutOf(a, b, transposeA, transposeB, '_FusedMatMul');
    const biasLength = bias === undefined ? 0 : perColumnLength(bias, layout.n);
    const preluLength = prelu === undefined ? 0 : perColumnLength(prelu, layout.n);
    const preluMissing = addonActivations[activation] === 'prelu' && prelu === undefined;
    if (activation < 0 || biasLength === undefined || preluLength === undefined || preluMissing) return composed(args);
    const wasm = backend as unknown as WasmBackend;
    const out = wasm.makeOutput(layout.outShape, 'float32');
    if (tf.util.sizeFromShape(layout.outShape) === 0) return out;
    addon.matmul(
      wasm.wasm.HEAPU8.buffer as ArrayBuffer,
      memoryOffsetOf(wasm, a),
      memoryOffsetOf(wasm, b),
      memoryOffsetOf(wasm, out),
      layout.aBatchOffsets,
      layout.bBatchOffsets,
      layout.m,
      layout.n,
      layout.k,
      transposeA,
      transposeB,
      precisionCode(attrs),
      bias === undefined ? -1 : memoryOffsetOf(wasm, bias),
      biasLength,
      activation,
      Number(attrs?.['leakyreluAlpha'] ?? 0.2),
      prelu === undefined ? -1 : memoryOffsetOf(wasm, prelu),
      preluLength,
    );
    return out;
  };
}
