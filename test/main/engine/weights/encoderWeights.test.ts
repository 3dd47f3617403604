// Tests of encoder weight export/import under PyTorch names, mismatch errors and config inference.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ArgumentError } from '../../../../contract/errors';
import type { EncoderConfig } from '../../../../main/engine/config';
import { createEncoder, type Encoder } from '../../../../main/engine/encoder/encoder';
import { SeededRandom } from '../../../../main/random/seededRandom';
import {
  decodeEncoderSafetensors,
  encodeEncoderSafetensors,
  exportEncoderTensors,
  importEncoderTensors,
  inferEncoderConfig,
} from '../../../../main/engine/weights/encoderWeights';
import { parseSafetensorsHeader, readSafetensors, writeSafetensors } from '../../../../main/engine/weights/safetensors';

const config: EncoderConfig = {
  inputDim: 10,
  modelDim: 64,
  layers: 3,
  heads: 4,
  ffDim: 128,
  tokens: 5,
  layerNormEps: 1e-5,
  posEmbed: 'learned',
};

function embeddings(encoder: Encoder, x: tf.Tensor3D): number[][][] {
  const { layers } = encoder.forward(x);
  const values = layers.map((layer) => layer.arraySync());
  tf.dispose(layers);
  return values;
}

function snapshot(encoder: Encoder): Map<string, number[]> {
  return new Map([...encoder.params].map(([name, v]) => [name, Array.from(v.dataSync())]));
}

