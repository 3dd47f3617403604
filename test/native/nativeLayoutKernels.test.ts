// The addon's Transpose, Slice, Sum, Concat, SplitV and Add kernels for the wasm backend (native/matmul/wasmLayoutKernels.ts)
// against the wasm backend's own: every permutation of rank 2–4 shapes with 1-sized, odd and empty axes, float32 and
// int32, a seeded random rank-5 set; slices of every axis, to the end (-1) and empty; sums over every axis range with
// and without keepDims, wide column sums (bias gradients), and the forms handed back to the wasm kernel;
// concatenations and splits along every axis of rank 1–4 tensors, with empty and 1-sized pieces, and their
// gradients; additions large and small, of one shape and broadcast, and a gradient that accumulates through Add. Needs the addon built here (test/preconditions.ts:
// skipped with the reason, failing under CI).
import * as tf from '@tensorflow/tfjs';
import { beforeAll, expect, it } from 'vitest';
import { loadMatMulAddon, type MatMulAddon } from '../../native/matmul/index';
import { installNativeLayoutKernels, removeNativeLayoutKernels } from '../../native/matmul/wasmLayoutKernels';
import { loadBackend } from '../../native/tfBackend';
import { matmulAddon, needs } from '../preconditions';

const load = loadMatMulAddon();

function permutations(rank: number): number[][] {
  if (rank === 1) return [[0]];
  return permutations(rank - 1).flatMap((perm) => Array.from({ length: rank }, (_, at) => [...perm.slice(0, at), rank - 1, ...perm.slice(at)]));
}

function values(count: number, seed: number): Float32Array {
  let state = seed;
  return Float32Array.from({ length: count }, () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return Math.round((state / 2147483648) * 2000) / 100 - 10;
  });
}

type Result = { shape: number[]; values: number[] };

/** `run` under the addon's kernels and under the wasm backend's own. */
function bothWays(run: () => tf.Tensor): { native: Result; own: Result } {
  const collect = (): Result =>
    tf.tidy(() => {
      const result = run();
      return { shape: result.shape, values: Array.from(result.dataSync()) };
    });
  const native = collect();
  removeNativeLayoutKernels();
  try {
    return { native, own: collect() };
  } finally {
    installNativeLayoutKernels((load as { addon: MatMulAddon }).addon);
  }
}

const transposeShapes = [
  [7, 13],
  [1, 9],
  [33, 1],
  [3, 5, 7],
  [2, 1, 6],
  [64, 21, 8],
  [2, 3, 4, 5],
  [3, 1, 17, 2],
  [4, 0, 3],
];

const sumShapes = [[1344, 33], [5, 7, 9], [2, 3, 4, 5], [1, 6, 1], [3, 0, 4]];

