// The training side of the API through the in-memory contract pair: runs and reports read from the catalog and
// the data folder, bad input refused with its class before any run row exists, controlRun only for runs live here;
// with the built training worker (out/main/worker.js), a run's events arrive as the contract's events and the run
// pauses (held between steps: nothing runs while the paused worker answers), resumes where it was held and cancels
// through controlRun; shutdown leaves a run resumable; a worker that crashes or exits mid-run leaves its run failed
// with the reason.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { JsonValue } from '../../../contract/schema';
import { ArgumentError, ConflictError, NotFoundError, RemoteError } from '../../../contract/errors';
import { writeReport } from '../../../main/report/writeReport';
import { createTrainingFixture, tinyOverrides, type TrainingFixture } from '../engine/training/trainingFixture';
import { builtFile, needs } from '../../preconditions';
import { failingWorker, failingWorkerReasons } from '../worker/failingWorker';
import { sampleReport } from '../report/reportFixture';
import { serveRuns, type ServedRuns } from './servedRuns';

let fixture: TrainingFixture;
let datasetId: number;
let served: ServedRuns | undefined;

beforeAll(() => {
  fixture = createTrainingFixture();
  const name = fixture.addDataset({ scenes: 2, ego: 1, exo: 2 });
  datasetId = fixture.catalog.findDatasetByName(name)!.id;
});
afterEach(async () => {
  await served?.close();
  served = undefined;
});
afterAll(() => fixture.cleanup());

const tiny = (steps: number) => tinyOverrides({ steps, checkpointEvery: 100 }) as JsonValue;
const runCount = () => fixture.catalog.listRuns().length;
const queuedRun = (kind = 'pretrain-step1') => fixture.catalog.createRun({ datasetId, kind, config: {}, seed: 1, backend: null });

