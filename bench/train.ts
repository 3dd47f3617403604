// Measures training speed of the `paper` encoder (F 2048, D 512, L 6, 8 heads, FF 2048, T 20) on the active
// backend (native/tfBackend.ts loadBackend): seconds per optimizer step and clips/s for a step-1 batch of 32 ego-exo
// pairs and a step-2 batch of 4 groups of 4 ego + 8 exo clips, on random inputs (no dataset needed). Each step is
// the real one, engine/training/trainingStep.ts (trainPairStep / trainGroupStep): one encoder forward over all
// clips of the batch, the loss on every layer with auxiliary weights, gradients, and the Adam / AdamW update.
// On the wasm backend every workload runs twice in one run, with the native matMul addon (native/matmul, when it
// loads) and without it (the wasm backend's own transpose-free kernels), taking turns round by round; where the
// addon cannot be used, the report says why.
// Run: `npm run bench:train` (a table) or `npm run bench:train -- --json` (one JSON object: the figures of the
// configuration the app trains with at the top level, and one entry per backend in `backends`); `--steps N` measured rounds after one warm-up round (default 3), `--backend NAME` to force a
// backend, `--profile` adds the slowest kernels of one step of each (tf.profile). Every time is the best of its
// runs, the matMul's too: other processes on the machine only ever slow a run down.
//
// FLOPs (multiply-adds count 2), per clip, S = T + 1 tokens (the class token prepended):
//   forward = 2·T·F·D                                input projection
//           + L · ( 2·S·D·3D + 2·S·D·D                attention in/out projections
//                 + 2·S²·D + 2·S²·D                   scores Q·Kᵀ and weights·V, summed over heads
//                 + 2·S·D·FF + 2·S·FF·D )             feed-forward
//   plus the loss similarity products, per layer: step 1 2·B·B·D (B pairs), step 2 2·(B·M)·(B·N)·D.
// A training step costs ≈ 3 × forward (backward = two products per forward product: dX = dY·Wᵀ and dW = Xᵀ·dY).
// Layer norms, softmax, ReLU and the optimizer are elementwise (O(S·D) per clip) and are not counted, so
// "train GFLOP/s" is matmul work done per second, comparable to the plain matMul GFLOP/s measured alongside on the
// step's largest product (the feed-forward's [B·S, D] × [D, FF]) with the same kernels, through tf.matMul and a
// read-back of the result. With the addon, its kernel alone on that product (no TF.js, no read-back) is measured
// too, and the training speed given as a fraction of it as well.
import * as tf from '@tensorflow/tfjs';
import { parseArgs } from 'node:util';
import { presets, type EncoderConfig } from '../main/engine/config';
import type { GroupBatch } from '../main/engine/sampling/groupSampler';
import type { PairBatch } from '../main/engine/sampling/pairSampler';
import { createTrainingState, disposeTrainingState } from '../main/engine/training/trainingState';
import { trainGroupStep, trainPairStep } from '../main/engine/training/trainingStep';
import { loadMatMulAddon } from '../native/matmul/index';
import { loadBackend, nativeMatMulAttempt, type BackendName, type BackendReport, type LoadBackendOptions } from '../native/tfBackend';

const step1Pairs = 32;
const step2Groups = { groups: 4, ego: 4, exo: 8 };

/** Matmul FLOPs of one forward pass of one clip (formula in the header). */
function forwardFlopsPerClip({ tokens: T, inputDim: F, modelDim: D, layers: L, ffDim: FF }: EncoderConfig): number {
  const S = T + 1;
  const block = 2 * S * D * 3 * D + 2 * S * D * D + 4 * S * S * D + 4 * S * D * FF;
  return 2 * T * F * D + L * block;
}

/** `count` standard-normal float32 values from a seeded generator. */
function randomValues(count: number, seed: number): Float32Array {
  const values = tf.randomNormal([count], 0, 1, 'float32', seed);
  const data = values.dataSync() as Float32Array;
  values.dispose();
  return data;
}

/** One training step on a fixed random batch, its matmul FLOPs, and how to free it. */
type Workload = { name: string; clips: number; forwardFlops: number; run: () => unknown; dispose: () => void };

