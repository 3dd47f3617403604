// Tests of the TF.js weights layout: tf.io.decodeWeights compatibility, save/load round trip, bad files.
import * as tf from '@tensorflow/tfjs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { EncoderConfig } from '../../../../main/engine/config';
import { createEncoder, type Encoder } from '../../../../main/engine/encoder/encoder';
import { exportEncoderTensors, importEncoderTensors } from '../../../../main/engine/weights/encoderWeights';
import { encodeTfjsEncoder, loadTfjsEncoder, saveTfjsEncoder } from '../../../../main/engine/weights/tfjsFormat';

const config: EncoderConfig = {
  inputDim: 6,
  modelDim: 16,
  layers: 2,
  heads: 2,
  ffDim: 24,
  tokens: 3,
  layerNormEps: 1e-5,
  posEmbed: 'learned',
};

function embeddings(encoder: Encoder, x: tf.Tensor3D): number[][][] {
  const { layers } = encoder.forward(x);
  const values = layers.map((layer) => layer.arraySync());
  tf.dispose(layers);
  return values;
}

let directory: string;
beforeAll(async () => {
  await tf.setBackend('cpu');
});
beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'evgap-tfjs-'));
});
afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe('TF.js encoder format', () => {
  it('writes a manifest that tf.io.decodeWeights reads back to the same tensors', () => {
    const encoder = createEncoder(config, 1);
    const { modelJson, weights } = encodeTfjsEncoder(encoder, { logitScale: 1 });
    expect(modelJson.format).toBe('evgap-encoder');
    expect(modelJson.config).toEqual(config);
    expect(modelJson.weightsManifest[0]!.paths).toEqual(['weights.bin']);
    expect(modelJson.weightsManifest[0]!.weights[0]).toEqual({ name: 'input_proj.weight', shape: [16, 6], dtype: 'float32' });
    const decoded = tf.io.decodeWeights(weights.slice().buffer, modelJson.weightsManifest[0]!.weights);
    const expected = exportEncoderTensors(encoder, { logitScale: 1 });
    expect(Object.keys(decoded)).toEqual([...expected.keys()]);
    for (const [name, tensor] of expected) {
      expect(decoded[name]!.shape).toEqual(tensor.shape);
      expect(Array.from(decoded[name]!.dataSync())).toEqual(Array.from(tensor.data));
    }
    tf.dispose(Object.values(decoded));
    encoder.dispose();
  });

  it('saves and loads an encoder with identical forward outputs', async () => {
    const source = createEncoder(config, 1);
    await saveTfjsEncoder(directory, source, { logitScale: 0.25, logitBias: -10 });
    const { config: loadedConfig, tensors } = await loadTfjsEncoder(directory);
    expect(loadedConfig).toEqual(config);
    const target = createEncoder(loadedConfig, 5);
    expect(importEncoderTensors(target, tensors)).toEqual({ logitScale: 0.25, logitBias: -10 });
    const x = tf.randomNormal([2, 3, 6], 0, 1, 'float32', 4) as tf.Tensor3D;
    expect(embeddings(target, x)).toEqual(embeddings(source, x));
    tf.dispose(x);
    source.dispose();
    target.dispose();
  });

  it('rejects a manifest whose shapes do not match its config, naming the tensor', async () => {
    const encoder = createEncoder(config, 1);
    await saveTfjsEncoder(directory, encoder);
    const modelPath = join(directory, 'model.json');
    const modelJson = JSON.parse(await readFile(modelPath, 'utf8')) as { config: EncoderConfig };
    modelJson.config.ffDim = 32;
    await writeFile(modelPath, JSON.stringify(modelJson));
    await expect(loadTfjsEncoder(directory)).rejects.toThrow('layers.0.linear1.weight: expected shape [32,16], got [24,16]');
    encoder.dispose();
  });

  it('rejects a truncated weights file', async () => {
    const encoder = createEncoder(config, 1);
    await saveTfjsEncoder(directory, encoder);
    const binPath = join(directory, 'weights.bin');
    const bytes = await readFile(binPath);
    await writeFile(binPath, bytes.subarray(0, bytes.length - 4));
    await expect(loadTfjsEncoder(directory)).rejects.toThrow("out_norms.1.bias: the weights files end before this tensor's data");
    encoder.dispose();
  });
});
