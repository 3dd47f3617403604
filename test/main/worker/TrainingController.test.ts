// The training controller and the worker side, in-process over a MessageChannel: progress events, pause / resume /
// cancel between steps (a paused run is held: the worker answers while no step runs), errors before the start
// re-thrown as their class; a worker thread that crashes or exits mid-job fails done and the calls in flight with
// the reason; and with the built app, the same through a real worker thread (out/main/worker.js).
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArgumentError, DisconnectedError } from '../../../contract/errors';
import type { TrainingEvent } from '../../../main/engine/training/trainingEvents';
import { runTraining } from '../../../main/engine/training/runTraining';
import { TrainingController } from '../../../main/worker/TrainingController';
import { cpuBackend, createTrainingFixture, tinyOverrides, type TrainingFixture } from '../engine/training/trainingFixture';
import { builtFile, needs } from '../../preconditions';
import { failingWorker, failingWorkerReasons } from './failingWorker';
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
  it('streams progress and holds between steps while paused, then resumes at the next step and cancels', async () => {
    const controller = TrainingController.start(start(100), { spawn: () => inProcessWorker(cpuBackend) });
    const events: TrainingEvent[] = [];
    const progressSteps = () => events.flatMap((e) => (e.type === 'progress' ? [e.step] : []));
    let cancelAt = Infinity;
    const paused = new Promise<void>((resolvePaused) => {
      controller.onEvent((event) => {
        events.push(event);
        if (event.type === 'progress' && event.step === 3) void controller.pause();
        if (event.type === 'status' && event.status === 'paused') resolvePaused();
        if (event.type === 'progress' && event.step === cancelAt) void controller.cancel();
      });
    });
    await paused;
    // The loop takes the pause between two steps: after step 3, or a later one if the request came mid-step.
    const heldAt = progressSteps().length;
    expect(heldAt).toBeGreaterThanOrEqual(3);
    // Round trips through the worker's message loop, answered while its training loop waits between two steps.
    expect(await controller.status()).toEqual({ started: true, paused: true, cancelled: false, held: true });
    expect(await controller.status()).toMatchObject({ held: true });
    expect(progressSteps()).toHaveLength(heldAt);
    cancelAt = heldAt + 3;
    await controller.resume();
    const outcome = await controller.done;

    // Nothing ran while paused: the steps go on from where the pause held them, after the status changes, until
    // the cancel (taken at the end of the step it came in, or the next).
    const last = outcome.step;
    expect(last).toBeGreaterThanOrEqual(cancelAt);
    const steps = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
    const timeline = events.flatMap((e): (number | string)[] => (e.type === 'progress' ? [e.step] : e.type === 'status' ? [e.status] : []));
    expect(timeline).toEqual(['running', ...steps(1, heldAt), 'paused', 'running', ...steps(heldAt + 1, last), 'cancelled']);
    expect(outcome).toMatchObject({ status: 'cancelled' });
    const progress = events.find((e) => e.type === 'progress')!;
    expect(progress).toMatchObject({ type: 'progress', step: 1, totalSteps: 100 });
    expect(progress).toHaveProperty('clipsPerSecond');
    expect(progress).toHaveProperty('etaSeconds');
    expect(fixture.catalog.getRun(outcome.runId).status).toBe('cancelled');
    expect(fixture.catalog.listCheckpoints(outcome.runId).map((c) => c.step)).toEqual([0, last]);
    expect(fixture.catalog.runMetrics(outcome.runId, ['loss']).map((row) => row.step)).toEqual(steps(1, last));
    // The job has ended: steering it is a no-op, and the worker no longer answers.
    await expect(controller.pause()).resolves.toBeUndefined();
    await expect(controller.status()).rejects.toThrow(DisconnectedError);
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

describe('TrainingController when its worker thread goes away mid-job', () => {
  it.each([['crashes', 'throw'], ['exits', 'exit']] as const)(
    'rejects done and the calls in flight with a DisconnectedError saying why when the worker %s',
    async (_, end) => {
      const controller = TrainingController.start(start(5), { spawn: () => failingWorker(end, [{ type: 'status', runId: 7, status: 'running' }]) });
      await new Promise<void>((running) => controller.onEvent((event) => event.type === 'status' && running()));
      const status = controller.status().catch((error: unknown) => error);
      const failure = await controller.done.catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(DisconnectedError);
      expect((failure as Error).message).toBe(`training worker ${failingWorkerReasons[end]} before it answered start`);
      expect(await status).toBeInstanceOf(DisconnectedError);
      expect(((await status) as Error).message).toBe(`training worker ${failingWorkerReasons[end]} before it answered status`);
      await expect(controller.cancel()).resolves.toBeUndefined();
    },
  );
});

const builtWorker = resolve('out/main/worker.js');

needs(builtFile('out/main/worker.js')).describe('TrainingController with a worker thread (out/main/worker.js)', () => {
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