/** Step 1 (the real trainPairStep) on one batch of 32 pairs. */
function step1Workload(): Workload {
  const config = presets.paper;
  const { tokens: T, inputDim: F, modelDim: D, layers: L } = config.encoder;
  const batch: PairBatch = {
    epoch: 0,
    batchIndex: 0,
    shape: [step1Pairs, T, F],
    ego: randomValues(step1Pairs * T * F, 1),
    exo: randomValues(step1Pairs * T * F, 2),
    clips: [],
  };
  const state = createTrainingState(config, 1);
  return {
    name: `step 1 (${step1Pairs} pairs)`,
    clips: 2 * step1Pairs,
    forwardFlops: 2 * step1Pairs * forwardFlopsPerClip(config.encoder) + L * 2 * step1Pairs * step1Pairs * D,
    run: () => trainPairStep(state, batch),
    dispose: () => disposeTrainingState(state),
  };
}

/** Step 2 (the real trainGroupStep) on one batch of 4 groups of 4 ego + 8 exo clips. */
function step2Workload(): Workload {
  const config = presets.paper;
  const { tokens: T, inputDim: F, modelDim: D, layers: L } = config.encoder;
  const { groups, ego, exo } = step2Groups;
  const batch: GroupBatch = {
    epoch: 0,
    batchIndex: 0,
    egoShape: [groups, ego, T, F],
    exoShape: [groups, exo, T, F],
    ego: randomValues(groups * ego * T * F, 3),
    exo: randomValues(groups * exo * T * F, 4),
    groups: [],
  };
  const state = createTrainingState(config, 2);
  const clips = groups * (ego + exo);
  return {
    name: `step 2 (${groups} groups of ${ego}+${exo})`,
    clips,
    forwardFlops: clips * forwardFlopsPerClip(config.encoder) + L * 2 * (groups * ego) * (groups * exo) * D,
    run: () => trainGroupStep(state, batch),
    dispose: () => disposeTrainingState(state),
  };
}

/** The plain product [m, k] × [k, n] as a workload (forwardFlops = its FLOPs, not tripled). */
function matMulWorkload(m: number, k: number, n: number): Workload {
  const a = tf.randomNormal([m, k]);
  const b = tf.randomNormal([k, n]);
  return {
    name: `plain matMul ${m}×${k}×${n}`,
    clips: 0,
    forwardFlops: 2 * m * k * n,
    // The tidy returns nothing: given the read-back array, tf.tidy would walk its millions of elements for tensors.
    run: () => tf.tidy(() => void tf.matMul(a, b).dataSync()),
    dispose: () => tf.dispose([a, b]),
  };
}

/** GFLOP/s of the native addon's kernel alone on [m, k] × [k, n] (operands in one ArrayBuffer), best of `rounds`. */
function addonKernelGflops(m: number, k: number, n: number, rounds: number): number | undefined {
  const load = loadMatMulAddon();
  if (!load.ok) return undefined;
  const memory = new ArrayBuffer(4 * (m * k + k * n + m * n));
  new Float32Array(memory, 0, m * k + k * n).set(randomValues(m * k + k * n, 5));
  const entry = new Uint32Array(1);
  let best = Infinity;
  for (let round = 0; round <= rounds; round++) {
    const start = performance.now();
    load.addon.matmul(memory, 0, 4 * m * k, 4 * (m * k + k * n), entry, entry, m, n, k, false, false);
    if (round > 0) best = Math.min(best, (performance.now() - start) / 1000);
  }
  return (2 * m * k * n) / best / 1e9;
}

/** One way to run the workloads: a backend, with or without the native matMul addon. */
type Configuration = { name: string; options: LoadBackendOptions; report: BackendReport; nativeMatMul: boolean };

/**
 * Best seconds of each workload under each configuration, over `rounds` rounds after a warm-up round. The
 * configurations and workloads take turns within each round, so a busy machine slows them alike and the ratios of
 * their speeds stay meaningful. Returns best[configuration][workload].
 */
async function bestSeconds(configurations: readonly Configuration[], workloads: readonly Workload[], rounds: number): Promise<number[][]> {
  const best = configurations.map(() => workloads.map(() => Infinity));
  for (let round = 0; round <= rounds; round++) {
    for (const [c, configuration] of configurations.entries()) {
      await loadBackend(configuration.options);
      workloads.forEach((workload, w) => {
        const start = performance.now();
        workload.run();
        const seconds = (performance.now() - start) / 1000;
        if (round > 0) (best[c] as number[])[w] = Math.min((best[c] as number[])[w] as number, seconds);
      });
    }
  }
  return best;
}

