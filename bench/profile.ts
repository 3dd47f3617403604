// Where the time of one training step goes: runs a step of the `paper` (or `demo`) encoder on the active backend
// with every kernel of the backend wrapped to measure it, and prints per kernel name the calls, the wall time and
// the process CPU time (both threads of the addon's pool count; CPU time is what to compare on a loaded machine,
// where a kernel's wall time includes other processes' turns), then the step's totals and what is left between the
// kernels (TF.js's own work: the tape, tidy, shape checks, allocation, and the training loop's JavaScript).
// With `--shapes`, the matrix products (BatchMatMul and the fused Linear) are also listed per shape, with their rate;
// with `--steps N`, N steps are first timed without measuring their kernels (fastest and median: the measured step's
// wall time includes the measurement's own cost, and one step varies by 10 % on a shared machine).
// Run: `npm run bench:profile [-- --preset paper|demo] [--step 1|2] [--batch N] [--precision fp32|bf16] [--no-fused]
//      [--shapes] [--steps N]`
import * as tf from '@tensorflow/tfjs';
import { parseArgs } from 'node:util';
import { precisions, presetNames, resolveConfig, type PresetName, type Precision } from '../main/engine/config';
import { useFusedKernels } from '../main/engine/fusedOps/nativeKernels';
import type { GroupBatch } from '../main/engine/sampling/groupSampler';
import type { PairBatch } from '../main/engine/sampling/pairSampler';
import { createTrainingState, disposeTrainingState } from '../main/engine/training/trainingState';
import { trainGroupStep, trainPairStep } from '../main/engine/training/trainingStep';
import { loadBackend } from '../native/tfBackend';

function randomValues(count: number, seed: number): Float32Array {
  const values = tf.randomNormal([count], 0, 1, 'float32', seed);
  const data = values.dataSync() as Float32Array;
  values.dispose();
  return data;
}

function cpuMs(usage: NodeJS.CpuUsage): number {
  return (usage.user + usage.system) / 1000;
}

type Totals = { calls: number; wall: number; cpu: number; flops: number };

/** The shape of a matrix product's call ("m×k · k×n", transposes resolved) and its floating-point operations. */
function matMulShape(kernelName: string, inputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap = {}): { shape: string; flops: number } | undefined {
  const dims = (info: tf.TensorInfo | undefined) => info?.shape ?? [];
  if (kernelName === 'BatchMatMul') {
    const a = dims(inputs.a);
    const b = dims(inputs.b);
    const batch = a.slice(0, -2).reduce((product, size) => product * size, 1);
    const [m, k] = attrs.transposeA ? [a.at(-1)!, a.at(-2)!] : [a.at(-2)!, a.at(-1)!];
    const n = attrs.transposeB ? b.at(-2)! : b.at(-1)!;
    const layout = `${attrs.transposeA ? 'Aᵀ' : 'A'}·${attrs.transposeB ? 'Bᵀ' : 'B'}`;
    return { shape: `${batch > 1 ? `${batch}× ` : ''}${m}×${k}·${k}×${n} ${layout}`, flops: 2 * batch * m * n * k };
  }
  if (kernelName === 'EvgapLinear') {
    const [m = 0, k = 0] = dims(inputs.x);
    const n = dims(inputs.weight)[0] ?? 0;
    return { shape: `${m}×${k}·${k}×${n} x·Wᵀ (Linear)`, flops: 2 * m * n * k };
  }
  return undefined;
}

/** Wraps every kernel of `backendName` to add its wall and CPU time per name (outermost calls only), and per
 *  matrix-product shape. */
