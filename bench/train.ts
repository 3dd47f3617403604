// Measures training speed of the `paper` encoder (F 2048, D 512, L 6, 8 heads, FF 2048, T 20): seconds per optimizer
// step for a step-1 batch of 32 ego-exo pairs and a step-2 batch of 4 groups of 4 ego + 8 exo clips, on random inputs
// (no dataset needed), in one run:
//   - ours in fp32 and in bf16 mixed precision (training.precision), on the active backend (native/tfBackend.ts
//     loadBackend; on wasm the native addon with its fused kernels). Where CPUID does not report AVX512_BF16 the
//     bench probes for it (hypervisors hide it from some guests whose CPU has it) and says which; where bf16 cannot
//     run at all, "ours bf16" is what a user gets: fp32, with the reason;
//   - PyTorch (bench/torch_reference.py, the same encoder, losses and optimizer) in fp32 and with bf16 autocast,
//     where /usr/bin/python3 imports torch, with Debian's OpenBLAS (libopenblas0-pthread) and the same threads;
//   - the native kernel alone on the step's largest product ([B·S, D] × [D, FF]), fp32 and bf16, and the training's
//     matrix-product rate as a fraction of it.
// Every step is the real one (engine/training/trainingStep.ts trainPairStep / trainGroupStep): one encoder forward
// over all clips, the loss on every layer with auxiliary weights, gradients, and the Adam / AdamW update.
// Configurations take turns round by round (PyTorch in a fresh process per measurement, its start-up not timed), so
// a busy machine slows them alike; every time is the best of its rounds: other processes only ever slow a run down.
// Run: `npm run bench:train [-- --json] [--steps N] [--threads N] [--backend NAME] [--no-torch] [--without-addon]`
//
// FLOPs (multiply-adds count 2), per clip, S = T + 1 tokens (the class token prepended):
//   forward = 2·T·F·D                                input projection
//           + (L − 1) · ( 2·S·D·3D + 2·S·D·D          attention in/out projections
//                       + 2·S²·D + 2·S²·D             scores Q·Kᵀ and weights·V, summed over heads
//                       + 2·S·D·FF + 2·S·FF·D )       feed-forward
//           + 2·S·D·2D + 2·D·D + 4·S·D + 2·D·D        the last block at the class token alone (both engines compute
//           + 2·D·FF + 2·FF·D                         that much): keys and values of every token, one query
//   plus the loss similarity products, per layer: step 1 2·B·B·D (B pairs), step 2 2·(B·M)·(B·N)·D.
// A training step costs ≈ 3 × forward (backward = two products per forward product: dX = dY·Wᵀ and dW = Xᵀ·dY).
// Layer norms, softmax, ReLU and the optimizer are elementwise (O(S·D) per clip) and are not counted, so
// "train GFLOP/s" is matmul work done per second, comparable to the kernel's own rate on one product.
import * as tf from '@tensorflow/tfjs';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { presets, resolveConfig, type EncoderConfig, type Precision } from '../main/engine/config';
import type { GroupBatch } from '../main/engine/sampling/groupSampler';
import type { PairBatch } from '../main/engine/sampling/pairSampler';
import { createTrainingState, disposeTrainingState } from '../main/engine/training/trainingState';
import { trainGroupStep, trainPairStep } from '../main/engine/training/trainingStep';
import { addonPrecisions, loadMatMulAddon } from '../native/matmul/index';
import { loadBackend, nativeMatMulAttempt, precisionInUse, type BackendName, type BackendReport, type LoadBackendOptions } from '../native/tfBackend';

const step1Pairs = 32;
const step2Groups = { groups: 4, ego: 4, exo: 8 };
const python = '/usr/bin/python3';