/**
 * The configurations to compare: the backend loadBackend picks (or `force`), and on wasm with the addon in use, the
 * same backend without it. `skipped` is the addon's reason where it is not in use.
 */
async function configurationsFor(force: BackendName | undefined): Promise<{ configurations: Configuration[]; skipped?: string }> {
  const options: LoadBackendOptions = force === undefined ? {} : { force };
  const report = await loadBackend(options);
  const addon = report.tried.find((attempt) => attempt.name === nativeMatMulAttempt);
  const alone: Configuration = { name: report.backend, options, report, nativeMatMul: false };
  if (addon === undefined) return { configurations: [alone] };
  if (!addon.ok) return { configurations: [alone], skipped: addon.reason };
  const withoutOptions: LoadBackendOptions = { force: 'wasm', nativeMatMul: false };
  const without = await loadBackend(withoutOptions);
  return {
    configurations: [
      { name: `${report.backend} + ${nativeMatMulAttempt}`, options: { force: 'wasm' }, report, nativeMatMul: true },
      { name: without.backend, options: withoutOptions, report: without, nativeMatMul: false },
    ],
  };
}

/** The kernels that took the most time in one run of `workload`, by kernel name, with their share. */
async function kernelProfile(workload: Workload, top: number): Promise<{ kernel: string; ms: number; share: number }[]> {
  const info = await tf.profile(() => void workload.run());
  const byName = new Map<string, number>();
  for (const kernel of info.kernels) {
    const ms = typeof kernel.kernelTimeMs === 'number' ? kernel.kernelTimeMs : 0;
    byName.set(kernel.name, (byName.get(kernel.name) ?? 0) + ms);
  }
  const total = [...byName.values()].reduce((a, b) => a + b, 0);
  return [...byName]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([kernel, ms]) => ({ kernel, ms, share: ms / total }));
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: { json: { type: 'boolean' }, steps: { type: 'string' }, backend: { type: 'string' }, profile: { type: 'boolean' } },
    strict: true,
  });
  const measured = values.steps === undefined ? 3 : Number(values.steps);
  if (!Number.isInteger(measured) || measured < 1) throw new Error(`--steps: expected an integer >= 1, got ${values.steps}`);
  const { configurations, skipped } = await configurationsFor(values.backend as BackendName | undefined);
  const { tokens: T, modelDim: D, ffDim: FF, inputDim: F, layers: L } = presets.paper.encoder;
  const tensorsBefore = tf.memory().numTensors;
  const workloads = [step1Workload(), step2Workload(), matMulWorkload(2 * step1Pairs * (T + 1), D, FF)];
  const seconds = await bestSeconds(configurations, workloads, measured);
  const kernelGflops = configurations.some((c) => c.nativeMatMul) ? addonKernelGflops(2 * step1Pairs * (T + 1), D, FF, 3 * measured) : undefined;
  const profiles: Awaited<ReturnType<typeof kernelProfile>>[][] = [];
  if (values.profile) {
    for (const configuration of configurations) {
      await loadBackend(configuration.options);
      const perWorkload: Awaited<ReturnType<typeof kernelProfile>>[] = [];
      for (const workload of workloads.slice(0, 2)) perWorkload.push(await kernelProfile(workload, 8));
      profiles.push(perWorkload);
    }
  }
  for (const workload of workloads) workload.dispose();
  const leakedTensors = tf.memory().numTensors - tensorsBefore;
  const entries = configurations.map((configuration, c) => {
    const times = seconds[c] as number[];
    const [step1, step2] = workloads.slice(0, 2).map((w, i) => ({
      ...w,
      seconds: times[i] as number,
      trainGflops: (3 * w.forwardFlops) / (times[i] as number) / 1e9,
    })) as [Workload & { seconds: number; trainGflops: number }, Workload & { seconds: number; trainGflops: number }];
    const matmul = (workloads[2] as Workload).forwardFlops / (times[2] as number) / 1e9;
    const meanTrainGflops = (step1.trainGflops + step2.trainGflops) / 2;
    const kernel = configuration.nativeMatMul ? kernelGflops : undefined;
    return { configuration, step1, step2, matmul, fraction: meanTrainGflops / matmul, kernel, kernelFraction: kernel && meanTrainGflops / kernel };
  });

  if (values.json) {
    const backends = entries.map(({ configuration, step1, step2, matmul, fraction, kernel, kernelFraction }, c) => ({
          name: configuration.name,
          backend: configuration.report.backend,
          backend_details: configuration.report.details,
          native_matmul: configuration.nativeMatMul,
          step1_s_per_step: step1.seconds,
          step1_clips_per_s: step1.clips / step1.seconds,
          step1_train_gflops: step1.trainGflops,
          step2_s_per_step: step2.seconds,
          step2_clips_per_s: step2.clips / step2.seconds,
          step2_train_gflops: step2.trainGflops,
          matmul_gflops: matmul,
          train_gflops_fraction: fraction,
          ...(kernel !== undefined && { native_kernel_gflops: kernel, train_gflops_fraction_of_native_kernel: kernelFraction }),
          ...(values.profile && { step1_kernels: profiles[c]?.[0], step2_kernels: profiles[c]?.[1] }),
    }));
    // The top-level figures are those of the configuration the app trains with (the addon when it loads).
    const active = backends.find((entry) => entry.native_matmul) ?? backends[0]!;
    console.log(
      JSON.stringify({
        backend: active.backend,
        step1_s_per_step: active.step1_s_per_step,
        step2_s_per_step: active.step2_s_per_step,
        matmul_gflops: active.matmul_gflops,
        train_gflops_fraction: active.train_gflops_fraction,
        measured_rounds: measured,
        leaked_tensors: leakedTensors,
        ...(skipped !== undefined && { native_matmul_skipped: skipped }),
        backends,
      }),
    );
    return;
  }
  console.log(`paper encoder (F ${F}, D ${D}, L ${L}, FF ${FF}, T ${T}); best of ${measured} rounds after 1 warm-up; tensors leaked: ${leakedTensors}`);
  if (skipped !== undefined) console.log(`native matMul addon not used: ${skipped}`);
  for (const [c, { configuration, step1, step2, matmul, kernel }] of entries.entries()) {
    console.log('');
    console.log(`${configuration.name}: ${configuration.report.details}`);
    const rows = [
      ['workload', 'clips', 's/step', 'clips/s', 'GFLOP/step', 'GFLOP/s', 'of matMul'],
      ...[step1, step2].map((r) => [
        r.name,
        String(r.clips),
        r.seconds.toFixed(3),
        (r.clips / r.seconds).toFixed(1),
        ((3 * r.forwardFlops) / 1e9).toFixed(1),
        r.trainGflops.toFixed(2),
        `${((100 * r.trainGflops) / matmul).toFixed(0)}%`,
      ]),
      [(workloads[2] as Workload).name, '', '', '', '', matmul.toFixed(2), '100%'],
    ];
    const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
    for (const row of rows) console.log(row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  '));
    if (kernel !== undefined) {
      const share = (r: typeof step1) => `${((100 * r.trainGflops) / kernel).toFixed(0)}%`;
      console.log(`addon kernel alone on the same product: ${kernel.toFixed(2)} GFLOP/s; step 1 runs at ${share(step1)} of it, step 2 at ${share(step2)}`);
    }
    (profiles[c] ?? []).forEach((kernels, i) => {
      console.log(`\nslowest kernels of ${[step1, step2][i]!.name}, one step (tf.profile):`);
      for (const { kernel, ms, share } of kernels) console.log(`  ${kernel.padEnd(24)} ${ms.toFixed(0).padStart(7)} ms  ${(100 * share).toFixed(1).padStart(5)}%`);
    });
  }
  if (entries.length === 2) {
    const [native, plain] = entries as [(typeof entries)[0], (typeof entries)[0]];
    console.log('');
    console.log(
      `native matMul addon speed-up: step 1 ${(plain.step1.seconds / native.step1.seconds).toFixed(2)}×, ` +
        `step 2 ${(plain.step2.seconds / native.step2.seconds).toFixed(2)}×, matMul ${(native.matmul / plain.matmul).toFixed(2)}×`,
    );
  }
}

await main();