needs(matmulAddon(load)).describe('native Transpose and Sum on the wasm backend', () => {
  beforeAll(async () => {
    const report = await loadBackend({ force: 'wasm' });
    expect(report.details).toMatch(/native BatchMatMul, _FusedMatMul, Transpose, Slice, Sum, Concat, SplitV and Add \(evgap_matmul/);
  });

  it.each(transposeShapes)('Transpose of [%s] by every permutation, float32 and int32', (...shape: number[]) => {
    const size = tf.util.sizeFromShape(shape);
    for (const perm of permutations(shape.length)) {
      for (const dtype of ['float32', 'int32'] as const) {
        const { native, own } = bothWays(() => tf.transpose(tf.tensor(values(size, 3), shape, dtype), perm));
        expect(native).toEqual(own);
      }
    }
  });

  it('Transpose of large rank-5 tensors by seeded random permutations (the threaded, tiled paths)', () => {
    const shape = [3, 40, 2, 37, 9];
    const all = permutations(5);
    for (let index = 0; index < 12; index++) {
      const perm = all[(index * 37) % all.length] as number[];
      const { native, own } = bothWays(() => tf.transpose(tf.tensor(values(tf.util.sizeFromShape(shape), index), shape), perm));
      expect(native).toEqual(own);
    }
  });

  it.each([
    { shape: [64, 2048, 5], perm: [1, 2, 0] },
    { shape: [2048, 5, 64], perm: [2, 0, 1] },
    { shape: [3, 64, 1024], perm: [0, 2, 1] },
  ])('Transpose of a wide [$shape] by [$perm] (tiles read along either side)', ({ shape, perm }) => {
    const { native, own } = bothWays(() => tf.transpose(tf.tensor(values(tf.util.sizeFromShape(shape), 17), shape), perm));
    expect(native).toEqual(own);
  });

  it.each([
    { shape: [1344, 1536], begin: [0, 512], size: [1344, 512] },
    { shape: [64, 21, 512], begin: [0, 0, 0], size: [64, 1, 512] },
    { shape: [5, 7, 9], begin: [1, 2, 3], size: [3, -1, 4] },
    { shape: [5, 7, 9], begin: [4, 0, 0], size: [1, 7, 9] },
    { shape: [2, 3, 4, 5, 6], begin: [1, 0, 2, 1, 0], size: [1, 3, 2, 3, 6] },
    { shape: [9], begin: [2], size: [5] },
    { shape: [4, 6], begin: [1, 2], size: [0, 3] },
  ])('Slice of [$shape] from [$begin] by [$size], float32 and int32', ({ shape, begin, size }) => {
    for (const dtype of ['float32', 'int32'] as const) {
      const { native, own } = bothWays(() => tf.slice(tf.tensor(values(tf.util.sizeFromShape(shape), 7), shape, dtype), begin, size));
      expect(native).toEqual(own);
    }
  });

  it.each([
    [[4, 6], [4, 3], [4, 1]],
    [[2, 3, 5], [2, 3, 5], [2, 3, 5]],
    [[9], [1], [0]],
    [[3, 1, 4, 2], [3, 1, 4, 2]],
    [[700, 64], [700, 64]],
  ])('Concat and SplitV along every axis of [%s] and its fellows, float32 and int32', (...shapes: number[][]) => {
    const rank = shapes[0]!.length;
    for (let axis = 0; axis < rank; axis++) {
      // Pieces that differ along `axis` only: the listed extents moved onto that axis.
      const pieces = shapes.map((shape) => shapes[0]!.map((d, i) => (i === axis ? shape[shape.length - 1]! : d)));
      for (const dtype of ['float32', 'int32'] as const) {
        const tensors = () => pieces.map((shape, i) => tf.tensor(values(tf.util.sizeFromShape(shape), 13 + i), shape, dtype));
        const joined = bothWays(() => tf.concat(tensors(), axis));
        expect(joined.native).toEqual(joined.own);
        const sizes = pieces.map((shape) => shape[axis]!);
        const whole = () => tf.concat(tensors(), axis);
        for (let piece = 0; piece < sizes.length; piece++) {
          const split = bothWays(() => tf.split(whole(), sizes, axis)[piece]!);
          expect(split.native).toEqual(split.own);
        }
      }
    }
  });

  it('Concat keeps its gradient (SplitV) equal to the wasm backend\'s own', () => {
    const a = tf.tensor(values(5 * 3, 21), [5, 3]);
    const b = tf.tensor(values(5 * 4, 22), [5, 4]);
    const weights = tf.tensor(values(5 * 7, 23), [5, 7]);
    const { native, own } = bothWays(() => {
      const [da, db] = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(tf.concat([x, y], 1), weights)))([a, b]);
      return tf.concat([tf.reshape(da!, [-1]), tf.reshape(db!, [-1])]);
    });
    expect(native).toEqual(own);
    tf.dispose([a, b, weights]);
  });

  it.each(sumShapes)('Sum of [%s] over every axis range, with and without keepDims', (...shape: number[]) => {
    const rank = shape.length;
    for (let first = 0; first < rank; first++) {
      for (let last = first; last < rank; last++) {
        const axes = Array.from({ length: last - first + 1 }, (_, i) => first + i);
        for (const keepDims of [false, true]) {
          const { native, own } = bothWays(() => tf.sum(tf.tensor(values(tf.util.sizeFromShape(shape), 5), shape), axes, keepDims));
          expect(native.shape).toEqual(own.shape);
          native.values.forEach((value, i) => expect(Math.abs(value - (own.values[i] as number))).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(value))));
        }
      }
    }
  });

  it.each([{ shape: [1344, 1536] }, { shape: [1344, 512] }, { shape: [300, 1000] }, { shape: [2, 70, 300] }])(
    'Sum of a wide [$shape] over its rows (column chunks on every thread)',
    ({ shape }) => {
    const { native, own } = bothWays(() => tf.sum(tf.tensor(values(tf.util.sizeFromShape(shape), 19), shape), shape.length - 2));
    expect(native.shape).toEqual(own.shape);
    const worst = native.values.reduce((most, value, i) => Math.max(most, Math.abs(value - own.values[i]!) / Math.max(1, Math.abs(value))), 0);
    expect(worst).toBeLessThanOrEqual(1e-5);
    },
  );

  it('Add of large float32 tensors of one shape in the addon, exactly as the wasm kernel; other additions to that kernel', () => {
    const shape = [64, 21, 512];
    const size = tf.util.sizeFromShape(shape);
    const cases: [string, () => tf.Tensor][] = [
      ['one shape, large', () => tf.add(tf.tensor(values(size, 31), shape), tf.tensor(values(size, 32), shape))],
      ['a tensor to itself', () => {
        const x = tf.tensor(values(size, 33), shape);
        return tf.add(x, x);
      }],
      ['odd length', () => tf.add(tf.tensor(values(40_001, 34), [40_001]), tf.tensor(values(40_001, 35), [40_001]))],
      ['small', () => tf.add(tf.tensor(values(300, 36), [300]), tf.tensor(values(300, 37), [300]))],
      ['broadcast', () => tf.add(tf.tensor(values(size, 38), shape), tf.tensor(values(21 * 512, 39), [21, 512]))],
      ['int32', () => tf.add(tf.tensor(values(size, 40), shape, 'int32'), tf.tensor(values(size, 41), shape, 'int32'))],
    ];
    // Installed over an addon whose `add` counts its calls, to see which additions the addon took.
    const addon = (load as { addon: MatMulAddon }).addon;
    let nativeCalls = 0;
    const counting: MatMulAddon = Object.create(addon, {
      add: { value: (...args: Parameters<MatMulAddon['add']>) => ((nativeCalls += 1), addon.add(...args)) },
    });
    for (const [what, run] of cases) {
      removeNativeLayoutKernels();
      installNativeLayoutKernels(counting);
      nativeCalls = 0;
      try {
        const { native, own } = bothWays(run);
        expect(native, what).toEqual(own);
        expect(nativeCalls, `${what}: additions in the addon`).toBe(['small', 'broadcast', 'int32'].includes(what) ? 0 : 1);
      } finally {
        removeNativeLayoutKernels();
        installNativeLayoutKernels(addon);
      }
    }
    // The gradient of x used twice (accumulated through Add by TF.js's backpropagation).
    const x = tf.tensor(values(size, 42), shape);
    const { native, own } = bothWays(() => tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.add(tf.relu(t), tf.square(t)), t)))(x));
    expect(native).toEqual(own);
    x.dispose();
  });

  it('hands non-contiguous axes and int32 sums to the wasm kernel, with the same results', () => {
    const x = values(2 * 3 * 4, 9);
    const cases = [
      () => tf.sum(tf.tensor(x, [2, 3, 4]), [0, 2]),
      () => tf.sum(tf.tensor(x, [2, 3, 4], 'int32'), 1),
      () => tf.sum(tf.tensor(x, [2, 3, 4])),
    ];
    for (const run of cases) {
      const { native, own } = bothWays(run);
      expect(native.shape).toEqual(own.shape);
      native.values.forEach((value, i) => expect(value).toBeCloseTo(own.values[i] as number, 3));
    }
  });

  it('leaves no tensors or backend data behind, and keeps gradients through transpose and sum', async () => {
    const x = tf.tensor(values(4 * 6, 11), [4, 6]);
    const dataIdsBefore = tf.backend().numDataIds();
    tf.tidy(() => {
      tf.sum(tf.transpose(x), 0).dataSync();
    });
    expect(tf.backend().numDataIds()).toBe(dataIdsBefore);
    const gradient = (): number[] => tf.tidy(() => Array.from(tf.grad((t: tf.Tensor) => tf.sum(tf.square(tf.sum(tf.transpose(t), 1))))(x).dataSync()));
    const onWasm = gradient();
    await tf.setBackend('cpu');
    const xOnCpu = tf.tensor(values(4 * 6, 11), [4, 6]);
    const onCpu = tf.tidy(() => Array.from(tf.grad((t: tf.Tensor) => tf.sum(tf.square(tf.sum(tf.transpose(t), 1))))(xOnCpu).dataSync()));
    xOnCpu.dispose();
    await tf.setBackend('wasm');
    onWasm.forEach((value, i) => expect(value).toBeCloseTo(onCpu[i] as number, 3));
    x.dispose();
  });
});
