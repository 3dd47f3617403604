// Tests of the four compared inputs: raw rows for Base, cached frozen features for EVGAP*, a trainable shared
// encoder for EVGAP and +random, and two-view inputs encoded view by view.
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArgumentError } from '../../../../contract/errors';
import type { EncoderConfig } from '../../../../main/engine/config';
import { createEncoder, type Encoder } from '../../../../main/engine/encoder/encoder';
import { SeededRandom } from '../../../../main/random/seededRandom';
import { frozenFrameFeatures, prepareFrameInput } from '../../../../main/eval/frameFeatures/frameFeatureInputs';
import { concatenateFrames, type FrameMatrix } from '../../../../main/eval/frameFeatures/sceneFrames';
import { resolveFrameFeatureSettings } from '../../../../main/eval/frameFeatures/settings';
import { loadBackend } from '../../../../native/tfBackend';

const tiny: EncoderConfig = { inputDim: 3, modelDim: 8, layers: 1, heads: 2, ffDim: 12, tokens: 4, layerNormEps: 1e-5, posEmbed: 'learned' };
const settings = resolveFrameFeatureSettings();
let encoder: Encoder;

function frames(count: number, dim: number, seed: number): FrameMatrix {
  return { data: new SeededRandom(seed).normalArray(count * dim, 1), frames: count, dim };
}

beforeAll(async () => {
  await loadBackend({ force: 'wasm' });
  encoder = createEncoder(tiny, 3);
});

afterAll(() => encoder.dispose());

describe('frame feature inputs', () => {
  it('Base passes the raw rows through unchanged', () => {
    const input = prepareFrameInput({ input: 'base', views: 2, rawDim: 3, settings });
    const raw = frames(5, 6, 1);
    expect(input.features('scene', raw)).toBe(raw);
    expect(input.featureDim).toBe(6);
    expect(input.trainable).toBeUndefined();
  });

  it('encodes a two-view input view by view with the shared encoder, concatenated per frame', () => {
    const ego = frames(9, 3, 2);
    const exo = frames(9, 3, 3);
    const both = frozenFrameFeatures(encoder, concatenateFrames([ego, exo]), 2, settings);
    const expected = concatenateFrames([frozenFrameFeatures(encoder, ego, 1, settings), frozenFrameFeatures(encoder, exo, 1, settings)]);
    expect(both.dim).toBe(16);
    expect(Array.from(both.data)).toEqual(Array.from(expected.data));
  });

  it('EVGAP* computes a video’s features once and serves them from memory', () => {
    const input = prepareFrameInput({ input: 'evgap-frozen', views: 1, rawDim: 3, settings, encoder });
    const raw = frames(6, 3, 4);
    const first = input.features('scene-1', raw);
    expect(first.dim).toBe(8);
    expect(input.features('scene-1', raw)).toBe(first);
    expect(input.features('scene-2', raw)).not.toBe(first);
    input.dispose();
  });

  it('EVGAP trains the given encoder’s variables; the trainable maps [N, views·F] to [N, views·D]', () => {
    const input = prepareFrameInput({ input: 'evgap', views: 2, rawDim: 3, settings, encoder });
    const trainable = input.trainable!;
    expect(trainable.params).toBe(encoder.params);
    expect([trainable.inputDim, trainable.outputDim]).toEqual([6, 16]);
    const raw = frames(7, 6, 5);
    const applied = tf.tidy(() => trainable.apply(tf.tensor2d(raw.data, [7, 6])));
    expect(applied.shape).toEqual([7, 16]);
    const frozen = frozenFrameFeatures(encoder, raw, 2, settings);
    Array.from(applied.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(frozen.data[i]!, 5));
    applied.dispose();
  });

  it('+random creates a seeded encoder of the same architecture and frees it on dispose', () => {
    const before = tf.memory().numTensors;
    const input = prepareFrameInput({ input: 'random', views: 1, rawDim: 3, settings, randomConfig: tiny, seed: 11 });
    const again = prepareFrameInput({ input: 'random', views: 1, rawDim: 3, settings, randomConfig: tiny, seed: 11 });
    expect(input.trainable!.params).not.toBe(encoder.params);
    const weight = (i: typeof input) => Array.from(i.trainable!.params.get('input_proj.weight')!.dataSync());
    expect(weight(input)).toEqual(weight(again));
    expect(weight(input)).not.toEqual(Array.from(encoder.params.get('input_proj.weight')!.dataSync()));
    input.dispose();
    again.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses a missing encoder and raw rows of the wrong size', () => {
    expect(() => prepareFrameInput({ input: 'evgap', views: 1, rawDim: 3, settings })).toThrow(ArgumentError);
    expect(() => prepareFrameInput({ input: 'evgap-frozen', views: 1, rawDim: 5, settings, encoder })).toThrow(/encoder for 5-d frames/);
    const input = prepareFrameInput({ input: 'base', views: 1, rawDim: 3, settings });
    expect(() => input.features('scene', frames(2, 4, 1))).toThrow(/expected raw rows of 1 × 3 features, got 4/);
  });
});
