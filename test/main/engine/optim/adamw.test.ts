// Tests of Adam/AdamW against a float64 reference on a quadratic, the decay rule, state export/import and leaks.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { AdamW, computeGradients, type AdamWOptions } from '../../../../main/engine/optim/adamw';
import { isDecayed } from '../../../../main/engine/optim/weightDecay';

// The quadratic ½ Σ a_i (θ_i − c_i)², over one decayed matrix and one bias that is not decayed.
const initial: Record<string, number[]> = { 'layers.0.linear1.weight': [1.5, -2, 0.3, 4], 'layers.0.linear1.bias': [-1, 0.5] };
const curvature: Record<string, number[]> = { 'layers.0.linear1.weight': [1, 3, 0.5, 2], 'layers.0.linear1.bias': [2, 0.1] };
const centre: Record<string, number[]> = { 'layers.0.linear1.weight': [0.2, 0.1, -0.4, 1], 'layers.0.linear1.bias': [0.3, -0.2] };

/** Adam/AdamW as torch.optim.AdamW documents it (with torch.optim.Adam's L2 penalty `l2` on the gradient), in float64. */
function referenceAdamW(options: AdamWOptions, steps: number): Record<string, number[]> {
  const theta = Object.fromEntries(Object.entries(initial).map(([k, v]) => [k, [...v]]));
  const m = Object.fromEntries(Object.entries(initial).map(([k, v]) => [k, v.map(() => 0)]));
  const v = Object.fromEntries(Object.entries(initial).map(([k, x]) => [k, x.map(() => 0)]));
  for (let t = 1; t <= steps; t++) {
    for (const name of Object.keys(theta)) {
      const decay = isDecayed(name) ? options.weightDecay : 0;
      theta[name] = theta[name]!.map((value, i) => {
        const g = curvature[name]![i]! * (value - centre[name]![i]!) + (options.l2 ?? 0) * value;
        m[name]![i] = options.beta1 * m[name]![i]! + (1 - options.beta1) * g;
        v[name]![i] = options.beta2 * v[name]![i]! + (1 - options.beta2) * g * g;
        const mHat = m[name]![i]! / (1 - options.beta1 ** t);
        const vHat = v[name]![i]! / (1 - options.beta2 ** t);
        return value * (1 - options.lr * decay) - (options.lr * mHat) / (Math.sqrt(vHat) + options.epsilon);
      });
    }
  }
  return theta;
}

function makeParams(): Map<string, tf.Variable> {
  return new Map(Object.entries(initial).map(([name, values]) => [name, tf.variable(tf.tensor1d(values), true)]));
}

function quadraticLoss(params: Map<string, tf.Variable>): tf.Scalar {
  return tf.addN(
    [...params].map(([name, p]) =>
      tf.mul(0.5, tf.sum(tf.mul(tf.tensor1d(curvature[name]!), tf.square(tf.sub(p, tf.tensor1d(centre[name]!)))))),
    ),
  ) as tf.Scalar;
}

function trainStep(optimizer: AdamW, params: Map<string, tf.Variable>): number {
  const { loss, grads } = computeGradients(params, () => quadraticLoss(params));
  const { gradNorm } = optimizer.step(grads);
  tf.dispose([loss, ...grads.values()]);
  return gradNorm;
}

