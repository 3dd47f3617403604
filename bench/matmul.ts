// Measures matMul throughput on the wasm backend with its own kernels and with the transpose-free ones
// (native/wasmMatMul.ts): plain, transposeA and transposeB products, and a forward+backward pass whose gradients
// take the transposed paths. Run from a build (e.g. `node out/bench/matmul.js [m k n]`); prints GFLOP/s.
import * as tf from '@tensorflow/tfjs';
import { loadBackend } from '../native/tfBackend';
import { installTransposeFreeMatMul, removeTransposeFreeMatMul } from '../native/wasmMatMul';

type Shape = { m: number; k: number; n: number };

/** Seconds of one run of `run`, reading its results back. */
function seconds(run: () => tf.Tensor | tf.Tensor[]): number {
  const start = performance.now();
  tf.tidy(() => {
    for (const result of [run()].flat()) result.dataSync();
  });
  return (performance.now() - start) / 1000;
}

type Case = { name: string; flops: number; run: () => tf.Tensor | tf.Tensor[] };

function cases({ m, k, n }: Shape): { cases: Case[]; operands: tf.Tensor[] } {
  const flops = 2 * m * k * n;
  const a = tf.randomNormal([m, k]);
  const b = tf.randomNormal([k, n]);
  const aStoredTransposed = tf.randomNormal([k, m]);
  const bStoredTransposed = tf.randomNormal([n, k]);
  const productGradients = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.matMul(x, y)));
  return {
    operands: [a, b, aStoredTransposed, bStoredTransposed],
    cases: [
      { name: 'plain', flops, run: () => tf.matMul(a, b) },
      { name: 'transposeA', flops, run: () => tf.matMul(aStoredTransposed, b, true, false) },
      { name: 'transposeB', flops, run: () => tf.matMul(a, bStoredTransposed, false, true) },
      // The product and its two gradient products (dA = dY·Bᵀ, dB = Aᵀ·dY): three products' worth of work.
      { name: 'forward+backward', flops: 3 * flops, run: () => productGradients([a, b]) },
    ],
  };
}

async function main(): Promise<void> {
  const [m = 512, k = 2048, n = 512] = process.argv.slice(2).map(Number);
  const rounds = 3;
  const report = await loadBackend({ force: 'wasm' });
  console.log(`${report.details}; shape ${m}×${k}×${n}; best of ${rounds} rounds (other processes only slow runs down)`);
  const { cases: all, operands } = cases({ m, k, n });
  for (const { name, flops, run } of all) {
    // Alternate the two kernel sets round by round, so that a busy machine slows both alike.
    const best = { wasmKernels: Infinity, transposeFree: Infinity };
    for (let round = 0; round <= rounds; round++) {
      removeTransposeFreeMatMul();
      const original = seconds(run);
      installTransposeFreeMatMul();
      const transposeFree = seconds(run);
      if (round === 0) continue; // warm-up
      best.wasmKernels = Math.min(best.wasmKernels, original);
      best.transposeFree = Math.min(best.transposeFree, transposeFree);
    }
    const gflops = (time: number) => (flops / time / 1e9).toFixed(2).padStart(7);
    console.log(`${name.padEnd(17)} wasm kernels ${gflops(best.wasmKernels)} GFLOP/s   transpose-free ${gflops(best.transposeFree)} GFLOP/s`);
  }
  tf.dispose(operands);
}

await main();