/** Matmul FLOPs of one forward pass of one clip (formula in the header). */
function forwardFlopsPerClip({ tokens: T, inputDim: F, modelDim: D, layers: L, ffDim: FF }: EncoderConfig): number {
  const S = T + 1;
  const block = 2 * S * D * 3 * D + 2 * S * D * D + 4 * S * S * D + 4 * S * D * FF;
  const lastBlock = 2 * S * D * 2 * D + 2 * D * D + 4 * S * D + 2 * D * D + 4 * D * FF;
  return 2 * T * F * D + (L - 1) * block + lastBlock;
}

/** `count` standard-normal float32 values from a seeded generator. */
function randomValues(count: number, seed: number): Float32Array {
  const values = tf.randomNormal([count], 0, 1, 'float32', seed);
  const data = values.dataSync() as Float32Array;
  values.dispose();
  return data;
}

const encoder = presets.paper.encoder;
const step1Flops = 3 * (2 * step1Pairs * forwardFlopsPerClip(encoder) + encoder.layers * 2 * step1Pairs * step1Pairs * encoder.modelDim);
const step2Clips = step2Groups.groups * (step2Groups.ego + step2Groups.exo);
const step2Flops =
  3 * (step2Clips * forwardFlopsPerClip(encoder) + encoder.layers * 2 * (step2Groups.groups * step2Groups.ego) * (step2Groups.groups * step2Groups.exo) * encoder.modelDim);
const batchRows = 2 * step1Pairs * (encoder.tokens + 1); // the step-1 batch's token rows

/** Both training steps of ours in one precision, on fixed random batches. */
type OurSteps = { step1: () => unknown; step2: () => unknown; dispose: () => void };

function ourSteps(precision: Precision): OurSteps {
  const config = resolveConfig('paper', { training: { precision } });
  const { tokens: T, inputDim: F } = config.encoder;
  const pairs: PairBatch = {
    epoch: 0,
    batchIndex: 0,
    shape: [step1Pairs, T, F],
    ego: randomValues(step1Pairs * T * F, 1),
    exo: randomValues(step1Pairs * T * F, 2),
    clips: [],
  };
  const { groups, ego, exo } = step2Groups;
  const groupBatch: GroupBatch = {
    epoch: 0,
    batchIndex: 0,
    egoShape: [groups, ego, T, F],
    exoShape: [groups, exo, T, F],
    ego: randomValues(groups * ego * T * F, 3),
    exo: randomValues(groups * exo * T * F, 4),
    groups: [],
  };
  const first = createTrainingState(config, 1);
  const second = createTrainingState(config, 2);
  return {
    step1: () => trainPairStep(first, pairs),
    step2: () => trainGroupStep(second, groupBatch),
    dispose: () => {
      disposeTrainingState(first);
      disposeTrainingState(second);
    },
  };
}

/**
 * GFLOP/s of the native addon's kernel alone on [m, k] × [k, n] (operands in one ArrayBuffer), best of `rounds`:
 * per second of wall time, and per second of process CPU time (every thread).
 */
function kernelGflops(m: number, k: number, n: number, precision: Precision, rounds: number): { wall: number; cpu: number } | undefined {
  const load = loadMatMulAddon();
  if (!load.ok) return undefined;
  const memory = new ArrayBuffer(4 * (m * k + k * n + m * n));
  new Float32Array(memory, 0, m * k + k * n).set(randomValues(m * k + k * n, 5));
  const entry = new Uint32Array(1);
  let [best, bestCpu] = [Infinity, Infinity];
  for (let round = 0; round <= rounds; round++) {
    const cpuBefore = process.cpuUsage();
    const start = performance.now();
    load.addon.matmul(memory, 0, 4 * m * k, 4 * (m * k + k * n), entry, entry, m, n, k, false, false, addonPrecisions[precision]);
    const used = process.cpuUsage(cpuBefore);
    if (round === 0) continue;
    best = Math.min(best, (performance.now() - start) / 1000);
    bestCpu = Math.min(bestCpu, (used.user + used.system) / 1e6);
  }
  return { wall: (2 * m * k * n) / best / 1e9, cpu: (2 * m * k * n) / bestCpu / 1e9 };
}

