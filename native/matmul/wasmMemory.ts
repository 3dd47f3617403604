// Where the wasm backend keeps a tensor: the parts of @tensorflow/tfjs-backend-wasm's BackendWasm that the addon's
// kernels use to read and write tensors in place in its WebAssembly.Memory.
import type * as tf from '@tensorflow/tfjs';

export type WasmBackend = {
  dataIdMap: { get(dataId: tf.DataId): { memoryOffset: number } | undefined };
  wasm: { HEAPU8: Uint8Array };
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
};

export function memoryOffsetOf(backend: WasmBackend, tensor: tf.TensorInfo): number {
  const data = backend.dataIdMap.get(tensor.dataId);
  if (data === undefined) throw new Error('native kernel: a tensor has no data on the wasm backend');
  return data.memoryOffset;
}

/** The wasm memory's buffer; read it after every makeOutput, which may grow the memory and replace its buffer. */
export function heapOf(backend: WasmBackend): ArrayBuffer {
  return backend.wasm.HEAPU8.buffer as ArrayBuffer;
}
