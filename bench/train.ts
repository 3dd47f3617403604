// Measures training speed of the `paper` encoder (F 2048, D 512, L 6, 8 heads, FF 2048, T 20) on the active
// backend (native/tfBackend.ts loadBackend): seconds per optimizer step and clips/s for a step-1 batch of 32 ego-exo
// pairs and a step-2 batch of 4 groups of 4 ego + 8 exo clips, on random inputs (no dataset needed). Each step is
// the real one, engine/training/trainingStep.ts (trainPairStep / trainGroupStep): one encoder forward over all
// clips of the batch, the loss on every layer with auxiliary weights, gradients, and the Adam / AdamW update.
// Run: `npm run bench:train` (a table) or `npm run bench:train -- --json` (one JSON object);
// `--steps N` measured rounds after one warm-up round (default 3), `--backend NAME` to force a backend, `--profile`
// adds the slowest kernels of one step of each (tf.profile). Every time is the best of its runs, the matMul's too:
// other processes on the machine only ever slow a run down.
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
// step's largest product (the feed-forward's [B·S, D] × [D, FF]).
import * as tf from '@tensorflow/tfjs';
import { parseArgs } from 'node:util';
import { presets, type EncoderConfig } from '../main/engine/config';
import type { GroupBatch } from '../main/engine/sampling/groupSampler';
import type { PairBatch } from '../main/engine/sampling/pairSampler';
import { createTrainingState, disposeTrainingState } from '../main/engine/training/trainingState';
import { trainGroupStep, trainPairStep } from '../main/engine/training/trainingStep';
import { loadBackend, type BackendName } from '../native/tfBackend';

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

/**
 * Best seconds of each workload over `rounds` rounds after a warm-up round. The workloads take turns within each
 * round, so a busy machine slows them alike and the ratio of their speeds stays meaningful.
 */
function bestSeconds(workloads: readonly Workload[], rounds: number): number[] {
  const best = workloads.map(() => Infinity);
  for (let round = 0; round <= rounds; round++) {
    workloads.forEach((workload, index) => {
      const start = performance.now();
      workload.run();
      const seconds = (performance.now() - start) / 1000;
      if (round > 0) best[index] = Math.min(best[index] as number, seconds);
    });
  }
  return best;
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
  const report = await loadBackend(values.backend === undefined ? {} : { force: values.backend as BackendName });
  const { tokens: T, modelDim: D, ffDim: FF, inputDim: F, layers: L } = presets.paper.encoder;
  const tensorsBefore = tf.memory().numTensors;
  const workloads = [step1Workload(), step2Workload(), matMulWorkload(2 * step1Pairs * (T + 1), D, FF)];
  const seconds = bestSeconds(workloads, measured);
  const profiles: Awaited<ReturnType<typeof kernelProfile>>[] = [];
  if (values.profile) for (const workload of workloads.slice(0, 2)) profiles.push(await kernelProfile(workload, 8));
  for (const workload of workloads) workload.dispose();
  const leakedTensors = tf.memory().numTensors - tensorsBefore;
  const results = workloads.slice(0, 2).map((w, i) => ({ ...w, seconds: seconds[i] as number, trainGflops: (3 * w.forwardFlops) / (seconds[i] as number) / 1e9 }));
  const matmul = (workloads[2] as Workload).forwardFlops / (seconds[2] as number) / 1e9;
  const [step1, step2] = results as [(typeof results)[0], (typeof results)[0]];
  const meanTrainGflops = (step1.trainGflops + step2.trainGflops) / 2;

  if (values.json) {
    console.log(
      JSON.stringify({
        backend: report.backend,
        backend_details: report.details,
        measured_rounds: measured,
        step1_s_per_step: step1.seconds,
        step1_clips_per_s: step1.clips / step1.seconds,
        step1_train_gflops: step1.trainGflops,
        step2_s_per_step: step2.seconds,
        step2_clips_per_s: step2.clips / step2.seconds,
        step2_train_gflops: step2.trainGflops,
        matmul_gflops: matmul,
        train_gflops_fraction: meanTrainGflops / matmul,
        leaked_tensors: leakedTensors,
        ...(values.profile && { step1_kernels: profiles[0], step2_kernels: profiles[1] }),
      }),
    );
    return;
  }
  console.log(`${report.details}`);
  console.log(`paper encoder (F ${F}, D ${D}, L ${L}, FF ${FF}, T ${T}); best of ${measured} rounds after 1 warm-up; tensors leaked: ${leakedTensors}`);
  console.log('');
  const rows = [
    ['workload', 'clips', 's/step', 'clips/s', 'GFLOP/step', 'GFLOP/s', 'of matMul'],
    ...results.map((r) => [
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
  profiles.forEach((kernels, i) => {
    console.log(`\nslowest kernels of ${results[i]!.name}, one step (tf.profile):`);
    for (const { kernel, ms, share } of kernels) console.log(`  ${kernel.padEnd(24)} ${ms.toFixed(0).padStart(7)} ms  ${(100 * share).toFixed(1).padStart(5)}%`);
  });
}

await main();
