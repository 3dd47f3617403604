// The wasm backend's Identity kernel copies its input into new memory; TF.js calls it for every tf.clone, and the
// tape clones every tensor it saves for the backward pass, so a `paper` training step copied about 500 tensors
// (its weights and activations, ~0.2 GB) only to keep them. Tensors are immutable, so the replacement shares the
// input's memory and counts one more reference to it (what the cpu backend's Identity and the wasm Reshape do).
import * as tf from '@tensorflow/tfjs';

type RefCountingBackend = { incRef(dataId: tf.DataId): void };

let original: tf.KernelConfig | undefined;

/** Registers the sharing Identity for the wasm backend; calling it again changes nothing. */
export function installSharedIdentity(): void {
  if (original !== undefined) return;
  const own = tf.getKernel('Identity', 'wasm');
  if (own === undefined) return;
  original = own;
  tf.unregisterKernel('Identity', 'wasm');
  tf.registerKernel({
    ...own,
    kernelFunc: (args) => {
      const x = args.inputs['x'] as tf.TensorInfo;
      if (x.dtype === 'string') return own.kernelFunc(args);
      (args.backend as unknown as RefCountingBackend).incRef(x.dataId);
      return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
    },
  });
}

/** Puts the wasm backend's own (copying) Identity back. */
export function removeSharedIdentity(): void {
  if (original === undefined) return;
  tf.unregisterKernel('Identity', 'wasm');
  tf.registerKernel(original);
  original = undefined;
}
