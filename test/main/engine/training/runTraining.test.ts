// Pre-training runs end to end on a tiny learnable dataset: the run's catalog record, metrics, checkpoints, loss
// going down, step 2 starting from step 1, and resume after an interruption reproducing the uninterrupted run.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BackendReport } from '../../../../native/tfBackend';
import { runTraining, type TrainingContext } from '../../../../main/engine/training/runTraining';
import { TrainingControl } from '../../../../main/engine/training/trainingControl';
import type { TrainingEvent } from '../../../../main/engine/training/trainingEvents';
import { ConflictError } from '../../../../contract/errors';
import { cpuBackend, createTrainingFixture, tinyOverrides, type TrainingFixture } from './trainingFixture';

let fixture: TrainingFixture;
let backend: BackendReport;
let dataset: string;

beforeAll(async () => {
  backend = await cpuBackend();
  fixture = createTrainingFixture();
  dataset = fixture.addDataset({ scenes: 2, ego: 1, exo: 2 });
});
afterAll(() => fixture.cleanup());

const context = (events: TrainingEvent[] = [], extra: Partial<TrainingContext> = {}): TrainingContext => ({
  catalog: fixture.catalog,
  dataDir: fixture.dataDir,
  backend,
  onEvent: (event) => events.push(event),
  ...extra,
});

/** The run's metrics as {name: values by step}, without clips/s (a wall-clock rate). */
function series(runId: number, fromStep = 1): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const row of fixture.catalog.runMetrics(runId)) {
    if (row.name === 'clips_per_s' || row.step < fromStep) continue;
    (out[row.name] ??= []).push(row.value);
  }
  return out;
}

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;

describe('a step-1 run', () => {
  let runId: number;
  const events: TrainingEvent[] = [];

  beforeAll(async () => {
    const outcome = await runTraining({ mode: 'new', step: 1, dataset, overrides: tinyOverrides() }, context(events));
    expect(outcome).toMatchObject({ status: 'completed', step: 30 });
    runId = outcome.runId;
  });

  it('is recorded with its kind, resolved config, seed, backend and final status', () => {
    const run = fixture.catalog.getRun(runId);
    expect(run).toMatchObject({ kind: 'pretrain-step1', status: 'completed', seed: 7, backend: 'cpu', error: null });
    expect(run.backendReport).toEqual({ ...backend, precision: { requested: 'fp32', used: 'fp32', note: 'fp32' } });
    expect(run.config).toMatchObject({ encoder: { modelDim: 16, tokens: 4 }, step1: { batchPairs: 8, steps: 30 } });
    expect(run.startedAt).not.toBeNull();
    expect(run.finishedAt).not.toBeNull();
    expect(events.filter((e) => e.type === 'status').map((e) => (e as { status: string }).status)).toEqual(['running', 'completed']);
  });

  it('logs every step: total loss, auxiliary terms, t, gradient norm, learning rate and clips/s', () => {
    const names = new Set(fixture.catalog.runMetrics(runId).map((row) => row.name));
    expect([...names].sort()).toEqual(
      ['clips_per_s', 'grad_norm', 'logit_scale', 'loss', 'loss_aux_1', 'loss_final', 'lr', 'param_norm'].sort(),
    );
    const metrics = series(runId);
    expect(metrics.loss).toHaveLength(30);
    metrics.loss!.forEach((loss, i) => expect(loss).toBeCloseTo(metrics.loss_final![i]! + metrics.loss_aux_1![i]!, 5));
    expect(metrics.logit_scale![0]).toBeCloseTo(Math.E, 5); // s initialized to 1 → t = e
    expect(metrics.lr!.every((lr) => lr === 3e-3)).toBe(true);
    const progress = events.filter((e) => e.type === 'progress');
    expect(progress).toHaveLength(30);
    expect(progress.at(-1)).toMatchObject({ step: 30, totalSteps: 30, etaSeconds: 0 });
  });

  it('lowers the loss over 30 steps on a learnable dataset', () => {
    const loss = series(runId).loss!;
    expect(mean(loss.slice(-5))).toBeLessThan(0.8 * mean(loss.slice(0, 5)));
  });

  it('registers complete checkpoints at step 0, every checkpointEvery steps and at the end', () => {
    const checkpoints = fixture.catalog.listCheckpoints(runId);
    expect(checkpoints.map((c) => c.step)).toEqual([0, 10, 20, 30]);
    const folder = dirname(checkpoints[0]!.path);
    expect(folder).toBe(`${fixture.dataDir}/runs/${runId}`);
    for (const { step, path } of checkpoints) {
      expect(path).toBe(`${folder}/ckpt-${step}.safetensors`);
      const sidecar = JSON.parse(readFileSync(path.replace(/\.safetensors$/, '.json'), 'utf8'));
      expect(sidecar).toMatchObject({ step, runId, kind: 'pretrain-step1', seed: 7 });
      expect(existsSync(`${folder}/${sidecar.optimizer}`)).toBe(true);
    }
    expect(readdirSync(folder).filter((name) => name.endsWith('.partial'))).toEqual([]);
  });

  it('starts step 2 from its final checkpoint, with the SigLIP bias when chosen', async () => {
    const outcome = await runTraining(
      { mode: 'new', step: 2, dataset, overrides: tinyOverrides({ steps: 12, checkpointEvery: 6, bias: 'learnable' }), init: { runId } },
      context(),
    );
    expect(outcome.status).toBe('completed');
    const run = fixture.catalog.getRun(outcome.runId);
    expect(run.kind).toBe('pretrain-step2');
    const metrics = series(outcome.runId);
    expect(metrics.bias![0]).toBe(-10);
    expect(metrics.logit_scale![0]).toBeCloseTo(10, 5); // the demo preset starts step 2 like SigLIP: t = 10
    const sidecar = JSON.parse(readFileSync(outcome.checkpoint!.replace(/\.safetensors$/, '.json'), 'utf8'));
    expect(sidecar.initializedFrom).toEqual({ runId, step: 30 });
    expect(sidecar.logitBias).not.toBe(-10);
  });
});

