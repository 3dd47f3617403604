// A step-1 job exported from the demo and trained by its launch.sh with torchrun, 2 processes on the CPU (gloo):
// it writes checkpoints in the app's layout and one metrics line per step; `evgap import run` makes it a catalog
// run that `evgap retrieval --run`, `evgap export embeddings` and a step-2 `--init` use. The same job killed with
// SIGKILL (its whole process group) once a checkpoint appears, then launched again, loses no checkpoint and ends
// with the losses and weights of the uninterrupted run.
import { watch, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Catalog } from '../../../main/catalog/Catalog';
import { exportJob } from '../../../main/jobs/exportJob';
import { catalogFile } from '../../../main/paths';
import { createDemoData, evgap, exited, largestDifference, readMetricsFile, readWeights, requirePythonTorch, startLaunch } from './jobFixture';

const STEPS = 20;
const EVERY = 5;

let work: string;
let dataDir: string;
let catalog: Catalog;

beforeAll(async () => {
  requirePythonTorch();
  work = mkdtempSync(join(tmpdir(), 'evgap-distributed-job-'));
  dataDir = join(work, 'data');
  await createDemoData(dataDir);
  catalog = Catalog.open(catalogFile(dataDir));
}, 60_000);

afterAll(() => {
  catalog?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** A step-1 job of STEPS steps with a checkpoint every EVERY steps (same settings, same seed, every time). */
async function exportStep1Job(name: string): Promise<string> {
  const out = join(work, name);
  await exportJob(catalog, { datasets: ['demo'], step: 1, steps: STEPS, overrides: { step1: { checkpointEvery: EVERY } }, out });
  return out;
}

/** Resolves when `name` exists in `folder` (watching the folder, not polling on a timer). */
function appears(folder: string, name: string): Promise<void> {
  return new Promise((resolve) => {
    const watcher = watch(folder, () => {
      if (existsSync(join(folder, name))) {
        watcher.close();
        resolve();
      }
    });
    if (existsSync(join(folder, name))) {
      watcher.close();
      resolve();
    }
  });
}

const checkpointFiles = (job: string) => readdirSync(join(job, 'output')).filter((name) => /^ckpt-\d+\./.test(name)).sort();

describe('a job trained with torchrun on 2 CPU processes', () => {
  let job: string;
  let runId: number;

  it('trains with DDP over gloo, writing checkpoints, metrics and where it ran', { timeout: 120_000 }, async () => {
    job = await exportStep1Job('job-a');
    const launch = startLaunch(job, ['--nproc', '2']);
    expect(await exited(launch), launch.output()).toBe(0);
    const steps = [0, 5, 10, 15, 20];
    expect(checkpointFiles(job)).toEqual(
      steps.flatMap((s) => [`ckpt-${s}.json`, `ckpt-${s}.optimizer.safetensors`, `ckpt-${s}.safetensors`]).sort(),
    );
    const metrics = readMetricsFile(job);
    expect(metrics.map((line) => line.step)).toEqual(Array.from({ length: STEPS }, (_, i) => i + 1));
    expect(Object.keys(metrics[0]!).sort()).toEqual(
      ['step', 'loss', 'loss_final', 'loss_aux_1', 'logit_scale', 'grad_norm', 'param_norm', 'lr', 'clips_per_s'].sort(),
    );
    const record = JSON.parse(readFileSync(join(job, 'output', 'run.json'), 'utf8'));
    expect(record).toMatchObject({ status: 'completed', step: STEPS, engine: 'pytorch' });
    expect(record.launches).toHaveLength(1);
    expect(record.launches[0]).toMatchObject({ worldSize: 2, backend: 'gloo', device: 'cpu', step1Loss: 'local' });
  });

  it('is imported as a catalog run with its metrics, checkpoints and where it ran', { timeout: 60_000 }, async () => {
    const printed = await evgap(['import', 'run', job, '--data', dataDir]);
    runId = Number(/Imported run (\d+)/.exec(printed)![1]);
    const run = catalog.getRun(runId);
    expect(run).toMatchObject({ kind: 'pretrain-step1', status: 'completed', backend: 'pytorch', seed: 1, error: null });
    expect(run.startedAt).not.toBeNull();
    expect((run.backendReport as { details: string }).details).toMatch(/^PyTorch .*, 2 processes on cpu \(gloo\)/);
    const losses = catalog.runMetrics(runId, ['loss']).map((row) => row.value);
    expect(losses).toEqual(readMetricsFile(job).map((line) => line.loss));
    const checkpoints = catalog.listCheckpoints(runId);
    expect(checkpoints.map((c) => c.step)).toEqual([0, 5, 10, 15, 20]);
    for (const checkpoint of checkpoints) {
      expect(checkpoint.path.startsWith(join(dataDir, 'runs', String(runId)))).toBe(true);
      expect(JSON.parse(readFileSync(checkpoint.path.replace(/\.safetensors$/, '.json'), 'utf8')).runId).toBe(runId);
    }
  });

  it('is used by retrieval, embedding export and a step-2 run of the app', { timeout: 120_000 }, async () => {
    const retrieval = await evgap(['retrieval', '--data', dataDir, '--dataset', 'demo', '--run', String(runId), '--json']);
    const report = JSON.parse(retrieval) as { embedding: string; pairs: unknown[] };
    expect(report.embedding).toContain(`run ${runId}`);
    expect(report.pairs.length).toBeGreaterThan(0);
    const embeddings = join(work, 'embeddings');
    await evgap(['export', 'embeddings', 'demo', '--data', dataDir, '--run', `${runId}:10`, '--out', embeddings]);
    expect(readdirSync(embeddings).length).toBeGreaterThan(0);
    await evgap(['pretrain', '--data', dataDir, '--step', '2', '--dataset', 'demo', '--init', String(runId), '--steps', '1']);
    const step2 = catalog.listRuns().find((run) => run.kind === 'pretrain-step2')!;
    expect(step2.status).toBe('completed');
  });

  it('resumes after kill -9 without losing a checkpoint, with the uninterrupted run’s losses and weights', { timeout: 180_000 }, async () => {
    const killed = await exportStep1Job('job-b');
    const output = join(killed, 'output');
    const first = startLaunch(killed, ['--nproc', '2']);
    await appears(output, `ckpt-${EVERY}.json`);
    process.kill(-first.pid!, 'SIGKILL'); // the launcher and both training processes, as a lost node would
    await exited(first);
    const kept = new Map(checkpointFiles(killed).map((name) => [name, readFileSync(join(output, name))]));
    expect(kept.has(`ckpt-${EVERY}.json`)).toBe(true);
    expect(JSON.parse(readFileSync(join(output, 'run.json'), 'utf8')).status).toBe('running');

    const second = startLaunch(killed, ['--nproc', '2']);
    expect(await exited(second), second.output()).toBe(0);
    for (const [name, bytes] of kept) expect(readFileSync(join(output, name)).equals(bytes), `${name} after the resume`).toBe(true);
    expect(checkpointFiles(killed)).toEqual(checkpointFiles(job));
    const record = JSON.parse(readFileSync(join(output, 'run.json'), 'utf8'));
    expect(record.status).toBe('completed');
    expect(record.launches).toHaveLength(2);
    expect(record.launches[1].fromStep).toBeGreaterThanOrEqual(EVERY);

    const resumed = readMetricsFile(killed);
    const uninterrupted = readMetricsFile(job);
    expect(resumed.map((line) => line.step)).toEqual(uninterrupted.map((line) => line.step));
    resumed.forEach((line, i) => expect(line.loss, `loss at step ${line.step}`).toBeCloseTo(uninterrupted[i]!.loss, 6));
    const weights = largestDifference(readWeights(join(output, `ckpt-${STEPS}.safetensors`)), readWeights(join(job, 'output', `ckpt-${STEPS}.safetensors`)));
    expect(weights.unmatched).toEqual([]);
    expect(weights.value, `largest weight difference, in ${weights.name}`).toBeLessThanOrEqual(1e-6);
  });
});
