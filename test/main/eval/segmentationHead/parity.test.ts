// Parity of the segmentation heads with their authors' PyTorch models: the fixtures (test/fixtures/heads, made by
// python/parity/heads_parity.py from the authors' code) hold a small seeded model's weights under its PyTorch
// names, an input, every output's logits, the predicted probabilities and the authors' loss; loaded into our
// head, the same weights must give the same numbers (max |ours − theirs| / max |theirs| ≤ 1e-4 per tensor).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { SeededRandom } from '../../../../main/random/seededRandom';
import { readSafetensors, type Float32Tensor } from '../../../../main/engine/weights/safetensors';
import { checkHeadName, resolveSegmentationHeadConfig } from '../../../../main/eval/segmentationHead/config';
import { createSegmentationNetwork } from '../../../../main/eval/segmentationHead/heads';
import type { SegmentationNetwork } from '../../../../main/eval/segmentationHead/network';
import { loadBackend } from '../../../../native/tfBackend';

const fixtures = join(__dirname, '../../../fixtures/heads');
const tolerance = 1e-4;
const notWeights = /^(input|labels|outputs\.\d+|probabilities|loss|train\..*)$/;

beforeAll(async () => {
  await loadBackend({ force: 'wasm' });
});

type Fixture = { network: SegmentationNetwork; tensors: Map<string, Float32Tensor>; frames: number; input: tf.Tensor2D; oneHot: tf.Tensor2D };

/** Our head of the fixture's configuration with the fixture's weights loaded; checks both name sets agree. */
function load(file: string): Fixture {
  const { tensors, metadata } = readSafetensors(readFileSync(join(fixtures, file)), file);
  const head = metadata.head;
  checkHeadName(head);
  const config = resolveSegmentationHeadConfig(head, JSON.parse(metadata.config!) as object, 'paper');
  const input = tensors.get('input')!;
  const [frames, features] = input.shape as [number, number];
  const classes = tensors.get('outputs.0')!.shape[1]!;
  const network = createSegmentationNetwork(head, features, classes, config, 0);
  const ours = new Map([...network.params, ...network.buffers]);
  const theirs = [...tensors.keys()].filter((name) => !notWeights.test(name));
  expect([...ours.keys()].sort()).toEqual(theirs.sort());
  for (const [name, variable] of ours) {
    const { shape, data } = tensors.get(name)!;
    expect(variable.shape, name).toEqual(shape);
    tf.tidy(() => variable.assign(tf.tensor(data, shape)));
  }
  const labels = Int32Array.from(tensors.get('labels')!.data);
  return {
    network,
    tensors,
    frames,
    input: tf.tensor2d(input.data, [frames, features]),
    oneHot: tf.tidy(() => tf.oneHot(tf.tensor1d(labels, 'int32'), classes).toFloat() as tf.Tensor2D),
  };
}

/** max |ours − theirs| / max |theirs|. */
function relativeDifference(ours: tf.Tensor, theirs: Float32Tensor): number {
  expect(ours.shape).toEqual(theirs.shape);
  const a = ours.dataSync();
  let difference = 0;
  let scale = 0;
  theirs.data.forEach((value, i) => {
    difference = Math.max(difference, Math.abs(a[i]! - value));
    scale = Math.max(scale, Math.abs(value));
  });
  return difference / scale;
}

/** Compares the evaluation-mode outputs, probabilities and loss; returns the largest relative difference. */
function compareEvaluation(fixture: Fixture): number {
  const { network, tensors } = fixture;
  const outputs = network.forward(fixture.input);
  const differences = outputs.map((output, i) => relativeDifference(output, tensors.get(`outputs.${i}`)!));
  expect(outputs).toHaveLength([...tensors.keys()].filter((name) => /^outputs\.\d+$/.test(name)).length);
  const probabilities = network.probabilities(outputs);
  differences.push(relativeDifference(probabilities, tensors.get('probabilities')!));
  const loss = network.loss(outputs, fixture.oneHot);
  differences.push(relativeDifference(tf.reshape(loss, [1]), tensors.get('loss')!));
  tf.dispose([...outputs, probabilities, loss]);
  return Math.max(...differences);
}

function release(fixture: Fixture): void {
  fixture.network.dispose();
  tf.dispose([fixture.input, fixture.oneHot]);
}

describe('segmentation heads against their authors’ PyTorch models', () => {
  it.each(['c2f-tcn', 'asformer', 'ltcontext', 'ltcontext-instancenorm'])('%s: same outputs, probabilities and loss for the same weights', (name) => {
    const fixture = load(`${name}.safetensors`);
    const difference = compareEvaluation(fixture);
    console.log(`${name}: max relative difference ${difference.toExponential(2)} (outputs, probabilities, loss)`);
    expect(difference).toBeLessThanOrEqual(tolerance);
    release(fixture);
  });

  it('c2f-tcn in training mode: batch statistics normalize and the running statistics move as PyTorch’s do', () => {
    const fixture = load('c2f-tcn.safetensors');
    const { network, tensors } = fixture;
    const outputs = network.forward(fixture.input, { random: new SeededRandom(1) });
    const differences = outputs.map((output, i) => relativeDifference(output, tensors.get(`train.outputs.${i}`)!));
    for (const [name, buffer] of network.buffers) differences.push(relativeDifference(buffer, tensors.get(`train.${name}`)!));
    console.log(`c2f-tcn (training mode): max relative difference ${Math.max(...differences).toExponential(2)}`);
    expect(Math.max(...differences)).toBeLessThanOrEqual(tolerance);
    tf.dispose(outputs);
    release(fixture);
  });

  it('a changed weight changes the outputs (the comparison can fail)', () => {
    const fixture = load('asformer.safetensors');
    const weight = fixture.network.params.get('decoders.0.layers.2.att_layer.value_conv.weight')!;
    tf.tidy(() => weight.assign(tf.mul(weight, 1.01)));
    expect(compareEvaluation(fixture)).toBeGreaterThan(tolerance);
    release(fixture);
  });
});