describe('RunService: reading runs', () => {
  it('answers a run with its checkpoints, metrics and evaluation results', async () => {
    served = serveRuns(fixture.catalog, fixture.dataDir);
    const runId = queuedRun();
    fixture.catalog.addCheckpoint(runId, { step: 0, path: '/tmp/step-0.safetensors' });
    fixture.catalog.addRunMetrics(runId, [{ step: 1, name: 'loss', value: 2.5 }, { step: 1, name: 'lr', value: 0.001 }]);
    fixture.catalog.addEvaluationResults([
      { runId, task: 'retrieval', view: 'exo1', variant: '+EVGAP', metric: 'R@1', value: 0.5, seed: 4 },
      { runId, task: 'retrieval', view: 'exo1', variant: '+EVGAP', metric: 'R@1', value: 0.25, seed: 3 },
    ]);
    const { api } = served.client;

    expect(await api.getRun({ runId })).toMatchObject({ id: runId, status: 'queued', config: {}, error: null, checkpoints: [{ step: 0, path: '/tmp/step-0.safetensors' }] });
    expect(await api.runMetrics({ runId, names: ['loss'] })).toEqual([{ step: 1, name: 'loss', value: 2.5 }]);
    expect(await api.listEvaluations({ runId })).toEqual([
      { runId, task: 'retrieval', view: 'exo1', variant: '+EVGAP', metric: 'R@1', value: 0.25, seed: 3 },
      { runId, task: 'retrieval', view: 'exo1', variant: '+EVGAP', metric: 'R@1', value: 0.5, seed: 4 },
    ]);
    expect((await api.listRuns({ datasetId })).map((run) => run.id)).toContain(runId);
  });

  it('answers a report with its HTML path and typed data when the pipeline wrote one, and nulls when not', async () => {
    served = serveRuns(fixture.catalog, fixture.dataDir);
    const withReport = queuedRun('pipeline');
    const data = { ...sampleReport(), runId: withReport };
    await writeReport(join(fixture.dataDir, 'runs', String(withReport), 'report'), data);
    const without = queuedRun('pipeline');

    expect(await served.client.api.getReport({ runId: withReport })).toEqual({ runId: withReport, htmlPath: `/reports/${withReport}/index.html`, data, problem: null });
    expect(await served.client.api.getReport({ runId: without })).toEqual({ runId: without, htmlPath: null, data: null, problem: null });
  });

  it('answers a report of another version without data, saying why', async () => {
    served = serveRuns(fixture.catalog, fixture.dataDir);
    const old = queuedRun('pipeline');
    const folder = join(fixture.dataDir, 'runs', String(old), 'report');
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'report.json'), JSON.stringify({ format: 'evgap-pipeline-report', version: 2, dataset: 'demo', quick: true, preset: 'demo' }));
    const report = await served.client.api.getReport({ runId: old });
    expect(report).toMatchObject({ runId: old, htmlPath: null, data: null });
    expect(report.problem).toMatch(/expected report version 3, got 2/);
  });

  it('lists the runs that have a report, newest first, with their status, quick mark and seeds', async () => {
    served = serveRuns(fixture.catalog, fixture.dataDir);
    const completed = queuedRun('pipeline');
    await writeReport(join(fixture.dataDir, 'runs', String(completed), 'report'), { ...sampleReport(), runId: completed });
    const failed = queuedRun('pipeline');
    await writeReport(join(fixture.dataDir, 'runs', String(failed), 'report'), {
      ...sampleReport({ status: 'failed', failedStage: 'ablation', error: 'ablation: Error: gone', quick: true, seeds: [5], results: { retrieval: [], segmentation: [], anticipation: [], ablation: [] } }),
      runId: failed,
    });
    const stepRun = queuedRun('pretrain-step1');
    const listed = await served.client.api.listReports({});
    expect(listed.map((r) => r.runId)).not.toContain(stepRun);
    const mine = listed.filter((r) => r.runId === completed || r.runId === failed);
    expect(mine).toEqual([
      { runId: failed, datasetId, dataset: 'demo <&> "quoted"', status: 'failed', failedStage: 'ablation', error: 'ablation: Error: gone', quick: true, preset: 'demo', seeds: 1, createdAt: '2026-01-01T00:00:00.000Z', problem: null },
      { runId: completed, datasetId, dataset: 'demo <&> "quoted"', status: 'completed', failedStage: null, error: null, quick: false, preset: 'demo', seeds: 3, createdAt: '2026-01-01T00:00:00.000Z', problem: null },
    ]);
    // The version-2 report of the test before is listed too (its HTML page opens), saying why its tables cannot show.
    expect(listed.find((r) => r.problem !== null)).toMatchObject({ dataset: 'demo', quick: true, status: 'completed', seeds: 1, problem: expect.stringMatching(/expected report version 3, got 2/) });
    expect(await served.client.api.listReports({ datasetId: datasetId + 1000 })).toEqual([]);
  });

  it('answers a step-1 run on several datasets with its mix, and null for a run on one', async () => {
    served = serveRuns(fixture.catalog, fixture.dataDir);
    const entry = { datasetId, name: 'a', format: 'folder', pairs: 10, pairSources: 2, setsPerEpoch: 4, requested: 0.5, weight: 500_000, effective: 0.5 };
    const mix = { version: 1, proportionsFrom: 'given', batches: 30, datasets: [entry, { ...entry, name: 'b' }] };
    const mixed = fixture.catalog.createRun({ datasetId, kind: 'pretrain-step1', config: { seed: 1, mix }, seed: 1, backend: null });
    expect((await served.client.api.getRun({ runId: mixed })).mix).toEqual(mix);
    expect((await served.client.api.getRun({ runId: queuedRun() })).mix).toBeNull();
  });

  it('names and tags a run, announces the change, and lists the runs with a tag', async () => {
    served = serveRuns(fixture.catalog, fixture.dataDir);
    const { api } = served.client;
    const runId = queuedRun();
    const other = queuedRun();
    expect(await api.updateRun({ runId, name: ' lr 1e-3 ', addTags: ['sweep', 'baseline'] })).toMatchObject({ id: runId, name: 'lr 1e-3', tags: ['baseline', 'sweep'], parentRunId: null, quick: false });
    await api.updateRun({ runId: other, addTags: ['sweep'] });
    await api.updateRun({ runId, removeTags: ['sweep'] });
    expect((await api.listRuns({ tag: 'sweep' })).map((r) => r.id)).toEqual([other]);
    expect((await api.getRun({ runId })).tags).toEqual(['baseline']);
    await vi.waitFor(() => expect(served!.received('catalog.changed').filter((e) => e.what === 'runs')).toHaveLength(3));
    await expect(api.updateRun({ runId, addTags: ['two words'] })).rejects.toThrow(ArgumentError);
    await expect(api.updateRun({ runId, name: 'x'.repeat(121) })).rejects.toThrow(/name: expected a non-empty string of at most 120|a string/);
    await expect(api.updateRun({ runId: 99_999, name: 'x' })).rejects.toThrow(NotFoundError);
  });

  it('answers the saved sampling config a run was started with, a pipeline’s from its request, null without one', async () => {
    served = serveRuns(fixture.catalog, fixture.dataDir);
    const record = { id: 4, name: 'short clips', settings: { window: 4, stride: 4, scaleMin: 1, scaleMax: 1, clipsPerSet: 4, batchPairs: 8, batchGroups: 4, views: null } };
    const step = fixture.catalog.createRun({ datasetId, kind: 'pretrain-step1', config: { seed: 1, samplingConfig: record }, seed: 1, backend: null });
    const pipeline = fixture.catalog.createRun({ datasetId, kind: 'pipeline', config: { request: { samplingConfig: record } }, seed: 1, backend: null });
    expect((await served.client.api.getRun({ runId: step })).samplingConfig).toEqual(record);
    expect((await served.client.api.getRun({ runId: pipeline })).samplingConfig).toEqual(record);
    expect((await served.client.api.getRun({ runId: queuedRun() })).samplingConfig).toBeNull();
  });

  it('refuses an unknown run with NotFoundError', async () => {
    served = serveRuns(fixture.catalog, fixture.dataDir);
    const { api } = served.client;
    await expect(api.getReport({ runId: 99_999 })).rejects.toThrow(NotFoundError);
    await expect(api.getRun({ runId: 99_999 })).rejects.toThrow(NotFoundError);
    await expect(api.controlRun({ runId: 99_999, action: 'pause' })).rejects.toThrow(NotFoundError);
  });

  it('refuses to control a run that is not running in this process (ConflictError naming its status)', async () => {
    served = serveRuns(fixture.catalog, fixture.dataDir);
    const runId = queuedRun();
    fixture.catalog.setRunStatus(runId, 'running'); // e.g. left 'running' by a process that stopped
    const refused = served.client.api.controlRun({ runId, action: 'cancel' });
    await expect(refused).rejects.toThrow(ConflictError);
    await expect(refused).rejects.toThrow(`run ${runId} is not running here (status running)`);
  });
});

