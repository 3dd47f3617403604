// The addon's fused kernels (native/matmul/wasmFusedKernels.ts, used through main/engine/fusedOps) against the
// TF.js reference ops computed by TF.js's own cpu backend: values and the gradients of every input, on seeded random
// and edge shapes (one row, odd widths, one head, a single token, one tap, a dilation wider than the sequence, one
// channel), with and without ReLU; BatchNorm's statistics; the Adam update against the reference update (and exactly
// against float32 arithmetic at every alignment of its outputs); bf16 Linear products against float32 products of
// the bf16-rounded operands (exact up to summation order) and against float32 within bf16's rounding. Under CI=true
// a missing addon or bf16 kernel fails with its reason instead of skipping.
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { referenceAdamUpdate, adamUpdate, adamUpdateMany } from '../../main/engine/fusedOps/adamUpdate';
import { multiHeadAttention, referenceAttention } from '../../main/engine/fusedOps/attention';
import { fusedKernelNames } from '../../main/engine/fusedOps/kernelNames';
import { batchNormTraining, referenceBatchNormTraining } from '../../main/engine/fusedOps/batchNorm';
import { layerNorm, referenceLayerNorm } from '../../main/engine/fusedOps/layerNorm';
import { linear, referenceLinear } from '../../main/engine/fusedOps/linear';
import { runsFused } from '../../main/engine/fusedOps/nativeKernels';
import { referenceTapSum, tapSum, temporalConvolution } from '../../main/engine/fusedOps/temporalConvolution';
import { bf16Variable, loadMatMulAddon } from '../../native/matmul/index';
import { loadBackend } from '../../native/tfBackend';
import { SeededRandom } from '../../main/random/seededRandom';
import { matmulAddon, needs, precondition } from '../preconditions';

// The CPUs this project is tested on run AVX512_BF16 even where a hypervisor hides it from CPUID.
process.env[bf16Variable] = 'probe';
const load = loadMatMulAddon();
const addon = matmulAddon(load);
const bf16Kernel = precondition('bf16-kernel', () => {
  if (!load.ok) return `needs the native addon (${load.reason})`;
  const bf16 = load.addon.info().bf16;
  return bf16.enabled ? null : bf16.detail;
});

/** Uniform values in [-scale, scale), seeded. */
function seeded(count: number, seed: number, scale = 1): Float32Array {
  return new SeededRandom(seed).uniformArray(count, scale);
}

type Operand = { values: Float32Array; shape: number[] };
type Outcome = { value: Float32Array; grads: Float32Array[] };

/**
 * y = f(inputs) and the gradients of Σ y ⊙ r (r seeded) with respect to every input, on `backend`. The fused
 * kernels run where they are registered (wasm with the addon); on cpu every op is TF.js's own.
 */
async function evaluate(backend: 'wasm' | 'cpu', operands: Operand[], f: (...x: tf.Tensor[]) => tf.Tensor): Promise<Outcome> {
  await tf.setBackend(backend);
  return tf.tidy(() => {
    const inputs = operands.map((o) => tf.tensor(o.values, o.shape));
    const y = f(...inputs);
    const weights = tf.tensor(seeded(y.size, 99), y.shape);
    const { value, grads } = tf.valueAndGrads((...x: tf.Tensor[]) => tf.sum(tf.mul(f(...x), weights)) as tf.Scalar)(inputs);
    value.dispose();
    return { value: y.dataSync() as Float32Array, grads: grads.map((g) => g.dataSync() as Float32Array) };
  });
}

function expectClose(actual: Float32Array, expected: Float32Array, tolerance: number, what: string): void {
  expect(actual.length, what).toBe(expected.length);
  let worst = 0;
  let at = -1;
  for (let i = 0; i < expected.length; i++) {
    const error = Math.abs(actual[i]! - expected[i]!) / (1 + Math.abs(expected[i]!));
    if (!(error <= worst)) {
      worst = error;
      at = i;
    }
  }
  expect(worst, `${what}: worst relative error at ${at} (${actual[at]} vs ${expected[at]})`).toBeLessThanOrEqual(tolerance);
}

