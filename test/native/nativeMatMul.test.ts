// The evgap_matmul addon's wasm kernels (native/matmul/wasmKernels.ts via wasmMatMul.installNativeMatMul) against
// TF.js's own kernels, for every instruction set this CPU runs: BatchMatMul with all transpose flags on fixed edge
// shapes (sizes that are not multiples of the vector width or of the cache blocks, batch broadcast, empty and
// 1-sized dimensions) and on seeded random shapes; _FusedMatMul with bias and each activation; gradients; and no
// leaked backend memory. Needs the addon built here (test/preconditions.ts: skipped with the reason, failing under CI).
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMatMulAddon, type InstructionSetName, type MatMulAddon } from '../../native/matmul/index';
import { loadBackend } from '../../native/tfBackend';
import { installedMatMul, installNativeMatMul, removeTransposeFreeMatMul } from '../../native/wasmMatMul';
import { matmulAddon, needs } from '../preconditions';

const load = loadMatMulAddon();
const instructionSets: InstructionSetName[] = load.ok ? load.info.supported : [];

function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

function seededValues(seed: number, count: number): Float32Array {
  const random = seededRandom(seed);
  return Float32Array.from({ length: count }, () => random() * 2 - 1);
}

type Case = { a: number[]; b: number[]; transposeA: boolean; transposeB: boolean };

/** Stored operand shapes for a logical product [batchA…, m, k] × [batchB…, k, n] under the flags. */
function storedCase(batchA: number[], batchB: number[], m: number, k: number, n: number, transposeA: boolean, transposeB: boolean): Case {
  return {
    a: [...batchA, ...(transposeA ? [k, m] : [m, k])],
    b: [...batchB, ...(transposeB ? [n, k] : [k, n])],
    transposeA,
    transposeB,
  };
}

const flagPairs = [
  [false, false],
  [true, false],
  [false, true],
  [true, true],
] as const;

/** [batchA, batchB, m, k, n] */
const edgeShapes: [number[], number[], number, number, number][] = [
  [[], [], 5, 7, 3],
  [[3], [3], 33, 17, 35],
  [[1], [4], 13, 40, 19],
  [[4], [1], 13, 40, 19],
  [[2], [], 6, 9, 5],
  [[], [2], 6, 9, 5],
  [[2, 3], [2, 3], 4, 5, 6],
  [[], [], 1, 1, 1],
  [[], [], 6, 1, 5],
  [[], [], 1, 6, 1],
  [[2], [2], 1, 7, 1],
  [[], [], 0, 5, 3],
  [[], [], 4, 0, 3],
  [[], [], 4, 5, 0],
  [[0], [0], 4, 5, 3],
  [[], [], 300, 270, 530], // crosses the 256-deep slabs, the 240-row and 512-column tasks; the last tasks in halves
  [[], [], 61, 600, 45],
  [[], [], 611, 300, 45], // one column of tasks, several rows: each task packs its own A
  [[], [], 37, 530, 1100], // one row of tasks, several columns: each task packs its own B
  [[2], [2], 250, 70, 20], // task-local A per batch entry
];
const edgeCases = edgeShapes.flatMap(([batchA, batchB, m, k, n]) =>
  flagPairs.map(([transposeA, transposeB]) => storedCase(batchA, batchB, m, k, n, transposeA, transposeB)),
);

function randomCases(count: number, seed: number): Case[] {
  const random = seededRandom(seed);
  const size = (max: number) => Math.floor(random() * (max + 1));
  return Array.from({ length: count }, () => {
    const batch = 1 + size(3);
    const batchShapes: [number[], number[]][] = [[[], []], [[batch], [batch]], [[1], [batch]], [[batch], [1]], [[batch], []]];
    const [batchA, batchB] = batchShapes[size(batchShapes.length - 1)] as [number[], number[]];
    return storedCase(batchA, batchB, size(70), size(70), size(70), random() < 0.5, random() < 0.5);
  });
}

/** tf.matMul's result values under the kernels the wasm backend has now. */
function product({ a, b, transposeA, transposeB }: Case, seed: number): { shape: number[]; values: Float32Array } {
  return tf.tidy(() => {
    const left = tf.tensor(seededValues(seed, tf.util.sizeFromShape(a)), a);
    const right = tf.tensor(seededValues(seed + 1, tf.util.sizeFromShape(b)), b);
    const result = tf.matMul(left, right, transposeA, transposeB);
    return { shape: result.shape, values: result.dataSync() as Float32Array };
  });
}

/** TF.js's own wasm kernel's result for a case. */
function ownKernelProduct(kase: Case, seed: number): { shape: number[]; values: Float32Array } {
  removeTransposeFreeMatMul();
  try {
    return product(kase, seed);
  } finally {
    installNativeMatMul((load as { addon: MatMulAddon }).addon);
  }
}

