// The pipeline evaluating given pre-training runs (e.g. imported from a PyTorch job): nothing is pre-trained again,
// the report names the given runs, and without a step-2-from-random run the ablation leaves '+step2' out. Runs of
// the wrong kind or status are refused before the pipeline run is created. A given run whose checkpoint file is
// gone fails the pipeline in the stage that needs it, leaving a partial report of the stages before.
import { readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBackend, type BackendReport } from '../../../native/tfBackend';
import { runTraining } from '../../../main/engine/training/runTraining';
import { runPipeline, type PipelineRequest } from '../../../main/pipeline/runPipeline';
import type { ReportData } from '../../../contract/report';
import { createPipelineFixture, type PipelineFixture } from './pipelineFixture';

let fixture: PipelineFixture;
let backend: BackendReport;
const runs = { step1: 0, step2: 0 };

beforeAll(async () => {
  backend = await loadBackend();
  fixture = await createPipelineFixture();
  const context = { catalog: fixture.catalog, dataDir: fixture.dataDir, backend };
  const training = { step1: { steps: 4, checkpointEvery: 4, batchPairs: 32 }, step2: { steps: 2, checkpointEvery: 2, batchGroups: 10 } };
  runs.step1 = (await runTraining({ mode: 'new', step: 1, dataset: fixture.dataset, overrides: training }, context)).runId;
  runs.step2 = (await runTraining({ mode: 'new', step: 2, dataset: fixture.dataset, overrides: training, init: { runId: runs.step1 } }, context)).runId;
}, 300_000);
afterAll(() => fixture?.cleanup());

const request = (given: PipelineRequest['runs']): PipelineRequest => ({
  dataset: fixture.dataset,
  preset: 'demo',
  quick: true,
  seed: 3,
  runs: given,
  settings: { segmentation: { head: { epochs: 1 } }, anticipation: { epochs: 1 } },
});

describe('runPipeline with given pre-training runs', () => {
  it('evaluates them without pre-training, leaving +step2 out of the ablation', { timeout: 600_000 }, async () => {
    const before = fixture.catalog.listRuns().length;
    const outcome = await runPipeline(request(runs), { catalog: fixture.catalog, dataDir: fixture.dataDir, backend });
    expect(outcome.status, outcome.error).toBe('completed');
    const created = fixture.catalog.listRuns().slice(0, fixture.catalog.listRuns().length - before);
    expect(created.map((run) => run.kind)).toEqual(['pipeline']);
    const report = JSON.parse(readFileSync(join(outcome.reportDir, 'report.json'), 'utf8')) as ReportData;
    expect(report.runs).toEqual([{ seed: 3, step1: runs.step1, step2: runs.step2, step2FromRandom: null }]);
    expect(report.ablation!.rows.map((row) => row.variant)).toEqual(['base', 'random', 'step1', 'step1+step2']);
    expect(report.losses.map((curve) => curve.runId)).toEqual([runs.step1, runs.step2]);
    const retrieval = fixture.catalog.listEvaluationResults(outcome.runId).filter((row) => row.task === 'retrieval');
    expect(retrieval.length).toBeGreaterThan(0);
  });

  it('fails in the ablation when the step-2-from-random run’s checkpoint is gone, with a partial report of the stages before', { timeout: 600_000 }, async () => {
    // A second step-2 run stands in for the from-random run; its checkpoint file is moved away.
    const context = { catalog: fixture.catalog, dataDir: fixture.dataDir, backend };
    const training = { step2: { steps: 2, checkpointEvery: 2, batchGroups: 10 } };
    const fromRandom = (await runTraining({ mode: 'new', step: 2, dataset: fixture.dataset, overrides: training }, context)).runId;
    const checkpoint = fixture.catalog.listCheckpoints(fromRandom).at(-1)!.path;
    renameSync(checkpoint, `${checkpoint}.moved`);
    try {
      const outcome = await runPipeline(request({ ...runs, step2FromRandom: fromRandom }), context);
      expect(outcome).toMatchObject({ status: 'failed', reportWritten: true });
      expect(outcome.error).toMatch(/^ablation: /);
      const report = JSON.parse(readFileSync(join(outcome.reportDir, 'report.json'), 'utf8')) as ReportData;
      expect(report).toMatchObject({ status: 'failed', failedStage: 'ablation', error: outcome.error, ablation: null });
      expect(report.retrieval).not.toBeNull();
      expect(report.segmentation).not.toBeNull();
      expect(report.anticipation).not.toBeNull();
      expect(fixture.catalog.getRun(outcome.runId)).toMatchObject({ status: 'failed', error: outcome.error });
    } finally {
      renameSync(`${checkpoint}.moved`, checkpoint);
    }
  });

  it('refuses runs of the wrong kind, or repeating given runs over seeds, before creating the pipeline run', async () => {
    const before = fixture.catalog.listRuns().length;
    const context = { catalog: fixture.catalog, dataDir: fixture.dataDir, backend };
    await expect(runPipeline(request({ step1: runs.step2, step2: runs.step2 }), context)).rejects.toThrow(
      `runs.step1: expected a completed 'pretrain-step1' run, run ${runs.step2} is a completed 'pretrain-step2' run`,
    );
    await expect(runPipeline(request({ step1: runs.step1, step2: runs.step2, step2FromRandom: runs.step1 }), context)).rejects.toThrow(
      /runs\.step2FromRandom: expected a completed 'pretrain-step2' run/,
    );
    await expect(runPipeline({ ...request(runs), seeds: 2, seedsPretrain: true }, context)).rejects.toThrow(
      'seedsPretrain: given pre-training runs cannot be repeated over seeds',
    );
    expect(fixture.catalog.listRuns()).toHaveLength(before);
  });
});