describe('RunService: bad pre-training input', () => {
  it.each([
    ['an unknown override field', { step1: { learningRate: 1 } }, ArgumentError, /overrides: unexpected config field step1.learningRate/],
    ['an invalid override value', { step1: { lr: -1 } }, ArgumentError, /expected step1.lr > 0, got -1/],
    ['overrides that are not an object', [1, 2], ArgumentError, /overrides: expected an object of config sections/],
  ])('refuses %s with its error class and writes no run', async (_, overrides, errorClass, message) => {
    served = serveRuns(fixture.catalog, fixture.dataDir, { spawn: { training: () => { throw new Error('no worker may start'); } } });
    const before = runCount();
    const refused = served.client.api.startPretrain({ datasetId, step: 1, preset: 'demo', overrides: overrides as JsonValue });
    await expect(refused).rejects.toThrow(errorClass);
    await expect(refused).rejects.toThrow(message);
    expect(runCount()).toBe(before);
  });

  it('refuses an unknown dataset with NotFoundError and a step-1 run with a step-1 run to start from', async () => {
    served = serveRuns(fixture.catalog, fixture.dataDir);
    const { api } = served.client;
    await expect(api.startPretrain({ datasetId: 99_999, step: 1, preset: 'demo' })).rejects.toThrow(NotFoundError);
    await expect(api.startPretrain({ datasetId, step: 1, preset: 'demo', initRunId: 1 })).rejects.toThrow(/initRunId: only a step-2 run/);
    await expect(api.startPipeline({ datasetId: 99_999, preset: 'demo' })).rejects.toThrow(NotFoundError);
    await expect(api.startPipeline({ datasetId, preset: 'demo', pretrainDatasetIds: [datasetId, 99_999] })).rejects.toThrow('pretrainDatasetIds[1]: no dataset with id 99999');
    await expect(api.startPretrain({ datasetId, step: 2, preset: 'demo', extraDatasetIds: [datasetId] })).rejects.toThrow(/only step 1 trains on several datasets/);
    await expect(api.startPipeline({ datasetId, preset: 'demo', segHeads: ['mstcn' as 'asformer'] })).rejects.toThrow(/segHeads/);
    await expect(api.startPretrain({ datasetId, step: 1, preset: 'demo', samplingConfigId: 99_999 })).rejects.toThrow(`samplingConfigId: dataset ${datasetId} has no saved sampling config with id 99999`);
    await expect(api.startPipeline({ datasetId, preset: 'demo', samplingConfigId: 99_999 })).rejects.toThrow(NotFoundError);
  });
});

