// Tests of embedFeatures, the core of `evgap embed`.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { EncoderConfig } from '../../../../main/engine/config';
import { createEncoder } from '../../../../main/engine/encoder/encoder';
import { SeededRandom } from '../../../../main/random/seededRandom';
import { embedFeatures } from '../../../../main/engine/weights/embed';
import { encodeEncoderSafetensors } from '../../../../main/engine/weights/encoderWeights';

const config: EncoderConfig = {
  inputDim: 8,
  modelDim: 16,
  layers: 3,
  heads: 4,
  ffDim: 32,
  tokens: 4,
  layerNormEps: 1e-5,
  posEmbed: 'learned',
};
const B = 5;
const random = new SeededRandom(1);
const features = Float32Array.from({ length: B * 4 * 8 }, () => random.normal());

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('embedFeatures', () => {
  it('returns the final layer [B, D] or all layers [L, B, D], equal to the encoder in any batch size', () => {
    const encoder = createEncoder(config, 3);
    const weights = encodeEncoderSafetensors(encoder, { logitScale: 1 });
    const x = tf.tensor3d(features, [B, 4, 8]);
    const { layers } = encoder.forward(x);
    const expected = layers.map((layer) => Array.from(layer.dataSync()));
    tf.dispose([x, ...layers]);
    encoder.dispose();

    const final = embedFeatures(weights, { data: features, shape: [B, 4, 8] }, { batchSize: 2 });
    expect(final.shape).toEqual([B, 16]);
    Array.from(final.data).forEach((v, i) => expect(v).toBeCloseTo(expected[2]![i]!, 5));

    const all = embedFeatures(weights, { data: features, shape: [B, 4, 8] }, { allLayers: true });
    expect(all.shape).toEqual([3, B, 16]);
    Array.from(all.data).forEach((v, i) => expect(v).toBeCloseTo(expected[Math.floor(i / (B * 16))]![i % (B * 16)]!, 5));
  });

  it('rejects features that do not fit the encoder and leaks no tensors', () => {
    const encoder = createEncoder(config, 3);
    const weights = encodeEncoderSafetensors(encoder);
    encoder.dispose();
    const before = tf.memory().numTensors;
    expect(() => embedFeatures(weights, { data: new Float32Array(2 * 3 * 8), shape: [2, 3, 8] })).toThrow(
      'expected features of shape [B, 4, 8], got [2, 3, 8]',
    );
    embedFeatures(weights, { data: features, shape: [B, 4, 8] });
    expect(tf.memory().numTensors).toBe(before);
  });
});