describe('resuming', () => {
  it('after an interruption reproduces the uninterrupted run exactly, under the same run id', async () => {
    const overrides = tinyOverrides({ steps: 24, checkpointEvery: 8 });
    const reference = await runTraining({ mode: 'new', step: 1, dataset, overrides }, context());

    // A crash at step 13: metrics up to 10 and checkpoints 0 and 8 made it to disk; the status stayed 'running'.
    const crash = new Error('simulated crash');
    const interrupted = await runTraining(
      { mode: 'new', step: 1, dataset, overrides },
      context([], {
        onEvent: (event) => {
          if (event.type === 'progress' && event.step === 13) throw crash;
        },
      }),
    );
    expect(interrupted.status).toBe('failed');
    fixture.catalog.setRunStatus(interrupted.runId, 'running');
    expect(fixture.catalog.listCheckpoints(interrupted.runId).map((c) => c.step)).toEqual([0, 8]);

    const events: TrainingEvent[] = [];
    const resumed = await runTraining({ mode: 'resume', runId: interrupted.runId }, context(events));
    expect(resumed).toMatchObject({ runId: interrupted.runId, status: 'completed', step: 24 });
    expect(events[1]).toMatchObject({ type: 'started', startStep: 8, resumed: true });
    expect(series(resumed.runId, 9)).toEqual(series(reference.runId, 9));
    expect(fixture.catalog.listCheckpoints(resumed.runId).map((c) => c.step)).toEqual([0, 8, 16, 24]);
    const finalWeights = (runId: number) => readFileSync(fixture.catalog.listCheckpoints(runId).at(-1)!.path);
    expect(finalWeights(resumed.runId).equals(finalWeights(reference.runId))).toBe(true);
  });

  it('refuses a config change and a completed run', async () => {
    const first = await runTraining({ mode: 'new', step: 1, dataset, overrides: tinyOverrides({ steps: 2, checkpointEvery: 1 }) }, context());
    await expect(runTraining({ mode: 'resume', runId: first.runId }, context())).rejects.toThrow(ConflictError);
    fixture.catalog.setRunStatus(first.runId, 'failed', { error: 'test' });
    await expect(
      runTraining({ mode: 'resume', runId: first.runId, overrides: tinyOverrides({ steps: 5, checkpointEvery: 1 }) }, context()),
    ).rejects.toThrow(/step1.steps: 2 → 5/);
    await expect(runTraining({ mode: 'resume', runId: first.runId, overrides: { step1: { steps: 3 } } }, context())).rejects.toThrow(
      /changes step1.steps: 2 → 3$/,
    );
  });
});

describe('catalog writes', () => {
  it('batch the metrics: one transaction every few steps and at each checkpoint, not one per step', async () => {
    const writes: number[][] = [];
    const catalog = new Proxy(fixture.catalog, {
      get(target, key) {
        if (key === 'addRunMetrics') {
          return (runId: number, rows: { step: number; name: string; value: number }[]) => {
            writes.push([...new Set(rows.map((row) => row.step))]);
            target.addRunMetrics(runId, rows);
          };
        }
        const value = Reflect.get(target, key, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const outcome = await runTraining(
      { mode: 'new', step: 1, dataset, overrides: tinyOverrides({ steps: 9, checkpointEvery: 6 }) },
      context([], { catalog, metricsEvery: 4 }),
    );
    expect(outcome.status).toBe('completed');
    expect(writes).toEqual([[1, 2, 3, 4], [5, 6], [7, 8], [9]]);
  });

  it('do not register a checkpoint twice when a resumed run is cancelled before its first step', async () => {
    const first = await runTraining(
      { mode: 'new', step: 1, dataset, overrides: tinyOverrides({ steps: 6, checkpointEvery: 2 }) },
      context([], {
        onEvent: (event) => {
          if (event.type === 'progress' && event.step === 3) throw new Error('simulated crash');
        },
      }),
    );
    const control = new TrainingControl();
    control.cancel();
    const resumed = await runTraining({ mode: 'resume', runId: first.runId }, context(), control);
    expect(resumed).toMatchObject({ status: 'cancelled', step: 2, checkpoint: fixture.catalog.listCheckpoints(first.runId).at(-1)!.path });
    expect(fixture.catalog.listCheckpoints(first.runId).map((c) => c.step)).toEqual([0, 2]);
  });
});
