// Where the one-click pipeline's time goes: runs `evgap pipeline` (main/pipeline/runPipeline.ts) on a dataset of a
// data folder, in this process, and prints each stage's wall time and process CPU time (both threads of the native
// addon's pool count; on a loaded machine CPU time is what to compare, since wall time includes other processes'
// turns). With --kernels, every kernel of the backend is wrapped to add its CPU time per stage and name, and the
// rest of each stage's CPU time is reported as outside the kernels (TF.js's own work between kernels, data loading,
// feature preparation, metrics and the JavaScript loops of the heads). The heads run on the head pool's worker
// threads when out/main/heads.js is built (`npm run build`), else one after another here: the first line after the
// backend says which (EVGAP_HEAD_WORKERS=1 forces the latter). Kernel times cover this thread only, so --kernels
// is meant with EVGAP_HEAD_WORKERS=1.
// Run: `npm run bench:pipeline -- --data DIR [--dataset demo] [--kernels] [--json]` after `evgap demo --no-pipeline`.
import * as tf from '@tensorflow/tfjs';
import { parseArgs } from 'node:util';
import { withCatalog } from '../main/cli/openCatalog';
import { runPipeline, type PipelineEvent } from '../main/pipeline/runPipeline';
import { loadBackend } from '../native/tfBackend';

type Clock = { wall: number; cpu: number };
type StageCost = { stage: string; wall: number; cpu: number; kernels: Map<string, { calls: number; cpu: number }> };

function clock(): Clock {
  const usage = process.cpuUsage();
  return { wall: performance.now() / 1000, cpu: (usage.user + usage.system) / 1e6 };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: { data: { type: 'string' }, dataset: { type: 'string', default: 'demo' }, kernels: { type: 'boolean' }, json: { type: 'boolean' } },
    strict: true,
  });
  if (values.data === undefined) throw new Error('--data DIR: the data folder holding the dataset (evgap demo --no-pipeline --data DIR)');
  const backend = await loadBackend();
  const stages: StageCost[] = [];
  let current: StageCost | undefined;
  let started = clock();
  const enter = (stage: string) => {
    const now = clock();
    if (current !== undefined) {
      current.wall = now.wall - started.wall;
      current.cpu = now.cpu - started.cpu;
    }
    current = { stage, wall: 0, cpu: 0, kernels: new Map() };
    stages.push(current);
    started = now;
  };
  if (values.kernels) {
    for (const config of tf.getKernelsForBackend(tf.getBackend())) {
      let depth = 0;
      tf.unregisterKernel(config.kernelName, config.backendName);
      tf.registerKernel({
        ...config,
        kernelFunc: (args) => {
          if (depth > 0 || current === undefined) return config.kernelFunc(args);
          depth++;
          const before = process.cpuUsage();
          try {
            return config.kernelFunc(args);
          } finally {
            depth--;
            const used = process.cpuUsage(before);
            const entry = current.kernels.get(config.kernelName) ?? { calls: 0, cpu: 0 };
            entry.calls += 1;
            entry.cpu += (used.user + used.system) / 1e6;
            current.kernels.set(config.kernelName, entry);
          }
        },
      });
    }
  }
  /** How the heads ran (worker threads or this thread), from the segmentation stage's first message. */
  let heads = 'unknown: the segmentation stage did not start';
  const onEvent = (event: PipelineEvent) => {
    if (event.type === 'stage' && event.stage !== current?.stage) {
      enter(event.stage);
      if (event.stage === 'segmentation') heads = event.message.slice(event.message.lastIndexOf('; ') + 2);
    }
  };
  const outcome = await withCatalog(values.data, (catalog) =>
    runPipeline({ dataset: values.dataset, preset: 'demo' }, { catalog, dataDir: values.data!, backend, onEvent }),
  );
  enter('end');
  stages.pop();
  if (outcome.status !== 'completed') throw new Error(`pipeline ${outcome.status}: ${outcome.error}`);
  const total = stages.reduce((sum, s) => ({ wall: sum.wall + s.wall, cpu: sum.cpu + s.cpu }), { wall: 0, cpu: 0 });
  if (values.json) {
    console.log(
      JSON.stringify({
        backend: backend.details,
        heads,
        stages: stages.map((s) => ({ stage: s.stage, wall_s: s.wall, cpu_s: s.cpu, kernels: Object.fromEntries(s.kernels) })),
        total_wall_s: total.wall,
        total_cpu_s: total.cpu,
      }),
    );
    return;
  }
  console.log(`backend: ${backend.details}`);
  console.log(`heads: ${heads}`);
  console.log(`${'stage'.padEnd(16)} ${'wall s'.padStart(8)} ${'CPU s'.padStart(8)}`);
  for (const s of stages) console.log(`${s.stage.padEnd(16)} ${s.wall.toFixed(1).padStart(8)} ${s.cpu.toFixed(1).padStart(8)}`);
  console.log(`${'total'.padEnd(16)} ${total.wall.toFixed(1).padStart(8)} ${total.cpu.toFixed(1).padStart(8)}`);
  if (!values.kernels) return;
  for (const s of stages) {
    const inKernels = [...s.kernels.values()].reduce((sum, k) => sum + k.cpu, 0);
    console.log(`\n${s.stage}: ${s.cpu.toFixed(1)} CPU s, ${inKernels.toFixed(1)} in kernels, ${(s.cpu - inKernels).toFixed(1)} outside them`);
    for (const [name, k] of [...s.kernels].sort((a, b) => b[1].cpu - a[1].cpu).slice(0, 12)) {
      console.log(`  ${name.padEnd(22)} ${String(k.calls).padStart(8)} calls ${k.cpu.toFixed(2).padStart(8)} s`);
    }
  }
}

await main();