/** Debian's OpenBLAS (pthread build) library folder, for PyTorch's LD_LIBRARY_PATH; undefined if not installed. */
function openBlasFolder(): string | undefined {
  const listed = spawnSync('dpkg', ['-L', 'libopenblas0-pthread'], { encoding: 'utf8' });
  const library = (listed.stdout ?? '').split('\n').find((line) => /\/libopenblas[^/]*\.so/.test(line));
  return library === undefined ? undefined : dirname(library);
}

type TorchRun = { seconds_per_step: number; blas: string[]; torch: string };

/** PyTorch: available (with how it runs) or why not. */
function torchSetup(threads: number): { ok: true; env: NodeJS.ProcessEnv; blas: string } | { ok: false; reason: string } {
  if (!existsSync(python)) return { ok: false, reason: `${python} not found` };
  const probe = spawnSync(python, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' });
  if (probe.status !== 0) return { ok: false, reason: `${python} cannot import torch (apt-get install python3-torch): ${probe.stderr.trim().split('\n').at(-1)}` };
  const folder = openBlasFolder();
  const env = { ...process.env, OMP_NUM_THREADS: String(threads), ...(folder && { LD_LIBRARY_PATH: [folder, process.env['LD_LIBRARY_PATH']].filter(Boolean).join(':') }) };
  return { ok: true, env, blas: folder === undefined ? 'its default BLAS (libopenblas0-pthread not installed)' : `OpenBLAS from ${folder}` };
}

function runTorch(env: NodeJS.ProcessEnv, step: 1 | 2, precision: Precision, threads: number): TorchRun {
  const script = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'bench', 'torch_reference.py');
  const batch = step === 1 ? step1Pairs : step2Groups.groups;
  const args = [script, '--preset', 'paper', '--step', String(step), '--batch', String(batch), '--threads', String(threads), '--precision', precision, '--warmup', '1', '--steps', '1'];
  const result = spawnSync(python, args, { encoding: 'utf8', env, maxBuffer: 1 << 20 });
  if (result.status !== 0) throw new Error(`${python} ${args.join(' ')} failed: ${result.stderr.trim().split('\n').slice(-3).join(' ')}`);
  return JSON.parse(result.stdout.trim().split('\n').at(-1)!) as TorchRun;
}

