// Tests of per-frame encoder features: which window each frame's feature comes from, padding at the ends,
// centre upsampling, the frozen batched path against the differentiable one, gradients and tensor hygiene.
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EncoderConfig } from '../../../../main/engine/config';
import { createEncoder, type Encoder } from '../../../../main/engine/encoder/encoder';
import { SeededRandom } from '../../../../main/random/seededRandom';
import {
  encoderFrameFeatures,
  frozenEncoderFrameFeatures,
  slidingClsFrameFeatures,
  tokenFrameFeatures,
} from '../../../../main/eval/frameFeatures/encoderFrameFeatures';
import { resolveFrameFeatureSettings } from '../../../../main/eval/frameFeatures/settings';
import { tokenWindows } from '../../../../main/eval/frameFeatures/windowGeometry';
import { loadBackend } from '../../../../native/tfBackend';

const tiny: EncoderConfig = { inputDim: 3, modelDim: 8, layers: 2, heads: 2, ffDim: 12, tokens: 4, layerNormEps: 1e-5, posEmbed: 'learned' };
let encoder: Encoder;

function randomFrames(frames: number, seed: number): Float32Array {
  return new SeededRandom(seed).normalArray(frames * tiny.inputDim, 1);
}

/** The frames at the given indices as one window [1, T, F]. */
function window(data: Float32Array, indices: number[]): tf.Tensor3D {
  const out = new Float32Array(indices.length * tiny.inputDim);
  indices.forEach((f, k) => out.set(data.subarray(f * tiny.inputDim, (f + 1) * tiny.inputDim), k * tiny.inputDim));
  return tf.tensor3d(out, [1, indices.length, tiny.inputDim]);
}

function tokenRow(data: Float32Array, indices: number[], token: number): number[] {
  return tf.tidy(() => Array.from(encoder.tokens(window(data, indices)).slice([0, 1 + token, 0], [1, 1, tiny.modelDim]).dataSync()));
}

function classEmbedding(data: Float32Array, indices: number[]): number[] {
  return tf.tidy(() => {
    const { layers } = encoder.forward(window(data, indices));
    return Array.from(layers[layers.length - 1]!.dataSync());
  });
}

function row(features: tf.Tensor2D | Float32Array, frame: number): number[] {
  const values = features instanceof Float32Array ? features : features.dataSync();
  return Array.from(values.subarray(frame * tiny.modelDim, (frame + 1) * tiny.modelDim));
}

function expectClose(actual: number[], expected: number[]): void {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((value, i) => expect(value).toBeCloseTo(expected[i]!, 5));
}

beforeAll(async () => {
  await loadBackend({ force: 'wasm' });
  encoder = createEncoder(tiny, 7);
});

afterAll(() => encoder.dispose());

describe('tokens method', () => {
  it('gives each frame the token output of the window that owns it, the last window right-aligned', () => {
    const data = randomFrames(10, 1);
    const features = tf.tidy(() => tokenFrameFeatures(encoder, tf.tensor2d(data, [10, 3])));
    expect(features.shape).toEqual([10, 8]);
    expectClose(row(features, 2), tokenRow(data, [0, 1, 2, 3], 2));
    expectClose(row(features, 5), tokenRow(data, [4, 5, 6, 7], 1));
    expectClose(row(features, 9), tokenRow(data, [6, 7, 8, 9], 3)); // window [6, 10) owns frames 8 and 9
    expectClose(row(features, 8), tokenRow(data, [6, 7, 8, 9], 2));
    features.dispose();
  });

  it('pads a track shorter than T with its last frame', () => {
    const data = randomFrames(2, 2);
    const features = tf.tidy(() => tokenFrameFeatures(encoder, tf.tensor2d(data, [2, 3])));
    expect(features.shape).toEqual([2, 8]);
    expectClose(row(features, 1), tokenRow(data, [0, 1, 1, 1], 1));
    features.dispose();
  });
});