/** ‖actual − expected‖ / ‖expected‖ ≤ tolerance (for roundings whose errors add up over long sums). */
function expectNormClose(actual: Float32Array, expected: Float32Array, tolerance: number, what: string): void {
  let difference = 0;
  let norm = 0;
  for (let i = 0; i < expected.length; i++) {
    difference += (actual[i]! - expected[i]!) ** 2;
    norm += expected[i]! ** 2;
  }
  expect(Math.sqrt(difference / Math.max(norm, 1e-30)), what).toBeLessThanOrEqual(tolerance);
}

async function compare(operands: Operand[], fused: (...x: tf.Tensor[]) => tf.Tensor, reference: (...x: tf.Tensor[]) => tf.Tensor, tolerance = 2e-5): Promise<void> {
  const native = await evaluate('wasm', operands, fused);
  const own = await evaluate('cpu', operands, reference);
  await tf.setBackend('wasm');
  expectClose(native.value, own.value, tolerance, 'value');
  own.grads.forEach((grad, i) => expectClose(native.grads[i]!, grad, tolerance, `gradient of input ${i}`));
}

/** Rounds to bf16 (nearest, ties to even; denormals to zero) as the addon's packing does (random normal values: no NaN). */
function toBf16(values: Float32Array): Float32Array {
  const bits = new Uint32Array(values.slice().buffer);
  for (let i = 0; i < bits.length; i++) {
    const b = bits[i]!;
    bits[i] = (b & 0x7f800000) === 0 ? b & 0x80000000 : ((b + 0x7fff + ((b >>> 16) & 1)) >>> 16) << 16;
  }
  return new Float32Array(bits.buffer);
}


const linearShapes: [number, number, number][] = [
  [37, 29, 45],
  [1, 7, 3],
  [130, 64, 1],
  [256, 300, 70],
];

