// Parity of the TempAgg anticipation head and its snippet sampling with the authors' PyTorch code: the fixtures
// (test/fixtures/anticipation, made by python/parity/tempagg_parity.py from the Assembly101 and EPIC-Kitchens
// versions of their code) hold a small seeded Network's weights under its state_dict names, snippets, labels,
// every classifier's logits, the authors' loss and its gradients; loaded into our head, the same weights must give
// the same numbers (max |ours − theirs| / max |theirs| ≤ 1e-4 per tensor). The sampling fixture lists the frames
// their dataset code pools for a grid of segment starts and frame rates.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { computeGradients } from '../../../../main/engine/optim/adamw';
import { readSafetensors, type Float32Tensor } from '../../../../main/engine/weights/safetensors';
import { resolveAnticipationConfig, type AnticipationConfig } from '../../../../main/eval/anticipation/config';
import { snippetFrames, type SnippetFrames } from '../../../../main/eval/anticipation/snippets';
import { anticipationTargets, createTempAggHead, type AnticipationTarget, type TempAggHead } from '../../../../main/eval/anticipation/tempAggHead';
import { loadBackend } from '../../../../native/tfBackend';

const fixtures = join(__dirname, '../../../fixtures/anticipation');
const tolerance = 1e-4;
const notWeights = /^(spanning|recent|loss|labels\..*|outputs\..*|grad\..*)$/;

beforeAll(async () => {
  await loadBackend({ force: 'wasm' });
});

type Fixture = {
  head: TempAggHead;
  tensors: Map<string, Float32Tensor>;
  spanning: tf.Tensor3D;
  recent: tf.Tensor3D;
  targets: Record<AnticipationTarget, tf.Tensor2D>;
};

/** Our head of the fixture's configuration with the fixture's weights loaded; checks both name sets agree. */
function load(file: string): Fixture {
  const { tensors, metadata } = readSafetensors(readFileSync(join(fixtures, file)), file);
  expect(metadata.head).toBe('tempagg');
  const config = resolveAnticipationConfig({ preset: 'paper', ...(JSON.parse(metadata.config!) as Partial<AnticipationConfig>) });
  const spanning = tensors.get('spanning')!;
  const recent = tensors.get('recent')!;
  const classes = {
    verb: tensors.get('outputs.verb.0')!.shape[1]!,
    object: tensors.get('outputs.object.0')!.shape[1]!,
    action: tensors.get('outputs.action.0')!.shape[1]!,
  };
  const head = createTempAggHead(spanning.shape[2]!, config, classes, 0);
  const theirs = [...tensors.keys()].filter((name) => !notWeights.test(name));
  expect([...head.params.keys()].sort()).toEqual(theirs.sort());
  for (const [name, variable] of head.params) {
    const { shape, data } = tensors.get(name)!;
    expect(variable.shape, name).toEqual(shape);
    tf.tidy(() => variable.assign(tf.tensor(data, shape)));
  }
  const oneHot = (target: AnticipationTarget) =>
    tf.tidy(() => tf.oneHot(tf.tensor1d(Int32Array.from(tensors.get(`labels.${target}`)!.data), 'int32'), classes[target]).toFloat() as tf.Tensor2D);
  return {
    head,
    tensors,
    spanning: tf.tensor3d(spanning.data, spanning.shape as [number, number, number]),
    recent: tf.tensor3d(recent.data, recent.shape as [number, number, number]),
    targets: { verb: oneHot('verb'), object: oneHot('object'), action: oneHot('action') },
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

/** Compares every classifier's logits and the loss in evaluation mode; returns the largest relative difference. */
function compareOutputs(fixture: Fixture): number {
  const { head, tensors } = fixture;
  const logits = head.forward(fixture.spanning, fixture.recent);
  const differences = anticipationTargets.flatMap((target) => {
    expect(logits[target]).toHaveLength(4);
    return logits[target].map((l, i) => relativeDifference(l, tensors.get(`outputs.${target}.${i}`)!));
  });
  const loss = head.loss(logits, fixture.targets);
  differences.push(relativeDifference(tf.reshape(loss, [1]), tensors.get('loss')!));
  tf.dispose([...Object.values(logits).flat(), loss]);
  return Math.max(...differences);
}

function release(fixture: Fixture): void {
  fixture.head.dispose();
  tf.dispose([fixture.spanning, fixture.recent, ...Object.values(fixture.targets)]);
}

describe('TempAgg head against the authors’ PyTorch Network', () => {
  it.each(['tempagg-assembly101', 'tempagg-assembly101-no-past', 'tempagg-epic'])('%s: same logits of every classifier and the same loss', (name) => {
    const fixture = load(`${name}.safetensors`);
    const difference = compareOutputs(fixture);
    console.log(`${name}: max relative difference ${difference.toExponential(2)} (12 logits, loss)`);
    expect(difference).toBeLessThanOrEqual(tolerance);
    release(fixture);
  });

  it('tempagg-assembly101: the loss has the same gradient for every weight', () => {
    const fixture = load('tempagg-assembly101.safetensors');
    const { head, tensors } = fixture;
    const { loss, grads } = computeGradients(head.params, () => head.loss(head.forward(fixture.spanning, fixture.recent), fixture.targets));
    expect([...grads.keys()].sort()).toEqual([...head.params.keys()].sort());
    const differences = [...grads].map(([name, grad]) => relativeDifference(grad, tensors.get(`grad.${name}`)!));
    console.log(`tempagg-assembly101 gradients: max relative difference ${Math.max(...differences).toExponential(2)} (${differences.length} tensors)`);
    expect(Math.max(...differences)).toBeLessThanOrEqual(tolerance);
    tf.dispose([loss, ...grads.values()]);
    release(fixture);
  });

  it('a changed weight changes the outputs (the comparison can fail)', () => {
    const fixture = load('tempagg-epic.safetensors');
    const weight = fixture.head.params.get('TAB3.CB2.NLB_recent.phi.weight')!;
    tf.tidy(() => weight.assign(tf.mul(weight, 1.01)));
    expect(compareOutputs(fixture)).toBeGreaterThan(tolerance);
    release(fixture);
  });
});

type SamplingFixture = {
  anticipationSeconds: number;
  minObservedSeconds: number;
  samplings: Record<string, Partial<AnticipationConfig>>;
  cases: { sampling: string; fps: number; start: number; frames: SnippetFrames | null }[];
};

describe('TempAgg snippet sampling against the authors’ dataset code', () => {
  const fixture = JSON.parse(readFileSync(join(fixtures, 'tempagg-snippets.json'), 'utf8')) as SamplingFixture;

  it('pools the same frames for every segment start and frame rate, and leaves out the same segments', () => {
    expect(fixture.cases.length).toBeGreaterThan(40);
    expect(fixture.cases.some((c) => c.frames === null)).toBe(true);
    for (const { sampling, fps, start, frames } of fixture.cases) {
      const config = resolveAnticipationConfig({
        ...fixture.samplings[sampling],
        fps,
        anticipationSeconds: fixture.anticipationSeconds,
        minObservedSeconds: fixture.minObservedSeconds,
      });
      expect(snippetFrames(start, config) ?? null, `${sampling} sampling, ${fps} fps, start ${start}`).toEqual(frames);
    }
  });
});