describe('sliding-cls method', () => {
  const data = randomFrames(7, 3);
  const centreWindows = { 0: [0, 0, 0, 1], 3: [1, 2, 3, 4], 6: [4, 5, 6, 6] } as const; // T = 4: c − 2 … c + 1, clamped

  it('gives each centre the class embedding of the window centred on it, edges repeated', () => {
    const settings = { slidingStride: 3, upsampling: 'linear' as const };
    const features = tf.tidy(() => slidingClsFrameFeatures(encoder, tf.tensor2d(data, [7, 3]), settings));
    expect(features.shape).toEqual([7, 8]);
    for (const [centre, indices] of Object.entries(centreWindows)) expectClose(row(features, Number(centre)), classEmbedding(data, [...indices]));
    features.dispose();
  });

  it('interpolates linearly between centres, or copies the nearest one', () => {
    const e0 = classEmbedding(data, [...centreWindows[0]]);
    const e3 = classEmbedding(data, [...centreWindows[3]]);
    const linear = tf.tidy(() => slidingClsFrameFeatures(encoder, tf.tensor2d(data, [7, 3]), { slidingStride: 3, upsampling: 'linear' }));
    expectClose(row(linear, 1), e0.map((v, i) => (2 / 3) * v + (1 / 3) * e3[i]!));
    const nearest = tf.tidy(() => slidingClsFrameFeatures(encoder, tf.tensor2d(data, [7, 3]), { slidingStride: 3, upsampling: 'nearest' }));
    expectClose(row(nearest, 1), e0);
    expectClose(row(nearest, 2), e3);
    tf.dispose([linear, nearest]);
  });
});

/** The tokens method one slice per window, as it was first written: the reference of the batched version. */
function tokenFeaturesPerWindow(frames: tf.Tensor2D): tf.Tensor2D {
  const { tokens: T, modelDim: D } = tiny;
  const [N, F] = frames.shape;
  const windows = tokenWindows(N, T);
  const source = N < T ? tf.concat([frames, tf.tile(tf.slice(frames, [N - 1, 0], [1, F]), [T - N, 1])], 0) : frames;
  const batch = tf.stack(windows.map((w) => tf.slice(source, [w.start, 0], [T, F]))) as tf.Tensor3D;
  const outputs = encoder.tokens(batch);
  return tf.concat(windows.map((w, i) => tf.reshape(tf.slice(outputs, [i, 1 + w.ownedFrom - w.start, 0], [1, w.ownedTo - w.ownedFrom, D]), [-1, D])), 0) as tf.Tensor2D;
}

describe('tokens method, batched', () => {
  it('equals one slice per window bit for bit, values and gradients, for tracks shorter than, equal to and longer than T', () => {
    for (const N of [1, 3, 4, 8, 9, 11, 23]) {
      const frames = tf.tensor2d(randomFrames(N, 30 + N), [N, 3]);
      const weights = tf.tensor2d(randomFrames(N, 60 + N).subarray(0, N * 3).map((v) => v), [N, 3]);
      const run = (f: (x: tf.Tensor2D) => tf.Tensor2D) =>
        tf.tidy(() => {
          const loss = () => tf.sum(tf.mul(tf.slice(f(frames), [0, 0], [N, 3]), weights)).asScalar();
          const { value, grads } = tf.variableGrads(loss, [...encoder.params.values()]);
          return [Array.from(f(frames).dataSync()), value.dataSync()[0], ...Object.values(grads).map((g) => Array.from(g.dataSync()))];
        });
      expect(run((x) => tokenFrameFeatures(encoder, x))).toEqual(run(tokenFeaturesPerWindow));
      tf.dispose([frames, weights]);
    }
  });
});

describe('frozen and differentiable paths', () => {
  it('compute the same features, batching windows a few at a time', () => {
    const data = randomFrames(23, 4);
    for (const overrides of [{ method: 'tokens' as const }, { method: 'sliding-cls' as const, slidingStride: 2 }, { method: 'sliding-cls' as const, upsampling: 'nearest' as const }]) {
      const settings = resolveFrameFeatureSettings({ ...overrides, windowsPerBatch: 2 });
      const frozen = frozenEncoderFrameFeatures(encoder, { data, frames: 23, dim: 3 }, settings);
      const differentiable = tf.tidy(() => encoderFrameFeatures(encoder, tf.tensor2d(data, [23, 3]), settings));
      expect(frozen.frames).toBe(23);
      expect(frozen.dim).toBe(8);
      expectClose(Array.from(frozen.data), Array.from(differentiable.dataSync()));
      differentiable.dispose();
    }
  });

  it('pass gradients to the encoder and leave no tensors behind', () => {
    const frames = tf.tensor2d(randomFrames(9, 5), [9, 3]);
    for (const method of ['tokens', 'sliding-cls'] as const) {
      const settings = resolveFrameFeatureSettings({ method, slidingStride: 2 });
      const before = tf.memory().numTensors;
      const { value, grads } = tf.variableGrads(() => tf.sum(encoderFrameFeatures(encoder, frames, settings)).asScalar(), [...encoder.params.values()]);
      const inputGrad = grads[encoder.params.get('input_proj.weight')!.name]!;
      expect(tf.tidy(() => tf.norm(inputGrad).dataSync()[0])).toBeGreaterThan(0);
      tf.dispose([value, ...Object.values(grads)]);
      expect(tf.memory().numTensors).toBe(before);
    }
    frames.dispose();
  });
});