needs(addon).describe('fused kernels on the wasm backend', () => {
  beforeAll(async () => {
    const report = await loadBackend({ force: 'wasm' });
    expect(report.details).toMatch(/fused kernels/);
    for (const name of Object.values(fusedKernelNames)) expect(runsFused(name), name).toBe(true);
  });

  afterAll(async () => {
    await tf.setBackend('wasm');
  });

  it.each(linearShapes)('Linear of x [%i, %i] to %i features, with and without ReLU', async (n, inDim, outDim) => {
    const operands = [
      { values: seeded(n * inDim, 1), shape: [n, inDim] },
      { values: seeded(outDim * inDim, 2, 0.3), shape: [outDim, inDim] },
      { values: seeded(outDim, 3), shape: [outDim] },
    ];
    for (const activation of ['linear', 'relu'] as const) {
      await compare(
        operands,
        (x, w, b) => linear(x as tf.Tensor2D, w as tf.Tensor2D, b as tf.Tensor1D, { activation }),
        (x, w, b) => referenceLinear(x as tf.Tensor2D, w as tf.Tensor2D, b as tf.Tensor1D, activation),
      );
    }
  });

  it.each([
    [[6, 5, 40]],
    [[1, 1, 3]],
    [[300, 512]],
    [[2, 3, 1]],
  ])('LayerNorm over the last axis of [%s]', async (shape: number[]) => {
    const width = shape[shape.length - 1]!;
    const size = tf.util.sizeFromShape(shape);
    const operands = [
      { values: seeded(size, 4, 3), shape },
      { values: seeded(width, 5), shape: [width] },
      { values: seeded(width, 6), shape: [width] },
    ];
    await compare(
      operands,
      (x, g, b) => layerNorm(x!, g as tf.Tensor1D, b as tf.Tensor1D, 1e-5),
      (x, g, b) => referenceLayerNorm(x!, g as tf.Tensor1D, b as tf.Tensor1D, 1e-5),
      width === 1 ? 1e-3 : 2e-5,
    );
  });

  it.each([
    [37, 13],
    [700, 64],
    [2, 5],
    [1, 3],
    [9, 1],
    [600, 129],
  ])('BatchNorm over the %i rows of [N, %i], with and without ReLU, and its statistics', async (rows, channels) => {
    // Channels with an offset and a spread of their own, so the statistics matter.
    const values = seeded(rows * channels, 17, 2).map((v, i) => v * (1 + (i % channels)) + (i % channels) - 3);
    const operands = [
      { values, shape: [rows, channels] },
      { values: seeded(channels, 18), shape: [channels] },
      { values: seeded(channels, 19), shape: [channels] },
    ];
    for (const activation of ['linear', 'relu'] as const) {
      // One row: the normalized values are 0 and the gradient of x is 0 (up to rounding of x − μ).
      await compare(
        operands,
        (x, g, b) => batchNormTraining(x as tf.Tensor2D, g as tf.Tensor1D, b as tf.Tensor1D, 1e-5, activation).y,
        (x, g, b) => referenceBatchNormTraining(x as tf.Tensor2D, g as tf.Tensor1D, b as tf.Tensor1D, 1e-5, activation).y,
        1e-4,
      );
    }
    const statistics = async (backend: 'wasm' | 'cpu', f: typeof batchNormTraining) => {
      await tf.setBackend(backend);
      return tf.tidy(() => {
        const [x, g, b] = operands.map((o) => tf.tensor(o.values, o.shape));
        const { mean, variance } = f(x as tf.Tensor2D, g as tf.Tensor1D, b as tf.Tensor1D, 1e-5, 'relu');
        return [mean, variance];
      });
    };
    const native = await statistics('wasm', batchNormTraining);
    const own = await statistics('cpu', referenceBatchNormTraining);
    await tf.setBackend('wasm');
    expectClose(native[0]!, own[0]!, 1e-5, 'mean');
    expectClose(native[1]!, own[1]!, 1e-4, 'variance');
  });

  it.each([
    [3, 7, 4, 24],
    [2, 21, 8, 64],
    [1, 1, 1, 5],
    [5, 9, 1, 12],
    [2, 40, 2, 16],
    [2, 64, 4, 32],
    [1, 70, 2, 8],
    [2, 17, 2, 136],
  ])('attention of %i sequences of %i tokens, %i heads, width %i', async (batch, length, heads, width) => {
    const operands = [{ values: seeded(batch * length * 3 * width, 7, 2), shape: [batch * length, 3 * width] }];
    await compare(
      operands,
      (qkv) => multiHeadAttention(qkv as tf.Tensor2D, batch, heads),
      (qkv) => referenceAttention(qkv as tf.Tensor2D, batch, heads),
    );
  });

  it.each([
    [[11, 15], 5, 1],
    [[2, 9, 12], 3, 2],
    [[4, 6], 3, 7],
    [[8, 4], 1, 1],
    [[1, 10], 5, 1],
  ])('convolution taps of z [%s], %i taps, dilation %i, with and without ReLU', async (shape: number[], taps: number, dilation: number) => {
    const channels = shape[shape.length - 1]! / taps;
    const operands = [
      { values: seeded(tf.util.sizeFromShape(shape), 8), shape },
      { values: seeded(channels, 9), shape: [channels] },
    ];
    for (const activation of ['linear', 'relu'] as const) {
      const attrs = { taps, dilation, activation };
      await compare(operands, (z, b) => tapSum(z!, b as tf.Tensor1D, attrs), (z, b) => referenceTapSum(z!, b as tf.Tensor1D, attrs));
    }
  });

  it('a dilated convolution equals a plain loop', async () => {
    const [T, cin, cout, k, dilation] = [13, 6, 4, 3, 4];
    const x = seeded(T * cin, 10);
    const w = seeded(cin * k * cout, 11); // [cin, k·cout]
    const b = seeded(cout, 12);
    const y = tf.tidy(() =>
      temporalConvolution(tf.tensor2d(x, [T, cin]), tf.tensor2d(w, [cin, k * cout]), tf.tensor1d(b), { kernelSize: k, dilation }).dataSync(),
    );
    const expected = new Float32Array(T * cout);
    for (let t = 0; t < T; t++) {
      for (let o = 0; o < cout; o++) {
        let sum = b[o]!;
        for (let j = 0; j < k; j++) {
          const source = t + (j - (k - 1) / 2) * dilation;
          if (source < 0 || source >= T) continue;
          for (let c = 0; c < cin; c++) sum += x[source * cin + c]! * w[c * k * cout + j * cout + o]!;
        }
        expected[t * cout + o] = sum;
      }
    }
    expectClose(y as Float32Array, expected, 1e-5, 'dilated convolution');
  });

  it('the Adam update and its squared norms equal the reference update', async () => {
    const size = 70_001;
    const attrs = { beta1: 0.9, beta2: 0.999, epsilon: 1e-8, stepSize: 1e-3 / (1 - 0.9 ** 3), secondCorrection: Math.sqrt(1 - 0.999 ** 3), decayFactor: 1 - 1e-3 * 0.01 };
    const inputs = [seeded(size, 13), seeded(size, 14, 0.1), seeded(size, 15, 0.01), seeded(size, 16, 1e-4).map(Math.abs)];
    const run = async (backend: 'wasm' | 'cpu', update: typeof adamUpdate) => {
      await tf.setBackend(backend);
      return tf.tidy(() => {
        const [p, g, m, v] = inputs.map((values) => tf.tensor1d(values));
        const out = update(p!, g!, m!, v!, attrs);
        return [out.param, out.firstMoment, out.secondMoment, out.squares].map((t) => t.dataSync() as Float32Array);
      });
    };
    const native = await run('wasm', adamUpdate);
    const own = await run('cpu', referenceAdamUpdate);
    await tf.setBackend('wasm');
    ['param', 'first moment', 'second moment', 'squares'].forEach((what, i) => expectClose(native[i]!, own[i]!, 1e-5, what));
  });

  it('the Adam update writes exactly float32 arithmetic at every alignment of its outputs, in place too, and nothing beside them', () => {
    // The AVX-512 path streams its outputs through aligned stores assembled from neighbouring vectors: each output at
    // each of the 16 float offsets within a cache line, lengths around the vector width and the pool's chunks.
    if (!load.ok) throw new Error(load.reason);
    const attrs = { beta1: 0.9, beta2: 0.999, epsilon: 1e-8, stepSize: 1e-3 / (1 - 0.9 ** 5), secondCorrection: Math.sqrt(1 - 0.999 ** 5), decayFactor: 1 - 1e-3 * 0.01 };
    const f = Math.fround;
    const [b1, b2, eps, lr, decay] = [f(attrs.beta1), f(attrs.beta2), f(attrs.epsilon), f(attrs.stepSize), f(attrs.decayFactor)];
    const [ob1, ob2, inverse] = [f(1 - b1), f(1 - b2), f(1 / f(attrs.secondCorrection))];
    const guard = 32;
    const sentinel = -7.25;
    for (const size of [1, 5, 15, 16, 17, 33, 100, 16_384, 2 * 16_384 + 37]) {
      const [param, grad, firstMoment, secondMoment] = [seeded(size, 71), seeded(size, 72, 0.1), seeded(size, 73, 0.01), seeded(size, 74, 1e-4).map(Math.abs)];
      const expected = { param: new Float32Array(size), firstMoment: new Float32Array(size), secondMoment: new Float32Array(size) };
      for (let i = 0; i < size; i++) {
        const g = grad[i]!;
        const m = f(f(b1 * firstMoment[i]!) + f(ob1 * g));
        const v = f(f(b2 * secondMoment[i]!) + f(f(ob2 * g) * g));
        expected.firstMoment[i] = m;
        expected.secondMoment[i] = v;
        expected.param[i] = f(f(decay * param[i]!) - f(f(lr * m) / f(f(f(Math.sqrt(v)) * inverse) + eps)));
      }
      const span = size + 2 * guard + 16; // one operand's room: guards, the values, up to 15 floats of skew
      for (let skew = 0; skew < 16; skew++) {
        for (const inPlace of skew === 3 ? [false, true] : [false]) {
          const memory = new ArrayBuffer(7 * span * 4);
          const floats = new Float32Array(memory).fill(sentinel);
          // Operand k at float offset k·span + guard + its skew: the outputs' skews differ from each other.
          const starts = [0, 1, 2, 3, 4, 5, 6].map((k) => k * span + guard + (k < 4 ? 0 : (skew + 5 * (k - 4)) % 16));
          [param, grad, firstMoment, secondMoment].forEach((values, k) => floats.set(values, starts[k]!));
          const [pOut, mOut, vOut] = inPlace ? [starts[0]!, starts[2]!, starts[3]!] : [starts[4]!, starts[5]!, starts[6]!];
          const squares = load.addon.adamUpdate(
            memory, 4 * starts[0]!, 4 * starts[1]!, 4 * starts[2]!, 4 * starts[3]!, 4 * pOut, 4 * mOut, 4 * vOut, size,
            attrs.beta1, attrs.beta2, attrs.epsilon, attrs.stepSize, attrs.secondCorrection, attrs.decayFactor,
          );
          const where = `size ${size}, output skews ${skew}/${(skew + 5) % 16}/${(skew + 10) % 16}${inPlace ? ', in place' : ''}`;
          for (const [start, values, name] of [[pOut, expected.param, 'param'], [mOut, expected.firstMoment, 'first moment'], [vOut, expected.secondMoment, 'second moment']] as const) {
            const written = floats.subarray(start, start + size);
            const wrong = written.findIndex((value, i) => value !== values[i]);
            expect(wrong, `${name} at ${wrong} (${where})`).toBe(-1);
            if (!inPlace) {
              expect(floats.subarray(start - guard, start).every((value) => value === sentinel), `${name}: before it (${where})`).toBe(true);
              expect(floats.subarray(start + size, start + size + guard).every((value) => value === sentinel), `${name}: after it (${where})`).toBe(true);
            }
          }
          const gradSquares = grad.reduce((sum, g) => sum + g * g, 0);
          const paramSquares = expected.param.reduce((sum, p) => sum + p * p, 0);
          expect(Math.abs(squares[0]! - gradSquares) / gradSquares, `Σg² (${where})`).toBeLessThan(1e-5);
          expect(Math.abs(squares[1]! - paramSquares) / paramSquares, `Σθ'² (${where})`).toBeLessThan(1e-5);
        }
      }
    }
  });

  it('every parameter of a step in one call equals the reference update of each, in order, with the squared norms', async () => {
    const shapes = [[64, 5, 3], [1], [7], [33, 2], [0, 4], [4096]];
    const steps = [1, 2, 3, 10, 4, 7];
    const attrsOf = (i: number) => ({
      beta1: 0.9,
      beta2: 0.999,
      epsilon: 1e-8,
      stepSize: 1e-3 / (1 - 0.9 ** steps[i]!),
      secondCorrection: Math.sqrt(1 - 0.999 ** steps[i]!),
      decayFactor: i % 2 === 0 ? 1 : 1 - 1e-3 * 0.05,
    });
    const inputs = shapes.map((shape, i) => {
      const size = tf.util.sizeFromShape(shape);
      return [seeded(size, 30 + i), seeded(size, 40 + i, 0.1), seeded(size, 50 + i, 0.01), seeded(size, 60 + i, 1e-4).map(Math.abs)];
    });
    const run = async (backend: 'wasm' | 'cpu') => {
      await tf.setBackend(backend);
      return tf.tidy(() => {
        const operands = inputs.map((values, i) => {
          const [param, grad, firstMoment, secondMoment] = values.map((v) => tf.tensor(v, shapes[i]!));
          return { param: param!, grad: grad!, firstMoment: firstMoment!, secondMoment: secondMoment!, attrs: attrsOf(i) };
        });
        const { updates, squares } = adamUpdateMany(operands);
        expect(squares.shape).toEqual([shapes.length, 2]);
        return [...updates.flatMap((u) => [u.param, u.firstMoment, u.secondMoment]), squares].map((t) => t.dataSync() as Float32Array);
      });
    };
    expect(runsFused(fusedKernelNames.adamUpdateMany)).toBe(true);
    const native = await run('wasm');
    const own = await run('cpu');
    await tf.setBackend('wasm');
    native.forEach((values, i) => expectClose(values, own[i]!, 1e-5, `output ${i}`));
  });
});