type Row = { name: string; step1: number; step2: number; note?: string };

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      json: { type: 'boolean' },
      steps: { type: 'string' },
      threads: { type: 'string' },
      backend: { type: 'string' },
      'no-torch': { type: 'boolean' },
      'without-addon': { type: 'boolean' },
    },
    strict: true,
  });
  const rounds = values.steps === undefined ? 3 : Number(values.steps);
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`--steps: expected an integer >= 1, got ${values.steps}`);
  const options: LoadBackendOptions = values.backend === undefined ? {} : { force: values.backend as BackendName };
  const report = await loadBackend(options);
  const addon = loadMatMulAddon();
  const threads = values.threads === undefined ? (addon.ok ? addon.info.threads : 2) : Number(values.threads);
  // bf16: what CPUID says; where it hides AVX512_BF16, a guarded probe may still find the kernel runs.
  let bf16Report: BackendReport = report;
  if (addon.ok && !report.bf16.available && report.backend === 'wasm') {
    addon.addon.probeBf16();
    bf16Report = await loadBackend(options);
  }
  const bf16Note = precisionInUse('bf16', bf16Report).note;
  const torch = values['no-torch'] ? ({ ok: false, reason: '--no-torch' } as const) : torchSetup(threads);

  const ours = { fp32: ourSteps('fp32'), bf16: ourSteps('bf16') };
  const withoutAddon = values['without-addon'] && report.tried.some((a) => a.name === nativeMatMulAttempt && a.ok);
  const best: Record<string, [number, number]> = {};
  const bestCpu: Record<string, [number, number]> = {};
  const record = (name: string, which: 0 | 1, seconds: number, cpuSeconds?: number) => {
    best[name] ??= [Infinity, Infinity];
    if (seconds < best[name]![which]) best[name]![which] = seconds;
    if (cpuSeconds === undefined) return;
    bestCpu[name] ??= [Infinity, Infinity];
    if (cpuSeconds < bestCpu[name]![which]) bestCpu[name]![which] = cpuSeconds;
  };
  let lastCpu = 0;
  /** Wall seconds of `run`; its process CPU seconds (every thread) are left in lastCpu. */
  const time = (run: () => unknown): number => {
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    run();
    const used = process.cpuUsage(cpuBefore);
    lastCpu = (used.user + used.system) / 1e6;
    return (performance.now() - started) / 1000;
  };
  let torchBlas = '';
  for (let round = 0; round <= rounds; round++) {
    for (const precision of ['fp32', 'bf16'] as const) {
      const steps = ours[precision];
      const s1 = time(steps.step1);
      const c1 = lastCpu;
      const s2 = time(steps.step2);
      if (round > 0) {
        record(`ours ${precision}`, 0, s1, c1);
        record(`ours ${precision}`, 1, s2, lastCpu);
      }
    }
    if (withoutAddon) {
      await loadBackend({ force: 'wasm', nativeMatMul: false });
      const [s1, s2] = [time(ours.fp32.step1), time(ours.fp32.step2)];
      if (round > 0) {
        record('wasm without the addon, fp32', 0, s1);
        record('wasm without the addon, fp32', 1, s2);
      }
      await loadBackend(options);
    }
    if (torch.ok && round > 0) {
      for (const precision of ['fp32', 'bf16'] as const) {
        for (const step of [1, 2] as const) {
          const run = runTorch(torch.env, step, precision, threads);
          torchBlas = run.blas.join(', ');
          record(`PyTorch ${precision}`, step === 1 ? 0 : 1, run.seconds_per_step);
        }
      }
    }
  }
  ours.fp32.dispose();
  ours.bf16.dispose();
  const kernel = { fp32: kernelGflops(batchRows, encoder.modelDim, encoder.ffDim, 'fp32', 3 * rounds), bf16: kernelGflops(batchRows, encoder.modelDim, encoder.ffDim, 'bf16', 3 * rounds) };

  const rows: Row[] = Object.entries(best).map(([name, [step1, step2]]) => ({ name, step1, step2 }));
  const find = (name: string) => rows.find((row) => row.name === name);
  const trainGflops = (row: Row) => ({ step1: step1Flops / row.step1 / 1e9, step2: step2Flops / row.step2 / 1e9 });
  const fraction = (row: Row | undefined, rate: number | undefined) => {
    if (row === undefined || rate === undefined) return undefined;
    const g = trainGflops(row);
    return { step1: g.step1 / rate, step2: g.step2 / rate, mean: (g.step1 + g.step2) / 2 / rate };
  };
  /** The same per CPU second (every thread), which a loaded machine distorts far less than wall time. */
  const cpuFraction = (name: string, rate: number | undefined) => {
    const cpu = bestCpu[name];
    return cpu === undefined || rate === undefined ? undefined : fraction({ name, step1: cpu[0], step2: cpu[1] }, rate);
  };
  const ratio = (slower: string, faster: string) => {
    const [a, b] = [find(slower), find(faster)];
    return a && b ? { step1: a.step1 / b.step1, step2: a.step2 / b.step2 } : undefined;
  };
  const ratios = {
    torch_fp32_over_ours_fp32: ratio('PyTorch fp32', 'ours fp32'),
    torch_bf16_over_ours_fp32: ratio('PyTorch bf16', 'ours fp32'),
    torch_bf16_over_ours_bf16: ratio('PyTorch bf16', 'ours bf16'),
    torch_fp32_over_ours_bf16: ratio('PyTorch fp32', 'ours bf16'),
    ours_fp32_over_ours_bf16: ratio('ours fp32', 'ours bf16'),
  };
  const fractions = { fp32: fraction(find('ours fp32'), kernel.fp32?.wall), bf16: fraction(find('ours bf16'), kernel.bf16?.wall) };
  const cpuFractions = { fp32: cpuFraction('ours fp32', kernel.fp32?.cpu), bf16: cpuFraction('ours bf16', kernel.bf16?.cpu) };
  const context = {
    backend: report.backend,
    backend_details: report.details,
    bf16: bf16Note,
    threads,
    rounds,
    load_average: loadavg()[0] ?? 0,
    torch: torch.ok ? `${torchBlas || torch.blas}` : `not run: ${torch.reason}`,
  };

  if (values.json) {
    const ourFp32 = find('ours fp32')!;
    console.log(
      JSON.stringify({
        ...context,
        step1_s_per_step: ourFp32.step1,
        step2_s_per_step: ourFp32.step2,
        kernel_gflops: kernel,
        train_gflops_fraction_of_kernel: fractions,
        train_gflops_fraction_of_kernel_per_cpu_second: cpuFractions,
        ours_cpu_s_per_step: bestCpu,
        ratios,
        configurations: rows.map((row) => ({ ...row, train_gflops: trainGflops(row) })),
      }),
    );
    return;
  }
  const { inputDim: F, modelDim: D, layers: L, ffDim: FF, tokens: T } = encoder;
  console.log(`paper encoder (F ${F}, D ${D}, L ${L}, FF ${FF}, T ${T}); best of ${rounds} rounds after 1 warm-up; ${threads} threads; load average ${context.load_average.toFixed(1)}`);
  console.log(`ours: ${report.details}`);
  console.log(`ours bf16: ${bf16Note}`);
  console.log(`PyTorch: ${context.torch}`);
  console.log('');
  const table = [
    ['configuration', `step 1 (${step1Pairs} pairs)`, 'GFLOP/s', `step 2 (${step2Groups.groups}×(${step2Groups.ego}+${step2Groups.exo}))`, 'GFLOP/s'],
    ...rows.map((row) => {
      const g = trainGflops(row);
      return [row.name, `${row.step1.toFixed(3)} s`, g.step1.toFixed(1), `${row.step2.toFixed(3)} s`, g.step2.toFixed(1)];
    }),
  ];
  const widths = table[0]!.map((_, column) => Math.max(...table.map((row) => row[column]!.length)));
  for (const row of table) console.log(row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  '));
  console.log('');
  const show = (label: string, value: { step1: number; step2: number } | undefined) => {
    if (value !== undefined) console.log(`${label}: step 1 ${value.step1.toFixed(2)}×, step 2 ${value.step2.toFixed(2)}×`);
  };
  show('PyTorch fp32 time / ours fp32', ratios.torch_fp32_over_ours_fp32);
  show('PyTorch bf16 autocast time / ours fp32', ratios.torch_bf16_over_ours_fp32);
  show('PyTorch bf16 autocast time / ours bf16', ratios.torch_bf16_over_ours_bf16);
  show('ours fp32 time / ours bf16', ratios.ours_fp32_over_ours_bf16);
  for (const precision of ['fp32', 'bf16'] as const) {
    const rate = kernel[precision];
    const share = fractions[precision];
    const cpuShare = cpuFractions[precision];
    if (rate === undefined || share === undefined) continue;
    console.log(
      `kernel alone, ${precision}, [${batchRows}, ${D}] × [${D}, ${FF}]: ${rate.wall.toFixed(1)} GFLOP/s; training at ${share.mean.toFixed(2)} of it ` +
        `(step 1 ${share.step1.toFixed(2)}, step 2 ${share.step2.toFixed(2)})` +
        (cpuShare === undefined ? '' : `; per CPU second ${rate.cpu.toFixed(1)} GFLOP/s, training at ${cpuShare.mean.toFixed(2)} of it`),
    );
  }
}

await main();
