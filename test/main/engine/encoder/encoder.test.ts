// Tests of the encoder H against a float64 loop reference, its PyTorch names, gradients and tensor hygiene.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { EncoderConfig } from '../../../../main/engine/config';
import { createEncoder } from '../../../../main/engine/encoder/encoder';
import { encoderParameterShapes } from '../../../../main/engine/encoder/parameters';
import { SeededRandom } from '../../../../main/random/seededRandom';
import { loadBackend } from '../../../../native/tfBackend';
import { referenceForward, type ReferenceParams } from './referenceEncoder';

const tiny: EncoderConfig = {
  inputDim: 6,
  modelDim: 8,
  layers: 3,
  heads: 2,
  ffDim: 12,
  tokens: 4,
  layerNormEps: 1e-5,
  posEmbed: 'learned',
};

function randomInput(random: SeededRandom, B: number, config: EncoderConfig): number[][][] {
  return Array.from({ length: B }, () =>
    Array.from({ length: config.tokens }, () => Array.from({ length: config.inputDim }, () => random.normal())),
  );
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('encoder', () => {
  it('has exactly the PyTorch parameter names and shapes', () => {
    const encoder = createEncoder(tiny, 1);
    const names = [...encoder.params.keys()];
    expect(names.slice(0, 4)).toEqual(['input_proj.weight', 'input_proj.bias', 'cls_token', 'pos_embed']);
    expect(encoder.params.get('pos_embed')!.shape).toEqual([5, 8]);
    expect(encoder.params.get('layers.2.self_attn.in_proj_weight')!.shape).toEqual([24, 8]);
    expect(encoder.params.get('layers.1.linear1.weight')!.shape).toEqual([12, 8]);
    expect(encoder.params.get('layers.1.linear2.weight')!.shape).toEqual([8, 12]);
    expect(encoder.params.get('out_norms.2.bias')!.shape).toEqual([8]);
    expect(names).toHaveLength(4 + 3 * 12 + 3 * 2);
    for (const [name, shape] of encoderParameterShapes(tiny)) expect(encoder.params.get(name)!.shape).toEqual(shape);
    encoder.dispose();
  });

  it('is initialized the same for the same seed and differently for another', () => {
    const a = createEncoder(tiny, 7);
    const b = createEncoder(tiny, 7);
    const c = createEncoder(tiny, 8);
    const w = (e: typeof a) => Array.from(e.params.get('layers.0.linear1.weight')!.dataSync());
    expect(w(a)).toEqual(w(b));
    expect(w(a)).not.toEqual(w(c));
    expect(Array.from(a.params.get('layers.0.norm1.weight')!.dataSync()).every((v) => v === 1)).toBe(true);
    for (const e of [a, b, c]) e.dispose();
  });

  it('matches a float64 loop reference to 1e-4 relative on every layer', () => {
    const encoder = createEncoder(tiny, 3);
    const random = new SeededRandom(11);
    // Random values for every parameter (including biases and norms, which init to constants).
    const params: ReferenceParams = new Map();
    for (const [name, variable] of encoder.params) {
      const values = Float32Array.from({ length: variable.size }, () => random.normal() * 0.5 + (/norm/.test(name) && name.endsWith('weight') ? 1 : 0));
      tf.tidy(() => variable.assign(tf.tensor(values, variable.shape)));
      params.set(name, Float64Array.from(values));
    }
    const input = randomInput(random, 3, tiny);
    const expected = referenceForward(tiny, params, input);
    const x = tf.tensor3d(input);
    const { layers } = encoder.forward(x);
    expect(layers).toHaveLength(3);
    let worst = 0;
    layers.forEach((layer, l) => {
      expect(layer.shape).toEqual([3, 8]);
      const got = layer.arraySync();
      got.forEach((row, b) =>
        row.forEach((v, d) => {
          const want = expected[l]![b]![d]!;
          worst = Math.max(worst, Math.abs(v - want) / Math.max(Math.abs(want), 1e-3));
        }),
      );
    });
    expect(worst).toBeLessThan(1e-4);
    tf.dispose([x, ...layers]);
    encoder.dispose();
  });

  it('returns unit-norm embeddings and final tokens of shape [B, T+1, D]', () => {
    const encoder = createEncoder(tiny, 2);
    const x = tf.tensor3d(randomInput(new SeededRandom(5), 2, tiny));
    const { layers } = encoder.forward(x);
    for (const layer of layers) {
      for (const row of layer.arraySync()) expect(Math.hypot(...row)).toBeCloseTo(1, 5);
    }
    const tokens = encoder.tokens(x);
    expect(tokens.shape).toEqual([2, 5, 8]);
    tf.dispose([x, tokens, ...layers]);
    encoder.dispose();
  });

  it('supports the sinusoidal positional embedding without a pos_embed parameter', () => {
    const encoder = createEncoder({ ...tiny, posEmbed: 'sinusoidal' }, 2);
    expect(encoder.params.has('pos_embed')).toBe(false);
    const x = tf.tensor3d(randomInput(new SeededRandom(5), 2, tiny));
    const { layers } = encoder.forward(x);
    expect(layers[2]!.shape).toEqual([2, 8]);
    tf.dispose([x, ...layers]);
    encoder.dispose();
  });

  it('rejects input whose shape does not match the config', () => {
    const encoder = createEncoder(tiny, 2);
    const x = tf.zeros([2, 3, 6]) as tf.Tensor3D;
    expect(() => encoder.forward(x)).toThrow('expected encoder input of shape [B, 4, 6], got [2, 3, 6]');
    x.dispose();
    encoder.dispose();
  });

  it('gives a nonzero gradient to every parameter and leaks no tensors', () => {
    const encoder = createEncoder(tiny, 4);
    const x = tf.tensor3d(randomInput(new SeededRandom(9), 3, tiny));
    const target = tf.tensor2d(randomInput(new SeededRandom(10), 1, { ...tiny, tokens: 3, inputDim: 8 })[0]!);
    const before = tf.memory().numTensors;
    const norms = new Map<string, number>();
    tf.tidy(() => {
      const { grads } = tf.variableGrads(() => {
        const { layers } = encoder.forward(x);
        // Every layer contributes, as with the auxiliary losses.
        return tf.addN(layers.map((h) => tf.sum(tf.mul(h, target)))) as tf.Scalar;
      }, [...encoder.params.values()]);
      for (const [name, variable] of encoder.params) {
        const grad = grads[variable.name];
        norms.set(name, grad === undefined ? Number.NaN : tf.norm(grad).dataSync()[0]!);
      }
    });
    expect(tf.memory().numTensors).toBe(before);
    expect(norms.size).toBe(encoder.params.size);
    for (const [name, norm] of norms) {
      expect(Number.isFinite(norm), name).toBe(true);
      expect(norm, name).toBeGreaterThan(0);
    }
    tf.dispose([x, target]);
    encoder.dispose();
  });

  it('computes the last block at its class tokens alone with the values and gradients of the whole block', async () => {
    // forward() runs the last block on the class tokens only; tokens() runs it on every token. The last layer's
    // embedding and every parameter's gradient must agree, the wasm backend with the fused kernels included.
    for (const backend of ['cpu', 'wasm'] as const) {
      await loadBackend({ force: backend });
      const encoder = createEncoder(tiny, 6);
      const x = tf.tensor3d(randomInput(new SeededRandom(13), 3, tiny));
      const target = tf.tensor2d(randomInput(new SeededRandom(14), 1, { ...tiny, tokens: 3, inputDim: 8 })[0]!);
      const gradients = (embedding: () => tf.Tensor2D) => {
        const byName = new Map<string, number[]>();
        let value = Number.NaN;
        tf.tidy(() => {
          const result = tf.variableGrads(() => tf.sum(tf.mul(embedding(), target)) as tf.Scalar, [...encoder.params.values()]);
          value = result.value.dataSync()[0]!;
          for (const [name, variable] of encoder.params) {
            const grad = result.grads[variable.name];
            if (grad) byName.set(name, Array.from(grad.dataSync()));
          }
        });
        return { value, byName };
      };
      const classOnly = gradients(() => {
        const { layers } = encoder.forward(x);
        tf.dispose(layers.slice(0, -1));
        return layers.at(-1)!;
      });
      const everyToken = gradients(() => {
        const tokens = encoder.tokens(x); // [B, T+1, D], after out_norms.{L−1}
        const first = tf.reshape(tf.slice(tokens, [0, 0, 0], [3, 1, 8]), [3, 8]);
        return tf.div(first, tf.norm(first, 'euclidean', 1, true)) as tf.Tensor2D;
      });
      expect(Math.abs(classOnly.value - everyToken.value), backend).toBeLessThan(1e-5);
      // Every parameter but the earlier layers' out_norms, which this loss does not read.
      expect([...classOnly.byName.keys()]).toEqual([...everyToken.byName.keys()]);
      expect(classOnly.byName.size).toBe(encoder.params.size - 2 * (tiny.layers - 1));
      for (const [name, expected] of everyToken.byName) {
        const actual = classOnly.byName.get(name)!;
        const scale = Math.max(1e-6, ...expected.map(Math.abs));
        const worst = Math.max(...actual.map((value, i) => Math.abs(value - expected[i]!)));
        expect(worst / scale, `${backend} ${name}`).toBeLessThan(1e-4);
      }
      tf.dispose([x, target]);
      encoder.dispose();
    }
    await tf.setBackend('cpu');
  });

  it('frees its parameters on dispose', () => {
    const before = tf.memory().numTensors;
    const encoder = createEncoder(tiny, 1);
    expect(tf.memory().numTensors).toBeGreaterThan(before);
    encoder.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
