// The two clip embedders cross-view retrieval compares:
// - RAW features, the Base: the mean of the window's raw per-frame feature rows, L2-normalized. No training is
//   involved, so it is the reference a pre-trained encoder has to beat.
// - An EVGAP encoder (trained weights): the final layer's class-token embedding H, already L2-normalized by the
//   encoder, computed in batches to bound memory.
import * as tf from '@tensorflow/tfjs';
import { ArgumentError } from '../../../contract/errors';
import { createEncoder, type Encoder } from '../../engine/encoder/encoder';
import { decodeEncoderSafetensors, importEncoderTensors, type InferOptions } from '../../engine/weights/encoderWeights';
import type { ClipEmbedder } from './evaluationClips';

/** Base: mean-pool each clip's T feature rows, then scale the mean to unit length (a zero mean stays zero). */
export const rawFeatureEmbedder: ClipEmbedder = ({ data, shape }) => {
  const [clips, tokens, dim] = shape;
  const out = new Float32Array(clips * dim);
  const mean = new Float64Array(dim);
  for (let c = 0; c < clips; c++) {
    mean.fill(0);
    for (let t = 0; t < tokens; t++) {
      const row = (c * tokens + t) * dim;
      for (let f = 0; f < dim; f++) mean[f] = mean[f]! + data[row + f]!;
    }
    let squared = 0;
    for (let f = 0; f < dim; f++) squared += mean[f]! ** 2;
    const scale = squared > 0 ? 1 / Math.sqrt(squared) : 0;
    for (let f = 0; f < dim; f++) out[c * dim + f] = mean[f]! * scale;
  }
  return { data: out, shape: [clips, dim] };
};

/** The encoder's final-layer embedding H of each clip, `batchSize` clips per forward pass. */
export function encoderEmbedder(encoder: Encoder, batchSize = 64): ClipEmbedder {
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new ArgumentError(`expected batchSize >= 1, got ${batchSize}`);
  const { tokens: T, inputDim: F, modelDim: D } = encoder.config;
  return ({ data, shape }) => {
    const [clips, clipTokens, dim] = shape;
    if (clipTokens !== T || dim !== F) {
      throw new ArgumentError(`expected clips of shape [B, ${T}, ${F}] for the encoder, got [${shape.join(', ')}]`);
    }
    const out = new Float32Array(clips * D);
    for (let start = 0; start < clips; start += batchSize) {
      const count = Math.min(batchSize, clips - start);
      const x = tf.tensor3d(data.subarray(start * T * F, (start + count) * T * F), [count, T, F]);
      const { layers } = encoder.forward(x);
      out.set((layers[layers.length - 1] as tf.Tensor2D).dataSync(), start * D);
      tf.dispose([x, ...layers]);
    }
    return { data: out, shape: [clips, D] };
  };
}

/** An encoder with the weights of a safetensors file (config inferred from it); the caller disposes it. */
export function encoderFromSafetensors(bytes: Uint8Array, source: string, options: InferOptions = {}): Encoder {
  const { config, tensors } = decodeEncoderSafetensors(bytes, options, source);
  const encoder = createEncoder(config, 0);
  try {
    importEncoderTensors(encoder, tensors, source);
    return encoder;
  } catch (error) {
    encoder.dispose();
    throw error;
  }
}
