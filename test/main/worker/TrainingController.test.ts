// The training controller and the worker side, in-process over a MessageChannel: progress events, pause / resume /
// cancel between steps, errors before the start re-thrown as their class; and, once the app is built, the same
// through a real worker thread (out/main/worker.js).
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArgumentError } from '../../../contract/errors';
import type { TrainingEvent } from '../../../main/engine/training/trainingEvents';
import { runTraining } from '../../../main/engine/training/runTraining';
import { TrainingController } from '../../../main/worker/TrainingController';
import { cpuBackend, createTrainingFixture, tinyOverrides, type TrainingFixture } from '../engine/training/trainingFixture';
import { inProcessWorker } from './inProcessWorker';

let fixture: TrainingFixture;
let dataset: string;

beforeAll(async () => {
  fixture = createTrainingFixture();
  dataset = fixture.addDataset({ scenes: 2, ego: 1, exo: 2 });
});
afterAll(() => fixture.cleanup());

const start = (steps: number) => ({
  request: { mode: 'new' as const, step: 1 as const, dataset, overrides: tinyOverrides({ steps, checkpointEvery: 100 }) },
  dataDir: fixture.dataDir,
  metricsEvery: 2,
});

describe('TrainingController with the worker side in-process', () => {
  it('streams progress and pauses, resumes and cancels between steps', async () => {
    const controller = TrainingController.start(start(100), { spawn: () => inProcessWorker(cpuBackend) });
    const events: TrainingEvent[] = [];
    let pausedAt = -1;
    const paused = new Promise<void>((resolvePaused) => {
      controller.onEvent((event) => {
        events.push(event);
        if (event.type === 'progress' && event.step === 3) controller.pause();
        if (event.type === 'status' && event.status === 'paused') {
          pausedAt = events.filter((e) => e.type === 'progress').length;
          resolvePaused();
        }
        if (event.type === 'progress' && event.step === 6) controller.cancel();
      });
    });
    await paused;
    await new Promise((wait) => setTimeout(wait, 200));
    expect(events.filter((e) => e.type === 'progress')).toHaveLength(pausedAt); // held between steps while paused
    controller.resume();
    const outcome = await controller.done;

    expect(pausedAt).toBe(3);
    expect(outcome).toMatchObject({ status: 'cancelled', step: 6 });
    const statuses = events.filter((e) => e.type === 'status').map((e) => (e as { status: string }).status);
    expect(statuses).toEqual(['running', 'paused', 'running', 'cancelled']);
    const progress = events.find((e) => e.type === 'progress')!;
    expect(progress).toMatchObject({ type: 'progress', step: 1, totalSteps: 100 });
    expect(progress).toHaveProperty('clipsPerSecond');
    expect(progress).toHaveProperty('etaSeconds');
    expect(fixture.catalog.getRun(outcome.runId).status).toBe('cancelled');
    expect(fixture.catalog.listCheckpoints(outcome.runId).map((c) => c.step)).toEqual([0, 6]);
    expect(fixture.catalog.runMetrics(outcome.runId, ['loss']).map((row) => row.step)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('rejects done with the error that kept the run from starting', async () => {
    const bad = start(5);
    bad.request.dataset = 'missing';
    const controller = TrainingController.start({ ...bad, request: { ...bad.request, overrides: { step1: { lr: -1 } } } }, {
      spawn: () => inProcessWorker(cpuBackend),
    });
    await expect(controller.done).rejects.toThrow(ArgumentError);
    await expect(controller.done).rejects.toThrow(/expected step1.lr > 0, got -1/);
  });
});

const builtWorker = resolve('out/main/worker.js');

describe.skipIf(!existsSync(builtWorker))('TrainingController with a worker thread (out/main/worker.js)', () => {
  it('trains off the main thread with its own catalog connection', async () => {
    const controller = TrainingController.start({ ...start(3), backend: 'cpu' }, { workerFile: builtWorker });
    const steps: number[] = [];
    controller.onEvent((event) => {
      if (event.type === 'progress') steps.push(event.step);
    });
    const outcome = await controller.done;
    expect(outcome).toMatchObject({ status: 'completed', step: 3 });
    expect(steps).toEqual([1, 2, 3]);
    expect(fixture.catalog.getRun(outcome.runId)).toMatchObject({ status: 'completed', backend: 'cpu' });
  });

  it('resumes a run whose worker was killed mid-run and ends as the uninterrupted run does', async () => {
    const overrides = tinyOverrides({ steps: 12, checkpointEvery: 4 });
    const request = { mode: 'new' as const, step: 1 as const, dataset, overrides };
    const backend = await cpuBackend();
    const context = { catalog: fixture.catalog, dataDir: fixture.dataDir, backend };
    const reference = await runTraining(request, context);

    const controller = TrainingController.start({ request, dataDir: fixture.dataDir, backend: 'cpu' }, { workerFile: builtWorker });
    let runId = 0;
    controller.onEvent((event) => {
      runId = event.runId;
      if (event.type === 'progress' && event.step === 6) void controller.terminate();
    });
    await expect(controller.done).rejects.toThrow(/exited/);
    expect(fixture.catalog.getRun(runId).status).toBe('running');

    const resumed = await runTraining({ mode: 'resume', runId }, context);
    expect(resumed).toMatchObject({ runId, status: 'completed', step: 12 });
    const losses = (id: number) => fixture.catalog.runMetrics(id, ['loss', 'grad_norm']).filter((row) => row.step > 4);
    expect(losses(runId)).toEqual(losses(reference.runId));
  });
});
