// The TempAgg head learns a toy problem where the next action follows from the current one: recall far above
// chance, deterministic for a seed, and no tensors left behind.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { SeededRandom } from '../../../../main/random/seededRandom';
import { resolveAnticipationConfig } from '../../../../main/eval/anticipation/config';
import { anticipationSamples, type AnticipationSample } from '../../../../main/eval/anticipation/samples';
import { trainAnticipation } from '../../../../main/eval/anticipation/trainAnticipation';
import { loadBackend } from '../../../../native/tfBackend';

const actions = 24;
const classes = { verb: 12, object: 12, action: actions };
/** TempAgg's network on the 16-d toy features with one recent window and two granularities: trains in seconds. */
const config = resolveAnticipationConfig({
  recentSeconds: [1.2],
  spanningGranularities: [3, 2],
  inputProjection: 0,
  latentDim: 8,
  linearDim: 32,
  epochs: 12,
  batchSize: 32,
  lr: 3e-3,
});

/** Scenes of consecutive segments whose action is a fixed successor of the previous one; frames show the current action. */
function toyScenes(scenes: number, seed: number): AnticipationSample[] {
  const random = new SeededRandom(seed);
  const dim = 16;
  const prototypes = Array.from({ length: actions }, (_, a) => new SeededRandom(1000 + a).normalArray(dim, 1));
  const samples: AnticipationSample[] = [];
  for (let s = 0; s < scenes; s++) {
    let action = Math.floor(random.uniform() * actions);
    const segments: { startFrame: number; verb: number; object: number; action: number }[] = [];
    const frameActions: number[] = [];
    for (let i = 0; i < 12; i++) {
      const length = 45 + Math.floor(random.uniform() * 45);
      segments.push({ startFrame: frameActions.length, verb: action % 12, object: Math.floor(action / 2), action });
      for (let f = 0; f < length; f++) frameActions.push(action);
      action = (action * 5 + 3) % actions;
    }
    const data = new Float32Array(frameActions.length * dim);
    frameActions.forEach((a, f) => {
      for (let c = 0; c < dim; c++) data[f * dim + c] = prototypes[a]![c]! + 0.5 * random.normal();
    });
    const frames = { data, frames: frameActions.length, dim };
    samples.push(...anticipationSamples(`scene${s}`, frames, { start: 0, end: frameActions.length }, segments, config));
  }
  return samples;
}

beforeAll(async () => {
  await loadBackend({ force: 'wasm' });
});

describe('trainAnticipation', () => {
  it('learns a predictable future well above chance, deterministically', () => {
    const train = toyScenes(16, 1);
    const test = toyScenes(6, 2);
    const tensors = tf.memory().numTensors;
    const result = trainAnticipation({ train, test, classes, config, seed: 3 });
    expect(tf.memory().numTensors).toBe(tensors);
    // Chance of a Top-5 hit: 5/24 ≈ 21 % for actions, 5/12 ≈ 42 % for verbs and objects.
    expect(result.action.recall).toBeGreaterThan(80);
    expect(result.verb.recall).toBeGreaterThan(80);
    expect(result.object.recall).toBeGreaterThan(80);
    expect(result.avg).toBeCloseTo((result.verb.recall + result.object.recall + result.action.recall) / 3, 10);
    const again = trainAnticipation({ train, test, classes, config: { ...config, epochs: 2 }, seed: 3 });
    const repeat = trainAnticipation({ train, test, classes, config: { ...config, epochs: 2 }, seed: 3 });
    expect(repeat.epochLosses).toEqual(again.epochLosses);
    expect(repeat.action.recall).toBe(again.action.recall);
  });

  it('refuses labels outside the class counts', () => {
    const [sample] = toyScenes(1, 3);
    expect(() => trainAnticipation({ train: [{ ...sample!, object: 12 }], test: [sample!], classes, seed: 1 })).toThrow(
      /expected object in \[0, 12\), got 12/,
    );
  });
});
