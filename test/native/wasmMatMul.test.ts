// The transpose-free wasm matMul kernels: same numbers as the untransposed kernel and as a float64 product, for every
// transpose combination, batched, broadcast and 1-sized shapes; unchanged gradients; no leaked backend memory.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadBackend } from '../../native/tfBackend';
import { installTransposeFreeMatMul, removeTransposeFreeMatMul } from '../../native/wasmMatMul';

function seededValues(seed: number, count: number): number[] {
  let state = seed;
  return Array.from({ length: count }, () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return Math.fround(state / 1073741824 - 1);
  });
}

/** A float64 batched product with the batch dimension broadcast as matMul does (shapes [batch?, rows, cols]). */
function referenceMatMul(a: tf.Tensor, b: tf.Tensor, transposeA: boolean, transposeB: boolean): number[] {
  const as = a.rank === 2 ? [1, ...a.shape] : a.shape;
  const bs = b.rank === 2 ? [1, ...b.shape] : b.shape;
  const [aBatch, aRows, aCols] = as as [number, number, number];
  const [bBatch, bRows, bCols] = bs as [number, number, number];
  const av = Array.from(a.dataSync());
  const bv = Array.from(b.dataSync());
  const at = (batch: number, i: number, k: number) =>
    av[(aBatch === 1 ? 0 : batch) * aRows * aCols + (transposeA ? k * aCols + i : i * aCols + k)] as number;
  const bt = (batch: number, k: number, j: number) =>
    bv[(bBatch === 1 ? 0 : batch) * bRows * bCols + (transposeB ? j * bCols + k : k * bCols + j)] as number;
  const [rows, inner] = transposeA ? [aCols, aRows] : [aRows, aCols];
  const cols = transposeB ? bRows : bCols;
  const out: number[] = [];
  for (let batch = 0; batch < Math.max(aBatch, bBatch); batch++) {
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) {
        let sum = 0;
        for (let k = 0; k < inner; k++) sum += at(batch, i, k) * bt(batch, k, j);
        out.push(sum);
      }
    }
  }
  return out;
}

function swapLastTwo(x: tf.Tensor): tf.Tensor {
  return tf.transpose(x, [...Array(x.rank - 2).keys(), x.rank - 1, x.rank - 2]);
}

// [a shape, b shape] as the operands are stored (i.e. already transposed where the flag says so), per flag pair.
const shapeCases: { name: string; a: number[]; b: number[] }[] = [
  { name: 'square-ish, sizes not multiples of 4', a: [5, 7], b: [7, 3] },
  { name: 'batched', a: [3, 5, 7], b: [3, 7, 6] },
  { name: 'broadcast a', a: [1, 5, 7], b: [4, 7, 3] },
  { name: 'broadcast b', a: [4, 5, 7], b: [1, 7, 3] },
  { name: 'rank 3 by rank 2', a: [2, 6, 9], b: [9, 5] },
  { name: 'scalar-like 1×1', a: [1, 1], b: [1, 1] },
  { name: 'column times row', a: [6, 1], b: [1, 5] },
  { name: 'row times column', a: [1, 6], b: [6, 1] },
  { name: 'batched with 1-sized rows', a: [2, 1, 7], b: [2, 7, 1] },
];
const flagCases = [
  { transposeA: false, transposeB: false },
  { transposeA: true, transposeB: false },
  { transposeA: false, transposeB: true },
  { transposeA: true, transposeB: true },
];
const grid = shapeCases.flatMap((shape) => flagCases.map((flags) => ({ ...shape, ...flags })));

/** The operand as stored for the flag: its last two axes swapped when the kernel is asked to transpose it. */
function operand(shape: number[], transposed: boolean, seed: number): tf.Tensor {
  const [rows, cols] = shape.slice(-2) as [number, number];
  const stored = transposed ? [...shape.slice(0, -2), cols, rows] : shape;
  return tf.tensor(seededValues(seed, stored.reduce((size, dim) => size * dim, 1)), stored);
}

