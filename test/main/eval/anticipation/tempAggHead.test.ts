// Tests of the TempAgg head: its loss equals a direct float64 computation of the authors' weighted sum of
// cross-entropies from its logits, its scores are the logits summed over the recent windows, a training step
// leaks no tensors, dropout is seeded, and its parameters are the authors' state_dict (plus our projection).
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { SeededRandom } from '../../../../main/random/seededRandom';
import { AdamW } from '../../../../main/engine/optim/adamw';
import { resolveAnticipationConfig } from '../../../../main/eval/anticipation/config';
import { createTempAggHead, type AnticipationTarget } from '../../../../main/eval/anticipation/tempAggHead';
import { anticipationStep } from '../../../../main/eval/anticipation/trainAnticipation';
import { loadBackend } from '../../../../native/tfBackend';

const classes = { verb: 3, object: 4, action: 6 };
const config = resolveAnticipationConfig({ inputProjection: 8, latentDim: 4, linearDim: 6, verbLossWeight: 0.5, objectLossWeight: 2 });
const B = 5;
const inputDim = 12;
/** Snippets of the cpu preset: 5 + 3 + 2 spanning, 2 windows × 2 recent. */
const S = 10;
const R = 4;

beforeAll(async () => {
  await loadBackend({ force: 'wasm' });
});

function batch(seed: number) {
  const random = new SeededRandom(seed);
  const draw = (t: AnticipationTarget) => Int32Array.from({ length: B }, () => Math.floor(random.uniform() * classes[t]));
  const labels = { verb: draw('verb'), object: draw('object'), action: draw('action') };
  const oneHot = (t: AnticipationTarget) => tf.tidy(() => tf.oneHot(tf.tensor1d(labels[t], 'int32'), classes[t]).toFloat() as tf.Tensor2D);
  return {
    labels,
    spanning: tf.tensor3d(random.normalArray(B * S * inputDim, 1), [B, S, inputDim]),
    recent: tf.tensor3d(random.normalArray(B * R * inputDim, 1), [B, R, inputDim]),
    targets: { verb: oneHot('verb'), object: oneHot('object'), action: oneHot('action') },
  };
}

function release(b: ReturnType<typeof batch>): void {
  tf.dispose([b.spanning, b.recent, ...Object.values(b.targets)]);
}

/** Mean over the batch of −log softmax(row)[label], in float64. */
function crossEntropy(logits: number[][], labels: Int32Array): number {
  return (
    logits.reduce((sum, row, i) => {
      const max = Math.max(...row);
      const logSum = Math.log(row.reduce((s, v) => s + Math.exp(v - max), 0)) + max;
      return sum + logSum - row[labels[i]!]!;
    }, 0) / logits.length
  );
}

describe('TempAgg head', () => {
  it('has the authors’ loss: Σ windows CE(action) + w_verb·Σ CE(verb) + w_object·Σ CE(object)', () => {
    const head = createTempAggHead(inputDim, config, classes, 1);
    const b = batch(2);
    const logits = head.forward(b.spanning, b.recent);
    const sum = (target: AnticipationTarget) => logits[target].reduce((s, l) => s + crossEntropy(l.arraySync(), b.labels[target]), 0);
    const expected = sum('action') + 0.5 * sum('verb') + 2 * sum('object');
    const loss = head.loss(logits, b.targets);
    expect(loss.dataSync()[0]).toBeCloseTo(expected, 4);
    const scores = head.scores(logits);
    const direct = logits.action.map((l) => l.arraySync()).reduce((a, l) => a.map((row, i) => row.map((v, c) => v + l[i]![c]!)));
    (scores.action.arraySync() as number[][]).forEach((row, i) => row.forEach((v, c) => expect(v).toBeCloseTo(direct[i]![c]!, 5)));
    tf.dispose([loss, ...Object.values(logits).flat(), ...Object.values(scores)]);
    release(b);
    head.dispose();
  });

  it('keeps tf.memory().numTensors unchanged per training step and forward pass', () => {
    const head = createTempAggHead(inputDim, config, classes, 1);
    const optimizer = new AdamW(head.params, { lr: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0 });
    const b = batch(3);
    const random = new SeededRandom(4);
    const first = anticipationStep(head, optimizer, b, random); // creates the optimizer's moments
    const before = tf.memory().numTensors;
    const second = anticipationStep(head, optimizer, b, random);
    tf.dispose(tf.tidy(() => head.scores(head.forward(b.spanning, b.recent))));
    expect(tf.memory().numTensors).toBe(before);
    expect(Number.isFinite(first) && Number.isFinite(second)).toBe(true);
    optimizer.dispose();
    head.dispose();
    release(b);
    expect(tf.memory().numTensors).toBeLessThan(before);
  });

  it('draws dropout from its seed in training and none in evaluation', () => {
    const head = createTempAggHead(inputDim, config, classes, 1);
    const b = batch(5);
    const values = (random?: SeededRandom) => {
      const logits = head.forward(b.spanning, b.recent, random);
      const out = Array.from(logits.action[0]!.dataSync());
      tf.dispose(Object.values(logits).flat());
      return out;
    };
    expect(values()).toEqual(values());
    expect(values(new SeededRandom(7))).toEqual(values(new SeededRandom(7)));
    expect(values(new SeededRandom(7))).not.toEqual(values());
    release(b);
    head.dispose();
  });

  it('names and shapes its weights as the authors’ state_dict, one classifier per recent window', () => {
    const paper = resolveAnticipationConfig({ preset: 'paper', latentDim: 4, linearDim: 6 });
    const head = createTempAggHead(inputDim, paper, classes, 1);
    const names = [...head.params.keys()];
    // 4 windows × (3 coupling blocks × (2 non-local blocks × 10 + 2 × 4 fully connected) + 2) + 4 × 3 classifiers × 2
    expect(names).toHaveLength(4 * (3 * 28 + 2) + 24);
    expect(head.params.get('TAB4.CB1.NLB_past.theta.weight')!.shape).toEqual([4, 5, 1]);
    expect(head.params.get('TAB4.CB1.NLB_recent.theta.weight')!.shape).toEqual([4, 2, 1]);
    expect(head.params.get('TAB4.CB1.NLB_recent.final_layers.0.weight')!.shape).toEqual([4, inputDim]);
    expect(head.params.get('TAB2.CB3.fc_context.0.weight')!.shape).toEqual([6, (2 + 4) * inputDim]);
    expect(head.params.get('TAB1.fc_recent_tab.0.weight')!.shape).toEqual([6, 18]);
    expect(head.params.get('cls_object3.0.weight')!.shape).toEqual([4, 12]);
    expect(names.some((n) => n.startsWith('project'))).toBe(false);
    head.dispose();
    const cpu = createTempAggHead(inputDim, config, classes, 1);
    expect(cpu.params.get('project.weight')!.shape).toEqual([8, inputDim]);
    expect(cpu.params.get('TAB1.CB1.NLB_past.final_layers.0.weight')!.shape).toEqual([4, 8]);
    cpu.dispose();
  });

  it('refuses snippets of the wrong shape', () => {
    const head = createTempAggHead(inputDim, config, classes, 1);
    const wrong = tf.zeros([2, 9, inputDim]) as tf.Tensor3D;
    const recent = tf.zeros([2, R, inputDim]) as tf.Tensor3D;
    expect(() => head.forward(wrong, recent)).toThrow(/expected spanning \[B, 10, 12\] and recent \[B, 4, 12\], got \[2, 9, 12\] and \[2, 4, 12\]/);
    tf.dispose([wrong, recent]);
    head.dispose();
  });
});