function expectClose(actual: Float32Array, expected: Float32Array, inner: number): void {
  expect(actual.length).toBe(expected.length);
  const tolerance = 2e-6 * Math.max(8, inner);
  let worst = 0;
  for (let index = 0; index < actual.length; index++) {
    worst = Math.max(worst, Math.abs((actual[index] as number) - (expected[index] as number)));
  }
  expect(worst).toBeLessThanOrEqual(tolerance);
}

const innerSize = ({ a, transposeA }: Case): number => (transposeA ? (a.at(-2) as number) : (a.at(-1) as number));

needs(matmulAddon(load)).describe('native matMul kernels on the wasm backend', () => {
  const addon = (load as { addon: MatMulAddon }).addon;
  const best = instructionSets[0] as InstructionSetName;

  beforeAll(async () => {
    const report = await loadBackend({ force: 'wasm' });
    expect(report.tried.at(-1)).toEqual({ name: 'native-matmul', ok: true });
    expect(installedMatMul()).toBe('native');
  });

  afterAll(() => {
    addon.useInstructionSet(best);
  });

  describe.each(instructionSets)('with the %s kernel', (instructionSet) => {
    beforeAll(() => {
      expect(addon.useInstructionSet(instructionSet)).toBe(true);
      expect(addon.info().instructionSet).toBe(instructionSet);
    });

    it.each(edgeCases)('BatchMatMul a=[$a] b=[$b] transposeA=$transposeA transposeB=$transposeB', (kase) => {
      const native = product(kase, 11);
      const own = ownKernelProduct(kase, 11);
      expect(native.shape).toEqual(own.shape);
      expectClose(native.values, own.values, innerSize(kase));
    });

    it('BatchMatMul on 40 seeded random shapes, flags and batch broadcasts', () => {
      for (const [index, kase] of randomCases(40, 5).entries()) {
        const native = product(kase, 100 + index);
        const own = ownKernelProduct(kase, 100 + index);
        expect(native.shape).toEqual(own.shape);
        expectClose(native.values, own.values, innerSize(kase));
      }
    });
  });

  it('gives the same bits with its kernels kept on the calling thread (keepOnCallingThread) as spread over the pool', () => {
    // Above the threading thresholds (a 2·300·400·500 = 120 MFLOP product; a 600K-element sum), so that the pool
    // takes them when it may; the pipeline's head workers keep theirs on their own thread.
    const run = () =>
      tf.tidy(() => {
        const a = tf.tensor(seededValues(31, 300 * 400), [300, 400]);
        const b = tf.tensor(seededValues(32, 400 * 500), [400, 500]);
        const product = tf.matMul(a, b);
        return [product.dataSync().slice(), tf.sum(product.reshape([600, 250]), 0).dataSync().slice()];
      });
    const spread = run();
    addon.keepOnCallingThread(true);
    try {
      const alone = run();
      expect(alone[0]).toEqual(spread[0]);
      expect(alone[1]).toEqual(spread[1]);
    } finally {
      addon.keepOnCallingThread(false);
    }
  });

  it('broadcasts batch axes of different ranks and sizes as tf.matMul defines it', () => {
    // [2, 1, 5, 7] × [3, 7, 4] → [2, 3, 5, 4]; TF.js's own kernels flatten the batch axes, so compare per entry.
    tf.tidy(() => {
      const a = tf.tensor(seededValues(21, 2 * 5 * 7), [2, 1, 5, 7]);
      const b = tf.tensor(seededValues(22, 3 * 7 * 4), [3, 7, 4]);
      const result = tf.matMul(a, b);
      expect(result.shape).toEqual([2, 3, 5, 4]);
      for (let i = 0; i < 2; i++) {
        for (let j = 0; j < 3; j++) {
          const entry = tf.matMul(tf.squeeze(tf.slice(a, [i, 0, 0, 0], [1, 1, 5, 7]), [0, 1]), tf.squeeze(tf.slice(b, [j, 0, 0], [1, 7, 4]), [0]));
          const fromBatch = tf.squeeze(tf.slice(result, [i, j, 0, 0], [1, 1, 5, 4]), [0, 1]);
          expectClose(fromBatch.dataSync() as Float32Array, entry.dataSync() as Float32Array, 7);
        }
      }
    });
  });

  it('is switched off by the loader option and back on by the next default load', async () => {
    const off = await loadBackend({ force: 'wasm', nativeMatMul: false });
    expect(off.tried.at(-1)).toEqual({ name: 'native-matmul', ok: false, reason: 'disabled: loadBackend({ nativeMatMul: false })' });
    expect(installedMatMul()).toBe('transpose-free');
    const on = await loadBackend({ force: 'wasm' });
    expect(on.details).toMatch(/native BatchMatMul, _FusedMatMul, Transpose, Slice, Sum, Concat, SplitV and Add \(evgap_matmul, (avx512|avx2|portable) \d+x\d+ kernel, \d+ threads\), \d+ fused kernels \(.*\); bf16: .*\)$/);
    expect(installedMatMul()).toBe('native');
  });

  it('rejects mismatched inner sizes with TF.js\'s message', () => {
    expect(() => tf.tidy(() => tf.matMul(tf.ones([2, 3]), tf.ones([4, 2])))).toThrow(/inner shapes \(3\) and \(4\)/);
  });

  const activations = ['linear', 'relu', 'relu6', 'leakyrelu', 'sigmoid', 'elu', 'prelu'] as const;
  it.each(activations)('_FusedMatMul with a per-column bias and %s matches the cpu backend', async (activation) => {
    const fused = (): { shape: number[]; values: Float32Array } =>
      tf.tidy(() => {
        const result = tf.fused.matMul({
          a: tf.tensor(seededValues(31, 2 * 23 * 19), [2, 19, 23]),
          b: tf.tensor(seededValues(32, 2 * 19 * 37), [2, 37, 19]),
          transposeA: true,
          transposeB: true,
          bias: tf.tensor1d(seededValues(33, 37)),
          activation,
          preluActivationWeights: activation === 'prelu' ? tf.tensor1d(seededValues(34, 37)) : undefined,
          leakyreluAlpha: 0.3,
        });
        return { shape: result.shape, values: result.dataSync() as Float32Array };
      });
    const native = fused();
    await tf.setBackend('cpu');
    const onCpu = fused();
    await tf.setBackend('wasm');
    expect(native.shape).toEqual([2, 23, 37]);
    expectClose(native.values, onCpu.values, 19);
  });

  it('_FusedMatMul of one untransposed batch entry matches the wasm backend\'s own kernel', () => {
    // Only this form: the wasm kernel (4.22) adds the bias wrongly to every batch entry after the first, and with
    // transposeA or transposeB its results differ from the cpu backend's by up to 4 here (29×70ᵀ·70×41); the
    // transposed and batched forms are compared with the cpu backend above.
    const run = (): tf.Tensor =>
      tf.fused.matMul({
        a: tf.tensor(seededValues(35, 29 * 70), [29, 70]),
        b: tf.tensor(seededValues(36, 70 * 41), [70, 41]),
        bias: tf.tensor1d(seededValues(37, 41)),
        activation: 'relu',
      });
    const collect = (): Float32Array => tf.tidy(() => run().dataSync() as Float32Array);
    const native = collect();
    removeTransposeFreeMatMul();
    let own: Float32Array;
    try {
      own = collect();
    } finally {
      installNativeMatMul(addon);
    }
    expectClose(native, own, 70);
  });

  it('_FusedMatMul with a scalar bias, and with a column bias the epilogue cannot take, matches the cpu backend', async () => {
    const fused = (bias: () => tf.Tensor): Float32Array =>
      tf.tidy(() =>
        tf.fused
          .matMul({ a: tf.tensor(seededValues(41, 6 * 5), [6, 5]), b: tf.tensor(seededValues(42, 5 * 4), [5, 4]), bias: bias(), activation: 'relu' })
          .dataSync() as Float32Array,
      );
    const biases = [() => tf.scalar(0.3), () => tf.tensor2d(seededValues(43, 6), [6, 1])];
    const native = biases.map(fused);
    await tf.setBackend('cpu');
    const onCpu = biases.map(fused);
    await tf.setBackend('wasm');
    native.forEach((values, index) => expectClose(values, onCpu[index] as Float32Array, 5));
  });

  it('gives the gradients of a matMul-heavy function as the cpu backend does', async () => {
    const x = seededValues(51, 26 * 30);
    const w1 = seededValues(52, 30 * 17);
    const w2 = seededValues(53, 9 * 17);
    const gradientsOn = async (backend: string): Promise<Float32Array[]> => {
      await tf.setBackend(backend);
      return tf.tidy(() => {
        const f = (xs: tf.Tensor, first: tf.Tensor, second: tf.Tensor) =>
          tf.sum(tf.tanh(tf.matMul(tf.relu(tf.matMul(xs, first)), second, false, true))) as tf.Scalar;
        const grads = tf.grads(f)([tf.tensor(x, [26, 30]), tf.tensor(w1, [30, 17]), tf.tensor(w2, [9, 17])]);
        return grads.map((grad) => grad.dataSync() as Float32Array);
      });
    };
    const onCpu = await gradientsOn('cpu');
    const native = await gradientsOn('wasm');
    native.forEach((gradient, input) => expectClose(gradient, onCpu[input] as Float32Array, 30));
  });

  it('leaves no tensors or backend data behind', () => {
    const left = tf.tensor(seededValues(61, 3 * 8 * 6), [3, 8, 6]);
    const right = tf.tensor(seededValues(62, 6 * 4), [6, 4]);
    const bias = tf.tensor1d([1, 2, 3, 4]);
    const dataIdsBefore = tf.backend().numDataIds();
    const tensorsBefore = tf.memory().numTensors;
    tf.matMul(left, right).dispose();
    tf.fused.matMul({ a: left, b: right, bias, activation: 'relu' }).dispose();
    expect(tf.backend().numDataIds()).toBe(dataIdsBefore);
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    tf.dispose([left, right, bias]);
  });
});