describe('transpose-free matMul on the wasm backend', () => {
  beforeAll(async () => {
    const report = await loadBackend({ force: 'wasm' });
    expect(report.details).toContain('transpose-free BatchMatMul and _FusedMatMul');
  });

  it('is installed once, however often it is asked for', () => {
    const kernelBefore = tf.getKernel('BatchMatMul', 'wasm')?.kernelFunc;
    expect(installTransposeFreeMatMul()).toEqual(['BatchMatMul', '_FusedMatMul']);
    expect(tf.getKernel('BatchMatMul', 'wasm')?.kernelFunc).toBe(kernelBefore);
  });

  it('hands the wasm kernels only untransposed operands, and can be removed', () => {
    removeTransposeFreeMatMul();
    const original = tf.getKernel('BatchMatMul', 'wasm') as tf.KernelConfig;
    const seen: { shapes: number[][]; transposeA: unknown; transposeB: unknown }[] = [];
    tf.unregisterKernel('BatchMatMul', 'wasm');
    tf.registerKernel({
      ...original,
      kernelFunc: (args) => {
        const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
        seen.push({ shapes: [a.shape, b.shape], transposeA: args.attrs?.['transposeA'], transposeB: args.attrs?.['transposeB'] });
        return original.kernelFunc(args);
      },
    });
    try {
      installTransposeFreeMatMul();
      tf.tidy(() => tf.matMul(tf.ones([3, 2]), tf.ones([4, 3]), true, true).dataSync());
    } finally {
      removeTransposeFreeMatMul();
      tf.unregisterKernel('BatchMatMul', 'wasm');
      tf.registerKernel(original);
      installTransposeFreeMatMul();
    }
    expect(seen).toEqual([{ shapes: [[2, 3], [3, 4]], transposeA: false, transposeB: false }]);
  });

  it.each(grid)('BatchMatMul $name, transposeA=$transposeA, transposeB=$transposeB', ({ a, b, transposeA, transposeB }) => {
    tf.tidy(() => {
      const left = operand(a, transposeA, 1);
      const right = operand(b, transposeB, 2);
      const flagged = tf.matMul(left, right, transposeA, transposeB);
      const explicit = tf.matMul(transposeA ? swapLastTwo(left) : left, transposeB ? swapLastTwo(right) : right);
      expect(flagged.shape).toEqual(explicit.shape);
      // The wrapper hands the original kernel exactly the explicit transpose: bit-identical results.
      expect(Array.from(flagged.dataSync())).toEqual(Array.from(explicit.dataSync()));
      const expected = referenceMatMul(left, right, transposeA, transposeB);
      Array.from(flagged.dataSync()).forEach((value, index) => expect(value).toBeCloseTo(expected[index] as number, 5));
    });
  });

  it.each(flagCases)('_FusedMatMul with bias and relu, transposeA=$transposeA, transposeB=$transposeB', ({ transposeA, transposeB }) => {
    tf.tidy(() => {
      const bias = tf.tensor1d([0.25, -0.5, 0.1]);
      for (const batch of [1, 2]) {
        const left = operand([batch, 5, 7], transposeA, 3);
        const right = operand([batch, 7, 3], transposeB, 4);
        const fused = tf.fused.matMul({ a: left, b: right, transposeA, transposeB, bias, activation: 'relu' });
        const untransposed = tf.fused.matMul({
          a: transposeA ? swapLastTwo(left) : left,
          b: transposeB ? swapLastTwo(right) : right,
          bias,
          activation: 'relu',
        });
        expect(Array.from(fused.dataSync())).toEqual(Array.from(untransposed.dataSync()));
        // Only for one batch: the wasm kernel itself (4.22) adds the bias wrongly to every batch after the first.
        if (batch === 1) {
          const product = referenceMatMul(left, right, transposeA, transposeB);
          const expected = product.map((value, index) => Math.max(0, value + ([0.25, -0.5, 0.1][index % 3] as number)));
          Array.from(fused.dataSync()).forEach((value, index) => expect(value).toBeCloseTo(expected[index] as number, 5));
        }
      }
    });
  });

  it('frees the transposed copies it makes', () => {
    const left = operand([3, 8, 6], true, 5);
    const right = operand([3, 6, 4], true, 6);
    const dataIdsBefore = tf.backend().numDataIds();
    const tensorsBefore = tf.memory().numTensors;
    tf.matMul(left, right, true, true).dispose();
    expect(tf.backend().numDataIds()).toBe(dataIdsBefore);
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    tf.dispose([left, right]);
  });

  it('leaves the gradients of a matMul-heavy function as the cpu backend computes them', async () => {
    // f(x, w1, w2) = Σ tanh(tanh(x·w1)·w2ᵀ): its backward pass runs every transposed BatchMatMul path.
    const x = seededValues(7, 6 * 9);
    const w1 = seededValues(8, 9 * 5);
    const w2 = seededValues(9, 3 * 5);
    const gradientsOn = async (backend: string): Promise<number[][]> => {
      await tf.setBackend(backend);
      return tf.tidy(() => {
        const f = (xs: tf.Tensor, first: tf.Tensor, second: tf.Tensor) =>
          tf.sum(tf.tanh(tf.matMul(tf.tanh(tf.matMul(xs, first)), second, false, true))) as tf.Scalar;
        const grads = tf.grads(f)([tf.tensor(x, [6, 9]), tf.tensor(w1, [9, 5]), tf.tensor(w2, [3, 5])]);
        return grads.map((grad) => Array.from(grad.dataSync()));
      });
    };
    const onCpu = await gradientsOn('cpu');
    const onWasm = await gradientsOn('wasm');
    onWasm.forEach((gradient, input) =>
      gradient.forEach((value, index) => expect(value).toBeCloseTo((onCpu[input] as number[])[index] as number, 5)),
    );
  });
});