describe('RunService: checks before a run', () => {
  it('answers every problem of a run through checkRun, and refuses to start while errors remain, writing no run', async () => {
    const egoOnly = fixture.catalog.findDatasetByName(fixture.addDataset({ scenes: 2, ego: 2, exo: 0 }))!.id;
    served = serveRuns(fixture.catalog, fixture.dataDir, { spawn: { training: () => { throw new Error('no worker may start'); }, pipeline: () => { throw new Error('no worker may start'); } } });
    const { api } = served.client;
    const before = runCount();

    const step2 = await api.checkRun({ pretrain: { datasetId: egoOnly, step: 2, preset: 'demo' } });
    expect(step2.problems.filter((p) => p.severity === 'error')).toEqual([expect.objectContaining({ scene: null, message: expect.stringMatching(/^step 2 needs groups/) })]);
    expect(step2.problems.filter((p) => p.severity === 'warning').map((p) => p.scene)).toEqual(['scene0', 'scene1']);
    const refused = api.startPretrain({ datasetId: egoOnly, step: 2, preset: 'demo' });
    await expect(refused).rejects.toThrow(ArgumentError);
    await expect(refused).rejects.toThrow(/step-2 pre-training cannot start: 1 problem in its datasets\n- dataset tiny\d+: step 2 needs groups[\s\S]*warning: dataset tiny\d+, scene scene0: no exo view/);

    const pipeline = await api.checkRun({ pipeline: { datasetId, preset: 'demo' } });
    expect(pipeline.problems).toEqual([expect.objectContaining({ severity: 'error', message: "the pipeline needs 'train' and 'test' scenes, it has no 'test' scene" })]);
    await expect(api.startPipeline({ datasetId, preset: 'demo' })).rejects.toThrow(/the pipeline cannot start: 1 problem in its datasets\n- dataset tiny\d+: the pipeline needs 'train' and 'test' scenes, it has no 'test' scene \(fix: give some scenes the split 'test'/);
    expect(runCount()).toBe(before);

    expect(await api.checkRun({ pretrain: { datasetId, step: 1, preset: 'demo' } })).toEqual({ problems: [] });
    await expect(api.checkRun({})).rejects.toThrow(/checkRun: expected exactly one of pretrain/);
  });
});

describe('RunService when a worker goes away mid-run', () => {
  it.each([['crashes', 'throw'], ['exits', 'exit']] as const)('leaves the run failed with the reason when its worker %s', async (_, end) => {
    const runId = queuedRun();
    fixture.catalog.setRunStatus(runId, 'running');
    const started = { type: 'started', runId, kind: 'pretrain-step1', startStep: 0, totalSteps: 5, resumed: false, backend: { backend: 'cpu', tried: [], details: 'cpu' }, warnings: [] };
    served = serveRuns(fixture.catalog, fixture.dataDir, { spawn: { training: () => failingWorker(end, [started]) } });
    const { client, received } = served;
    expect(await client.api.startPretrain({ datasetId, step: 1, preset: 'demo', overrides: tiny(5) })).toEqual({ runId });

    await client.api.controlRun({ runId, action: 'pause' }); // the worker goes away on receiving it
    const reason = `training worker ${failingWorkerReasons[end]} before it answered start`;
    await vi.waitFor(() => expect(received('run.status', runId).at(-1)).toEqual({ runId, kind: 'pretrain-step1', status: 'failed', error: reason }));
    expect(fixture.catalog.getRun(runId)).toMatchObject({ status: 'failed', error: reason });
    await expect(client.api.controlRun({ runId, action: 'resume' })).rejects.toThrow('(status failed)');
  });
});

const builtWorker = resolve('out/main/worker.js');

needs(builtFile('out/main/worker.js')).describe('RunService with the training worker thread (out/main/worker.js)', () => {
  const serveBuilt = () => serveRuns(fixture.catalog, fixture.dataDir, { workerFiles: { training: builtWorker }, backend: 'cpu' });

  it('starts a run whose progress and status arrive as the contract events, then completes', async () => {
    served = serveBuilt();
    const { runId } = await served.client.api.startPretrain({ datasetId, step: 1, preset: 'demo', overrides: tiny(30), steps: 4 });
    const received = served;
    await vi.waitFor(() => expect(received.received('run.status', runId).at(-1)?.status).toBe('completed'), { timeout: 30_000 });

    expect(received.received('run.status', runId)).toEqual([
      { runId, kind: 'pretrain-step1', status: 'running', error: null },
      { runId, kind: 'pretrain-step1', status: 'completed', error: null },
    ]);
    const progress = received.received('run.progress', runId);
    expect(progress.map((p) => p.step)).toEqual([1, 2, 3, 4]); // `steps` overrides the preset's step1.steps
    expect(progress[0]).toMatchObject({ totalSteps: 4, loss: progress[0]!.metrics.loss });
    expect(Object.keys(progress[0]!.metrics)).toEqual(expect.arrayContaining(['loss', 'grad_norm', 'lr']));
    expect(received.received('catalog.changed')).toContainEqual({ datasetId, sceneId: null, what: 'runs' });
    const run = await received.client.api.getRun({ runId });
    expect(run).toMatchObject({ status: 'completed', backend: 'cpu', kind: 'pretrain-step1' });
    expect(run.checkpoints.map((c) => c.step)).toEqual([0, 4]);
    await expect(received.client.api.controlRun({ runId, action: 'pause' })).rejects.toThrow('(status completed)');
  });

  it('pauses, resumes and cancels a run through controlRun', async () => {
    served = serveBuilt();
    const { client, received } = served;
    const { runId } = await client.api.startPretrain({ datasetId, step: 1, preset: 'demo', overrides: tiny(10_000) });
    const status = () => received('run.status', runId).at(-1)?.status;
    const steps = () => received('run.progress', runId).length;

    await vi.waitFor(() => expect(steps()).toBeGreaterThanOrEqual(2), { timeout: 30_000 });
    expect(await client.api.controlRun({ runId, action: 'pause' })).toMatchObject({ id: runId, kind: 'pretrain-step1' });
    await vi.waitFor(() => expect(status()).toBe('paused'), { timeout: 10_000 });
    const pausedAt = steps();
    const lastStep = () => received('run.progress', runId).at(-1)!.step;
    const heldAt = lastStep();
    // controlRun answers once the worker has the request: a round trip through the paused worker's message loop.
    await client.api.controlRun({ runId, action: 'pause' });
    expect(steps()).toBe(pausedAt); // held between steps while paused
    expect(fixture.catalog.getRun(runId).status).toBe('paused');

    await client.api.controlRun({ runId, action: 'resume' });
    await vi.waitFor(() => expect(steps()).toBeGreaterThan(pausedAt), { timeout: 10_000 });
    expect(received('run.progress', runId)[pausedAt]!.step).toBe(heldAt + 1); // it goes on where the pause held it
    await client.api.controlRun({ runId, action: 'cancel' });
    await vi.waitFor(() => expect(status()).toBe('cancelled'), { timeout: 10_000 });

    expect(received('run.status', runId).map((s) => s.status)).toEqual(['running', 'paused', 'running', 'cancelled']);
    expect(fixture.catalog.getRun(runId).status).toBe('cancelled');
    expect(fixture.catalog.listCheckpoints(runId).at(-1)!.step).toBe(lastStep());
  });

  it.each([
    ['a run that does not exist', 99_999, NotFoundError],
    ['a step-1 run that has not completed', 0, ArgumentError],
  ])('rejects a step-2 run starting from %s with the worker\'s error class, and writes no run', async (_, initRunId, errorClass) => {
    served = serveBuilt();
    const init = initRunId === 0 ? queuedRun() : initRunId;
    const before = runCount();
    await expect(served.client.api.startPretrain({ datasetId, step: 2, preset: 'demo', overrides: tiny(4), initRunId: init })).rejects.toThrow(errorClass);
    expect(runCount()).toBe(before);
  });

  it('stops its workers at shutdown, leaving the run \'running\' with its checkpoints (resumable), and starts nothing after', async () => {
    served = serveBuilt();
    const { client, received, runs } = served;
    const { runId } = await client.api.startPretrain({ datasetId, step: 1, preset: 'demo', overrides: tiny(10_000) });
    await vi.waitFor(() => expect(received('run.progress', runId).length).toBeGreaterThanOrEqual(1), { timeout: 30_000 });
    await runs.shutdown();

    expect(fixture.catalog.getRun(runId).status).toBe('running');
    expect(fixture.catalog.listCheckpoints(runId).map((c) => c.step)).toEqual([0]);
    expect(received('run.status', runId).map((s) => s.status)).toEqual(['running']);
    await expect(client.api.startPretrain({ datasetId, step: 1, preset: 'demo', overrides: tiny(4) })).rejects.toThrow(RemoteError);
  });
});