function measureKernels(backendName: string): { byName: Map<string, Totals>; byShape: Map<string, Totals>; restore(): void } {
  const byName = new Map<string, Totals>();
  const byShape = new Map<string, Totals>();
  const originals = tf.getKernelsForBackend(backendName);
  let depth = 0;
  for (const config of originals) {
    tf.unregisterKernel(config.kernelName, backendName);
    tf.registerKernel({
      ...config,
      kernelFunc: (args) => {
        if (depth > 0) return config.kernelFunc(args);
        depth++;
        const cpuBefore = process.cpuUsage();
        const started = performance.now();
        try {
          return config.kernelFunc(args);
        } finally {
          depth--;
          const wall = performance.now() - started;
          const cpu = cpuMs(process.cpuUsage(cpuBefore));
          const add = (totals: Map<string, Totals>, key: string, flops: number) => {
            const entry = totals.get(key) ?? { calls: 0, wall: 0, cpu: 0, flops: 0 };
            entry.calls += 1;
            entry.wall += wall;
            entry.cpu += cpu;
            entry.flops += flops;
            totals.set(key, entry);
          };
          add(byName, config.kernelName, 0);
          const product = matMulShape(config.kernelName, args.inputs, args.attrs);
          if (product) add(byShape, product.shape, product.flops);
        }
      },
    });
  }
  return {
    byName,
    byShape,
    restore() {
      for (const config of originals) {
        tf.unregisterKernel(config.kernelName, backendName);
        tf.registerKernel(config);
      }
    },
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      preset: { type: 'string', default: 'paper' },
      step: { type: 'string', default: '1' },
      batch: { type: 'string' },
      precision: { type: 'string', default: 'fp32' },
      'no-fused': { type: 'boolean' },
      shapes: { type: 'boolean' },
      steps: { type: 'string', default: '0' },
    },
    strict: true,
  });
  const preset = values.preset as PresetName;
  if (!presetNames.includes(preset)) throw new Error(`--preset: expected ${presetNames.join(' or ')}, got ${values.preset}`);
  const step = values.step === '2' ? 2 : 1;
  const steps = Number(values.steps);
  if (!Number.isInteger(steps) || steps < 0) throw new Error(`--steps: expected an integer >= 0, got ${values.steps}`);
  const precision = values.precision as Precision;
  if (!precisions.includes(precision)) throw new Error(`--precision: expected ${precisions.join(' or ')}, got ${values.precision}`);
  if (values['no-fused']) useFusedKernels(false);
  const report = await loadBackend();
  console.log(`backend: ${report.details}`);
  const config = resolveConfig(preset, { training: { precision } });
  const { tokens: T, inputDim: F } = config.encoder;
  const state = createTrainingState(config, step);
  let run: () => unknown;
  if (step === 1) {
    const pairs = values.batch === undefined ? 32 : Number(values.batch);
    const batch: PairBatch = { epoch: 0, batchIndex: 0, shape: [pairs, T, F], ego: randomValues(pairs * T * F, 1), exo: randomValues(pairs * T * F, 2), clips: [] };
    run = () => trainPairStep(state, batch);
    console.log(`${preset} step 1, ${pairs} pairs, ${precision}${values['no-fused'] ? ', fused kernels off' : ''}`);
  } else {
    const groups = values.batch === undefined ? 4 : Number(values.batch);
    const [ego, exo] = [4, 8];
    const batch: GroupBatch = {
      epoch: 0,
      batchIndex: 0,
      egoShape: [groups, ego, T, F],
      exoShape: [groups, exo, T, F],
      ego: randomValues(groups * ego * T * F, 3),
      exo: randomValues(groups * exo * T * F, 4),
      groups: [],
    };
    run = () => trainGroupStep(state, batch);
    console.log(`${preset} step 2, ${groups} groups of ${ego}+${exo}, ${precision}${values['no-fused'] ? ', fused kernels off' : ''}`);
  }
  run();
  run();
  // Unmeasured steps first (their times alone, for a steadier figure than one step), then one step with every
  // kernel measured.
  const plain: number[] = [];
  for (let index = 0; index < steps; index++) {
    const started = performance.now();
    run();
    plain.push(performance.now() - started);
  }
  if (steps > 0) {
    plain.sort((a, b) => a - b);
    console.log(`${steps} steps unmeasured: fastest ${plain[0]!.toFixed(0)} ms, median ${plain[Math.floor((steps - 1) / 2)]!.toFixed(0)} ms`);
  }
  const measured = measureKernels(tf.getBackend());
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  run();
  const wall = performance.now() - started;
  const cpu = cpuMs(process.cpuUsage(cpuBefore));
  measured.restore();
  const kernelWall = [...measured.byName.values()].reduce((sum, entry) => sum + entry.wall, 0);
  const kernelCpu = [...measured.byName.values()].reduce((sum, entry) => sum + entry.cpu, 0);
  const calls = [...measured.byName.values()].reduce((sum, entry) => sum + entry.calls, 0);
  console.log(`step with every kernel measured: ${wall.toFixed(0)} ms wall, ${cpu.toFixed(0)} ms CPU; ${calls} kernel calls`);
  console.log(`${'kernel'.padEnd(24)} ${'calls'.padStart(6)} ${'wall ms'.padStart(9)} ${'CPU ms'.padStart(9)} ${'CPU share'.padStart(9)}`);
  const row = (name: string, count: string, w: number, c: number) =>
    console.log(`${name.padEnd(24)} ${count.padStart(6)} ${w.toFixed(1).padStart(9)} ${c.toFixed(1).padStart(9)} ${((100 * c) / cpu).toFixed(1).padStart(8)}%`);
  for (const [name, entry] of [...measured.byName].sort((a, b) => b[1].cpu - a[1].cpu)) row(name, String(entry.calls), entry.wall, entry.cpu);
  row('(between kernels)', '', wall - kernelWall, cpu - kernelCpu);
  if (values.shapes) {
    console.log(`\n${'matrix product (m×k·k×n)'.padEnd(36)} ${'calls'.padStart(6)} ${'wall ms'.padStart(9)} ${'GFLOP/s'.padStart(8)}`);
    for (const [shape, entry] of [...measured.byShape].sort((a, b) => b[1].wall - a[1].wall)) {
      const rate = entry.flops / (entry.wall * 1e6);
      console.log(`${shape.padEnd(36)} ${String(entry.calls).padStart(6)} ${entry.wall.toFixed(1).padStart(9)} ${rate.toFixed(0).padStart(8)}`);
    }
  }
  disposeTrainingState(state);
}

await main();
