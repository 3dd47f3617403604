// startPipeline and controlRun for pipelines, with a scripted pipeline worker side run in-process (serveJob over a
// MessageChannel, as servePipeline does): stage events become pipeline.progress, the training run a pipeline starts
// streams run.progress / run.status and is steered through the pipeline (by its own id or the pipeline's), the
// pipeline's outcome becomes its final run.status, and a worker that dies mid-pipeline leaves its runs 'failed'.
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ConflictError } from '../../../contract/errors';
import { runTraining } from '../../../main/engine/training/runTraining';
import type { TrainingEvent } from '../../../main/engine/training/trainingEvents';
import type { PipelineEvent, PipelineOutcome, PipelineStage } from '../../../main/pipeline/runPipeline';
import { pipelineJobContract, type PipelineStart } from '../../../main/worker/jobContract';
import { serveJob, type Job } from '../../../main/worker/serveJob';
import type { BackendReport } from '../../../native/tfBackend';
import { cpuBackend, createTrainingFixture, tinyOverrides, type TrainingFixture } from '../engine/training/trainingFixture';
import { inProcessWorker, type WorkerSide } from '../worker/inProcessWorker';
import { serveRuns, type ServedRuns } from './servedRuns';

let fixture: TrainingFixture;
let dataset: string;
let datasetId: number;
let served: ServedRuns | undefined;

beforeAll(() => {
  fixture = createTrainingFixture();
  // Train and test scenes: RunService checks the datasets (main/pipeline/preflight.ts) before a pipeline worker starts.
  dataset = fixture.addDataset({ scenes: 3, ego: 1, exo: 2, testScenes: 1 });
  datasetId = fixture.catalog.findDatasetByName(dataset)!.id;
  fixture.addDataset({ name: 'demo', scenes: 2, ego: 1, exo: 1, testScenes: 1 });
});
afterEach(async () => {
  await served?.close();
  served = undefined;
});
afterAll(() => fixture.cleanup());

type PipelineJob = Job<PipelineStart, PipelineEvent, PipelineOutcome>;
type Script = (
  pipeline: { backend: BackendReport; stage: (index: number, name: PipelineStage, fraction: number) => void },
  ...job: Parameters<PipelineJob>
) => Promise<PipelineOutcome['status']>;

/** A pipeline worker side that records its start request, creates the pipeline run and then follows `script`. */
function scriptedPipeline(starts: PipelineStart[], script: Script): WorkerSide {
  return (transport, options) =>
    serveJob(transport, pipelineJobContract, async (start, control, emit) => {
      starts.push(start);
      const backend = await options.loadBackend();
      const runId = fixture.catalog.createRun({ datasetId: null, kind: 'pipeline', config: start.request, seed: null, backend: backend.backend });
      fixture.catalog.setRunStatus(runId, 'running');
      const stage = (stageIndex: number, name: PipelineStage, fraction: number) =>
        emit({ type: 'stage', runId, stage: name, stageIndex, stages: 2, message: `${name} ${Math.round(fraction * 100)}%`, fraction });
      const status = await script({ backend, stage }, start, control, emit);
      fixture.catalog.setRunStatus(runId, status);
      return { runId, status, reportDir: join(start.dataDir, 'runs', String(runId), 'report'), reportWritten: false };
    });
}

describe('RunService: the one-click pipeline', () => {
  it('streams stages and its training run, which pauses, resumes and cancels through either run id', async () => {
    const starts: PipelineStart[] = [];
    const pipeline = scriptedPipeline(starts, async ({ backend, stage }, start, control, emit) => {
      stage(0, 'pretrain-step1', 0);
      const request = { mode: 'new' as const, step: 1 as const, dataset: start.request.dataset, overrides: tinyOverrides({ steps: 10_000, checkpointEvery: 100 }) };
      const context = { catalog: fixture.catalog, dataDir: start.dataDir, backend, onEvent: (event: TrainingEvent) => emit({ type: 'training', event }) };
      const outcome = await runTraining(request, context, control);
      stage(1, 'report', 1);
      return outcome.status;
    });
    served = serveRuns(fixture.catalog, fixture.dataDir, { spawn: { pipeline: () => inProcessWorker(cpuBackend, pipeline) } });
    const { client, received } = served;

    const { runId: pipelineId } = await client.api.startPipeline({ datasetId, preset: 'demo', quick: true });
    expect(starts[0]!.request).toEqual({ dataset, preset: 'demo', quick: true });
    expect(fixture.catalog.getRun(pipelineId).kind).toBe('pipeline');
    await vi.waitFor(() => expect(received('run.progress').length).toBeGreaterThanOrEqual(2), { timeout: 20_000 });
    const trainingId = received('run.progress')[0]!.runId;
    expect(trainingId).not.toBe(pipelineId);
    const trainingStatus = () => received('run.status', trainingId).at(-1)?.status;

    await client.api.controlRun({ runId: trainingId, action: 'pause' });
    await vi.waitFor(() => expect(trainingStatus()).toBe('paused'), { timeout: 10_000 });
    await client.api.controlRun({ runId: pipelineId, action: 'resume' });
    await vi.waitFor(() => expect(trainingStatus()).toBe('running'), { timeout: 10_000 });
    await client.api.controlRun({ runId: pipelineId, action: 'cancel' });
    await vi.waitFor(() => expect(received('run.status', pipelineId).at(-1)?.status).toBe('cancelled'), { timeout: 10_000 });

    expect(received('pipeline.progress', pipelineId)).toEqual([
      { runId: pipelineId, stage: 'pretrain-step1', stageIndex: 0, stages: 2, message: 'pretrain-step1 0%', fraction: 0 },
      { runId: pipelineId, stage: 'report', stageIndex: 1, stages: 2, message: 'report 100%', fraction: 1 },
    ]);
    expect(received('run.status', trainingId).map((s) => s.status)).toEqual(['running', 'paused', 'running', 'cancelled']);
    expect(received('run.status', pipelineId)).toEqual([
      { runId: pipelineId, kind: 'pipeline', status: 'running', error: null },
      { runId: pipelineId, kind: 'pipeline', status: 'cancelled', error: null },
    ]);
    await expect(client.api.controlRun({ runId: trainingId, action: 'resume' })).rejects.toThrow(ConflictError);
    await expect(client.api.controlRun({ runId: pipelineId, action: 'resume' })).rejects.toThrow('(status cancelled)');
  });

  it('runs on the demo dataset when none is named, and marks the runs of a worker that died mid-pipeline failed', async () => {
    const starts: PipelineStart[] = [];
    const pipeline = scriptedPipeline(starts, async ({ stage }) => {
      stage(0, 'pretrain-step1', 0.5);
      throw new Error('out of disk space');
    });
    served = serveRuns(fixture.catalog, fixture.dataDir, { spawn: { pipeline: () => inProcessWorker(cpuBackend, pipeline) } });
    const { client, received } = served;

    const { runId } = await client.api.startPipeline({ preset: 'paper' });
    expect(starts[0]!.request).toEqual({ dataset: 'demo', preset: 'paper' });
    await vi.waitFor(() => expect(received('run.status', runId).at(-1)?.status).toBe('failed'), { timeout: 10_000 });
    expect(received('run.status', runId).at(-1)).toEqual({ runId, kind: 'pipeline', status: 'failed', error: 'out of disk space' });
    expect(fixture.catalog.getRun(runId)).toMatchObject({ status: 'failed', error: 'out of disk space' });
  });
});