const random = new SeededRandom(3);
const features = Float32Array.from({ length: 2 * 5 * 10 }, () => random.normal());

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('encoder weights', () => {
  it('exports PyTorch names, with logit_scale and logit_bias as shape []', () => {
    const encoder = createEncoder(config, 1);
    const tensors = exportEncoderTensors(encoder, { logitScale: 0.155, logitBias: -10 });
    expect(tensors.get('layers.2.linear1.weight')!.shape).toEqual([128, 64]);
    expect(tensors.get('logit_scale')).toEqual({ shape: [], data: Float32Array.of(0.155) });
    expect(tensors.get('logit_bias')).toEqual({ shape: [], data: Float32Array.of(-10) });
    const header = parseSafetensorsHeader(encodeEncoderSafetensors(encoder, { logitScale: 1 }));
    expect(header.tensors.get('logit_scale')).toMatchObject({ dtype: 'F32', shape: [] });
    encoder.dispose();
  });

  it('gives identical forward outputs after export → safetensors → import', () => {
    const source = createEncoder(config, 1);
    const target = createEncoder(config, 2);
    const x = tf.tensor3d(features, [2, 5, 10]);
    expect(embeddings(target, x)).not.toEqual(embeddings(source, x));
    const { tensors } = decodeEncoderSafetensors(encodeEncoderSafetensors(source, { logitScale: 0.5 }));
    const scalars = importEncoderTensors(target, tensors);
    expect(scalars).toEqual({ logitScale: 0.5 });
    expect(embeddings(target, x)).toEqual(embeddings(source, x));
    x.dispose();
    source.dispose();
    target.dispose();
  });

  it('rejects a wrong shape, naming the tensor, and changes nothing', () => {
    const encoder = createEncoder(config, 1);
    const before = snapshot(encoder);
    const other = createEncoder(config, 9);
    const tensors = exportEncoderTensors(other);
    other.dispose();
    tensors.set('layers.2.linear1.weight', { shape: [64, 64], data: new Float32Array(64 * 64) });
    expect(() => importEncoderTensors(encoder, tensors)).toThrow(ArgumentError);
    expect(() => importEncoderTensors(encoder, tensors)).toThrow('layers.2.linear1.weight: expected shape [128,64], got [64,64]');
    expect(snapshot(encoder)).toEqual(before);
    encoder.dispose();
  });

  it('lists missing and unexpected names and changes nothing', () => {
    const encoder = createEncoder(config, 1);
    const before = snapshot(encoder);
    const tensors = exportEncoderTensors(encoder);
    tensors.delete('cls_token');
    tensors.delete('out_norms.1.bias');
    tensors.set('layers.3.norm1.weight', { shape: [64], data: new Float32Array(64) });
    tensors.set('logit_scale', { shape: [2], data: new Float32Array(2) });
    let message = '';
    try {
      importEncoderTensors(encoder, tensors, 'enc.safetensors');
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('enc.safetensors do not match the encoder config');
    expect(message).toContain('missing: cls_token, out_norms.1.bias');
    expect(message).toContain('unexpected: layers.3.norm1.weight');
    expect(message).toContain('logit_scale: expected shape [], got [2]');
    expect(snapshot(encoder)).toEqual(before);
    encoder.dispose();
  });

  it('infers F, D, L, FF and T from shapes, with heads from the metadata or the option, never guessed', () => {
    const encoder = createEncoder(config, 1);
    const bytes = encodeEncoderSafetensors(encoder);
    expect(inferEncoderConfig(parseSafetensorsHeader(bytes))).toEqual(config);
    expect(inferEncoderConfig(parseSafetensorsHeader(bytes), { heads: config.heads }).heads).toBe(config.heads);
    expect(() => inferEncoderConfig(parseSafetensorsHeader(bytes), { heads: 8 }, 'w.safetensors')).toThrow(
      `w.safetensors: records ${config.heads} attention heads (__metadata__.evgap.encoder_config), got --heads 8`,
    );
    const plain = parseSafetensorsHeader(writeSafetensors(readSafetensors(bytes).tensors));
    expect(() => inferEncoderConfig(plain, {}, 'plain.safetensors')).toThrow(
      'plain.safetensors: the number of attention heads is not recorded (no __metadata__.evgap.encoder_config) and the shapes cannot tell it ' +
        '(every head count dividing D = 64 has the same tensors): give --heads N (1, 2, 4, 8, 16, 32, 64; the paper\'s encoder has 8)',
    );
    expect(inferEncoderConfig(plain, { heads: 8 })).toEqual({ ...config, heads: 8 });
    expect(() => inferEncoderConfig(plain, { heads: 5 })).toThrow('expected heads to divide modelDim 64, got 5');
    expect(() => inferEncoderConfig({ tensors: new Map() })).toThrow(
      'cannot infer the encoder config: expected input_proj.weight of shape [D, F]',
    );
    encoder.dispose();
  });

  it('refuses weights holding a NaN or an infinity, naming the tensor and index', () => {
    const encoder = createEncoder(config, 1);
    const tensors = readSafetensors(encodeEncoderSafetensors(encoder)).tensors;
    tensors.get('layers.1.linear2.weight')!.data[5] = Number.NaN;
    const metadata = { 'evgap.encoder_config': JSON.stringify(config) };
    const shape = tensors.get('layers.1.linear2.weight')!.shape.join(', ');
    expect(() => decodeEncoderSafetensors(writeSafetensors(tensors, metadata), {}, 'nan.safetensors')).toThrow(
      `nan.safetensors: tensor layers.1.linear2.weight: holds NaN at index 5 (shape [${shape}]): expected finite values`,
    );
    tensors.get('layers.1.linear2.weight')!.data[5] = 0;
    tensors.get('cls_token')!.data[0] = -Infinity;
    expect(() => decodeEncoderSafetensors(writeSafetensors(tensors, metadata), {}, 'inf.safetensors')).toThrow(
      'inf.safetensors: tensor cls_token: holds -Infinity at index 0',
    );
    encoder.dispose();
  });

  it('infers a sinusoidal encoder from the missing pos_embed, with tokens from the metadata or option', () => {
    const encoder = createEncoder({ ...config, posEmbed: 'sinusoidal' }, 1);
    const bytes = encodeEncoderSafetensors(encoder);
    expect(inferEncoderConfig(parseSafetensorsHeader(bytes))).toEqual({ ...config, posEmbed: 'sinusoidal' });
    const plain = parseSafetensorsHeader(writeSafetensors(readSafetensors(bytes).tensors));
    expect(() => inferEncoderConfig(plain)).toThrow('no pos_embed, so tokens must be given');
    expect(inferEncoderConfig(plain, { tokens: 7, heads: 4 })).toEqual({ ...config, posEmbed: 'sinusoidal', tokens: 7 });
    encoder.dispose();
  });
});
