// The one-click pipeline through the built pipeline worker (out/main/pipeline.js) and the in-memory contract pair:
// on a small demo dataset the quick pipeline streams its first stage and its training run's progress, and cancels
// through controlRun (the whole quick pipeline takes minutes on 2 busy cores: test/main/pipeline runs it
// in-process); a pipeline whose dataset cannot be used is refused with the worker's error class before any run row.
import { resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, expect, it, vi } from 'vitest';
import { ArgumentError } from '../../../contract/errors';
import { pipelineStages } from '../../../main/pipeline/runPipeline';
import { createPipelineFixture, type PipelineFixture } from '../pipeline/pipelineFixture';
import { builtFile, needs } from '../../preconditions';
import { serveRuns, type ServedRuns } from './servedRuns';

const builtPipeline = resolve('out/main/pipeline.js');

needs(builtFile('out/main/pipeline.js')).describe('RunService with the pipeline worker thread (out/main/pipeline.js)', () => {
  let fixture: PipelineFixture;
  let served: ServedRuns | undefined;

  beforeAll(async () => {
    fixture = await createPipelineFixture();
  });
  afterEach(async () => {
    await served?.close();
    served = undefined;
  });
  afterAll(() => fixture?.cleanup());

  const serveBuilt = () => serveRuns(fixture.catalog, fixture.dataDir, { workerFiles: { pipeline: builtPipeline }, backend: 'cpu' });

  it('streams the stages and training run of a pipeline, which cancels through controlRun', async () => {
    served = serveBuilt();
    const { client, received } = served;
    const { runId } = await client.api.startPipeline({ preset: 'demo', quick: true });
    expect(fixture.catalog.getRun(runId).kind).toBe('pipeline');
    await vi.waitFor(() => expect(received('run.progress').length).toBeGreaterThanOrEqual(1), { timeout: 120_000, interval: 100 });
    await client.api.controlRun({ runId, action: 'cancel' });
    await vi.waitFor(() => expect(received('run.status', runId).at(-1)?.status).toBe('cancelled'), { timeout: 120_000, interval: 100 });

    expect(received('run.status', runId).map((s) => s.status)).toEqual(['running', 'cancelled']);
    const progress = received('pipeline.progress', runId);
    expect(progress[0]).toMatchObject({ stage: pipelineStages[0], stageIndex: 0, stages: pipelineStages.length });
    const trainingId = received('run.progress')[0]!.runId;
    expect(received('run.status', trainingId).map((s) => s.status)).toEqual(['running', 'cancelled']);
    expect(fixture.catalog.getRun(trainingId)).toMatchObject({ kind: 'pretrain-step1', status: 'cancelled' });
    expect(await client.api.getReport({ runId })).toEqual({ runId, htmlPath: null, data: null, problem: null });
  }, 300_000);

  it('refuses a pipeline on a dataset without train and test scenes with the worker\'s error class, writing no run', async () => {
    served = serveBuilt();
    const datasetId = fixture.catalog.importDataset({ name: 'empty', root: fixture.dataDir, format: 'folder', scenes: [] });
    const before = fixture.catalog.listRuns().length;
    const refused = served.client.api.startPipeline({ datasetId, preset: 'demo' });
    await expect(refused).rejects.toThrow(ArgumentError);
    await expect(refused).rejects.toThrow(/dataset empty: the pipeline needs 'train' and 'test' scenes/);
    expect(fixture.catalog.listRuns()).toHaveLength(before);
  });
});
