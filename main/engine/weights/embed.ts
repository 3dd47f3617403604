// The core of `evgap embed`: per-clip embeddings of a feature array from an encoder weights file. The config
// comes from the file (inferEncoderConfig), the encoder runs in batches, and the result is the final-layer
// embedding H [B, D] or every layer's h_l [L, B, D], float32 and L2-normalized. A NaN or an infinity in the
// weights or the features is an error naming the tensor or the clip, before any embedding is computed.

import * as tf from '@tensorflow/tfjs';
import { ArgumentError } from '../../../contract/errors';
import { createEncoder } from '../encoder/encoder';
import { checkFiniteClips } from '../finiteValues';
import { decodeEncoderSafetensors, importEncoderTensors, type InferOptions } from './encoderWeights';

export type FeatureArray = { data: Float32Array; shape: number[] };

export type EmbedOptions = InferOptions & {
  /** Every layer's embedding [L, B, D] instead of the final layer's [B, D]. */
  allLayers?: boolean;
  /** Clips per forward pass, to bound memory. */
  batchSize?: number;
  /** Names the weights and the features in errors (default 'weights', 'features'). */
  sources?: { weights?: string; features?: string };
};

/** Embeddings of features [B, T, F] by the encoder in safetensors bytes `weightsFile`. */
export function embedFeatures(weightsFile: Uint8Array, input: FeatureArray, options: EmbedOptions = {}): FeatureArray {
  const { config, tensors } = decodeEncoderSafetensors(weightsFile, options, options.sources?.weights);
  const { inputDim: F, tokens: T, modelDim: D, layers: L } = config;
  const [B, inputT, inputF] = input.shape as [number, number, number];
  if (input.shape.length !== 3 || inputT !== T || inputF !== F) {
    throw new ArgumentError(`expected features of shape [B, ${T}, ${F}], got [${input.shape.join(', ')}]`);
  }
  if (input.data.length !== B * T * F) {
    throw new ArgumentError(`expected ${B * T * F} feature values for shape [${input.shape}], got ${input.data.length}`);
  }
  checkFiniteClips(input.data, input.shape, options.sources?.features ?? 'features');
  const batchSize = options.batchSize ?? 256;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new ArgumentError(`expected batchSize >= 1, got ${batchSize}`);
  const encoder = createEncoder(config, 0);
  try {
    importEncoderTensors(encoder, tensors);
    const out = new Float32Array((options.allLayers ? L : 1) * B * D);
    for (let start = 0; start < B; start += batchSize) {
      const count = Math.min(batchSize, B - start);
      const x = tf.tensor3d(input.data.subarray(start * T * F, (start + count) * T * F), [count, T, F]);
      const { layers } = encoder.forward(x);
      const wanted = options.allLayers ? layers : layers.slice(-1);
      wanted.forEach((layer, l) => out.set(layer.dataSync(), l * B * D + start * D));
      tf.dispose([x, ...layers]);
    }
    return { data: out, shape: options.allLayers ? [L, B, D] : [B, D] };
  } finally {
    encoder.dispose();
  }
}
