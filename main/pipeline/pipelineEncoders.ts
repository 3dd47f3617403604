// The encoders the evaluation stages compare, kept as checkpoint weights rather than live models: each head gets
// its own encoder built from them (and disposed after), because a fine-tuned head (EVGAP) changes its encoder's
// variables in place and the next head must start from the pre-trained weights again.
import type { EncoderConfig } from '../engine/config';
import { createEncoder, type Encoder } from '../engine/encoder/encoder';
import { readCheckpointWeights } from '../engine/training/checkpoint';
import { importEncoderTensors } from '../engine/weights/encoderWeights';
import type { Float32Tensor } from '../engine/weights/safetensors';

export type EncoderWeights = { config: EncoderConfig; weights: Map<string, Float32Tensor>; source: string };

export async function encoderWeights(config: EncoderConfig, checkpointPath: string): Promise<EncoderWeights> {
  return { config, weights: await readCheckpointWeights(checkpointPath), source: checkpointPath };
}

/** A new encoder with the weights; the caller disposes it. */
export function buildEncoder(from: EncoderWeights): Encoder {
  const encoder = createEncoder(from.config, 0);
  try {
    importEncoderTensors(encoder, from.weights, from.source);
    return encoder;
  } catch (error) {
    encoder.dispose();
    throw error;
  }
}

/** Runs `use` with a fresh encoder of the weights and disposes it afterwards. */
export function withEncoder<T>(from: EncoderWeights, use: (encoder: Encoder) => T): T {
  const encoder = buildEncoder(from);
  try {
    return use(encoder);
  } finally {
    encoder.dispose();
  }
}