needs(addon, bf16Kernel).describe('bf16 Linear', () => {
  beforeAll(async () => {
    await loadBackend({ force: 'wasm' });
  });

  it.each(linearShapes)('x [%i, %i] to %i features: float32 products of bf16-rounded operands, forward and backward', async (n, inDim, outDim) => {
    const [x, w, b] = [seeded(n * inDim, 21), seeded(outDim * inDim, 22, 0.3), seeded(outDim, 23)];
    const operands = [
      { values: x, shape: [n, inDim] },
      { values: w, shape: [outDim, inDim] },
      { values: b, shape: [outDim] },
    ];
    const bf16Linear = (activation: 'linear' | 'relu') => (xt: tf.Tensor, wt: tf.Tensor, bt: tf.Tensor) =>
      linear(xt as tf.Tensor2D, wt as tf.Tensor2D, bt as tf.Tensor1D, { activation, precision: 'bf16' });
    // Exactly (up to summation order): y = bf16(x)·bf16(W)ᵀ + b; with dy = r, dx = bf16(r)·bf16(W), dW = bf16(r)ᵀ·bf16(x).
    const mixed = await evaluate('wasm', operands, bf16Linear('linear'));
    const r = seeded(n * outDim, 99);
    await tf.setBackend('cpu');
    const emulated = tf.tidy(() => {
      const [xr, wr, rr] = [tf.tensor2d(toBf16(x), [n, inDim]), tf.tensor2d(toBf16(w), [outDim, inDim]), tf.tensor2d(toBf16(r), [n, outDim])];
      return [
        tf.add(tf.matMul(xr, wr, false, true), tf.tensor1d(b)),
        tf.matMul(rr, wr),
        tf.matMul(rr, xr, true, false),
        tf.sum(tf.tensor2d(r, [n, outDim]), 0),
      ].map((t) => t.dataSync() as Float32Array);
    });
    await tf.setBackend('wasm');
    expectClose(mixed.value, emulated[0]!, 2e-5, 'bf16 forward');
    mixed.grads.forEach((grad, i) => expectClose(grad, emulated[i + 1]!, 2e-5, `bf16 gradient of input ${i}`));
    // ReLU: the forward is the ReLU of the same product.
    const withRelu = await evaluate('wasm', operands, bf16Linear('relu'));
    expectClose(withRelu.value, emulated[0]!.map((v) => Math.max(v, 0)), 2e-5, 'bf16 forward with ReLU');
    // Against float32: within bf16's rounding (8 significant bits, relative error ≤ 2^-9 per operand).
    const fp32 = await evaluate('wasm', operands, (xt, wt, bt) => linear(xt as tf.Tensor2D, wt as tf.Tensor2D, bt as tf.Tensor1D));
    expectNormClose(mixed.value, fp32.value, 1e-2, 'bf16 vs fp32 forward');
    fp32.grads.forEach((grad, i) => expectNormClose(mixed.grads[i]!, grad, 1e-2, `bf16 vs fp32 gradient of input ${i}`));
  });
});