const adamw: AdamWOptions = { lr: 0.05, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0.3 };

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('AdamW', () => {
  for (const [label, options] of [
    ['Adam', { ...adamw, weightDecay: 0 }],
    ['AdamW', adamw],
    ['Adam with L2 weight decay (torch.optim.Adam)', { ...adamw, weightDecay: 0, l2: 0.3 }],
  ] as const) {
    it(`matches a float64 reference of ${label} for several steps`, () => {
      const params = makeParams();
      const optimizer = new AdamW(params, options);
      for (let i = 0; i < 6; i++) trainStep(optimizer, params);
      const expected = referenceAdamW(options, 6);
      for (const [name, p] of params) {
        const got = Array.from(p.dataSync());
        got.forEach((value, i) => expect(value).toBeCloseTo(expected[name]![i]!, 5));
      }
      optimizer.dispose();
      tf.dispose([...params.values()]);
    });
  }

  it('decays weight matrices but not biases, norms, tokens or logit parameters', () => {
    expect(isDecayed('input_proj.weight')).toBe(true);
    expect(isDecayed('layers.3.self_attn.in_proj_weight')).toBe(true);
    expect(isDecayed('layers.3.self_attn.out_proj.weight')).toBe(true);
    for (const name of [
      'input_proj.bias',
      'layers.0.self_attn.in_proj_bias',
      'layers.0.norm1.weight',
      'layers.0.norm2.bias',
      'out_norms.5.weight',
      'cls_token',
      'pos_embed',
      'logit_scale',
      'logit_bias',
    ]) {
      expect(isDecayed(name), name).toBe(false);
    }
  });

  it('reports the global gradient norm before the update', () => {
    const params = makeParams();
    const optimizer = new AdamW(params, adamw);
    const expected = Math.sqrt(
      Object.keys(initial).reduce(
        (sum, name) =>
          sum + initial[name]!.reduce((s, v, i) => s + (curvature[name]![i]! * (v - centre[name]![i]!)) ** 2, 0),
        0,
      ),
    );
    expect(trainStep(optimizer, params)).toBeCloseTo(expected, 4);
    optimizer.dispose();
    tf.dispose([...params.values()]);
  });

  it('resumes identically from exported state', () => {
    const params = makeParams();
    const optimizer = new AdamW(params, adamw);
    for (let i = 0; i < 3; i++) trainStep(optimizer, params);
    const state = optimizer.exportState();
    const snapshot = new Map([...params].map(([name, p]) => [name, p.dataSync().slice()]));
    for (let i = 0; i < 3; i++) trainStep(optimizer, params);
    const continued = new Map([...params].map(([name, p]) => [name, Array.from(p.dataSync())]));

    const restored = new Map([...snapshot].map(([name, values]) => [name, tf.variable(tf.tensor1d(values), true)]));
    const resumed = new AdamW(restored, adamw);
    resumed.importState(state);
    for (let i = 0; i < 3; i++) trainStep(resumed, restored);
    for (const [name, p] of restored) expect(Array.from(p.dataSync())).toEqual(continued.get(name));
    expect(state.parameters['layers.0.linear1.weight']!.step).toBe(3);
    expect(state.parameters['layers.0.linear1.weight']!.firstMoment).toBeInstanceOf(Float32Array);
    tf.dispose([...params.values(), ...restored.values()]);
    optimizer.dispose();
    resumed.dispose();
  });

  it('rejects state for unknown parameters or of the wrong size without changing its own', () => {
    const params = makeParams();
    const optimizer = new AdamW(params, adamw);
    trainStep(optimizer, params);
    const good = optimizer.exportState();
    expect(() =>
      optimizer.importState({ parameters: { ...good.parameters, extra: good.parameters['layers.0.linear1.bias']! } }),
    ).toThrow('optimizer state names unknown parameter extra');
    const wrongSize = { step: 1, firstMoment: new Float32Array(3), secondMoment: new Float32Array(4) };
    expect(() => optimizer.importState({ parameters: { 'layers.0.linear1.weight': wrongSize } })).toThrow(
      'layers.0.linear1.weight.firstMoment: expected 4 float32 values, got 3',
    );
    expect(optimizer.exportState()).toEqual(good);
    optimizer.dispose();
    tf.dispose([...params.values()]);
  });

  it('leaks no tensors per step', () => {
    const params = makeParams();
    const optimizer = new AdamW(params, adamw);
    trainStep(optimizer, params); // the first step creates the moment variables
    const before = tf.memory().numTensors;
    for (let i = 0; i < 4; i++) trainStep(optimizer, params);
    expect(tf.memory().numTensors).toBe(before);
    optimizer.dispose();
    tf.dispose([...params.values()]);
  });

  it('rejects invalid options and gradients', () => {
    const params = makeParams();
    expect(() => new AdamW(params, { ...adamw, lr: 0 })).toThrow('expected lr > 0, got 0');
    expect(() => new AdamW(params, { ...adamw, weightDecay: -1 })).toThrow('expected weightDecay >= 0, got -1');
    const optimizer = new AdamW(params, adamw);
    const grad = tf.zeros([3]);
    expect(() => optimizer.step(new Map([['layers.0.linear1.bias', grad]]))).toThrow(
      'layers.0.linear1.bias: expected gradient of shape [2], got [3]',
    );
    expect(() => optimizer.step(new Map([['nope', grad]]))).toThrow('gradient for unknown parameter nope');
    tf.dispose([grad, ...params.values()]);
  });
});
