// Bad input stops a run before it starts: a clear error, and nothing written (no run row, no run folder).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArgumentError, NotFoundError } from '../../../../contract/errors';
import type { BackendReport } from '../../../../native/tfBackend';
import { NpyWriter } from '../../../../main/formats/npy';
import { runTraining } from '../../../../main/engine/training/runTraining';
import type { TrainingRequest } from '../../../../main/engine/training/prepareTraining';
import { cpuBackend, createTrainingFixture, tinyOverrides, type TrainingFixture } from './trainingFixture';

let fixture: TrainingFixture;
let backend: BackendReport;
let dataset: string;
let step1Run: number;

beforeAll(async () => {
  backend = await cpuBackend();
  fixture = createTrainingFixture();
  dataset = fixture.addDataset({ scenes: 2, ego: 1, exo: 2 });
  const outcome = await runTraining(
    { mode: 'new', step: 1, dataset, overrides: tinyOverrides({ steps: 2, checkpointEvery: 1 }) },
    { catalog: fixture.catalog, dataDir: fixture.dataDir, backend },
  );
  step1Run = outcome.runId;
});
afterAll(() => fixture.cleanup());

/** Runs the request, expecting it to fail with `error` and leave the catalog's runs and the runs folder as they were. */
async function expectRefused(request: TrainingRequest, error: new (message: string) => Error, message: RegExp): Promise<void> {
  const runsBefore = fixture.catalog.listRuns().length;
  const promise = runTraining(request, { catalog: fixture.catalog, dataDir: fixture.dataDir, backend });
  await expect(promise).rejects.toThrow(error);
  await expect(promise).rejects.toThrow(message);
  expect(fixture.catalog.listRuns()).toHaveLength(runsBefore);
  expect(existsSync(join(fixture.dataDir, 'runs', String(runsBefore + 1)))).toBe(false);
}

describe('runTraining refuses before writing anything', () => {
  it('an unknown dataset', async () => {
    await expectRefused({ mode: 'new', step: 1, dataset: 'nope', overrides: tinyOverrides() }, NotFoundError, /no dataset named "nope"/);
  });

  it('out-of-range settings', async () => {
    const overrides = tinyOverrides();
    overrides.step1!.batchPairs = 1;
    await expectRefused({ mode: 'new', step: 1, dataset, overrides }, ArgumentError, /expected step1.batchPairs >= 2, got 1/);
    await expectRefused({ mode: 'new', step: 1, dataset, overrides: { ...tinyOverrides(), step1: { steps: 0 } } }, ArgumentError, /step1.steps >= 1/);
  });

  it('a dataset without exo views', async () => {
    const egoOnly = fixture.addDataset({ scenes: 2, ego: 2, exo: 0 });
    await expectRefused({ mode: 'new', step: 1, dataset: egoOnly, overrides: tinyOverrides() }, ArgumentError, /no exo views/);
  });

  it('features of another dimension than the encoder input', async () => {
    const wide = fixture.addDataset({ scenes: 2, ego: 1, exo: 2, featureDim: 6 });
    await expectRefused({ mode: 'new', step: 1, dataset: wide, overrides: tinyOverrides() }, ArgumentError, /expected features of dimension 8.*got 6/);
  });

  it('a feature file whose shape differs from the catalog', async () => {
    const broken = fixture.addDataset({ scenes: 2, ego: 1, exo: 2, name: 'broken' });
    const file = join(fixture.dataDir, 'datasets', broken, 's1-v1.npy');
    const writer = NpyWriter.create(file, { dtype: 'float32', rows: 120, cols: 5 });
    writer.writeRows(new Float32Array(600));
    writer.close();
    await expectRefused({ mode: 'new', step: 1, dataset: broken, overrides: tinyOverrides() }, ArgumentError, /s1-v1\.npy holds \[120, 5\]/);
  });

  it('a step-2 init run that is not a completed step-1 run', async () => {
    const step2 = { mode: 'new' as const, step: 2 as const, dataset, overrides: tinyOverrides() };
    const queued = fixture.catalog.createRun({ datasetId: null, kind: 'pretrain-step1', config: {}, seed: 1, backend: null });
    await expectRefused({ ...step2, init: { runId: queued } }, ArgumentError, /expected a completed 'pretrain-step1' run, run \d+ is a queued/);
    await expectRefused({ ...step2, init: { runId: 999 } }, NotFoundError, /no run with id 999/);
    await expectRefused({ ...step2, init: { runId: step1Run, checkpointStep: 7 } }, ArgumentError, /no checkpoint at step 7 \(checkpoints: 0, 1, 2\)/);
    const otherEncoder = tinyOverrides();
    otherEncoder.encoder!.modelDim = 32;
    await expectRefused({ ...step2, overrides: otherEncoder, init: { runId: step1Run } }, ArgumentError, /encoder.modelDim: 16 → 32/);
    await expectRefused({ ...step2, step: 1, init: { runId: step1Run } } as TrainingRequest, ArgumentError, /only a step-2 run/);
  });
});

describe('the encoder input dimension', () => {
  it('follows the dataset when the request does not set it', async () => {
    const wide = fixture.addDataset({ scenes: 2, ego: 1, exo: 2, featureDim: 6 });
    const { encoder, ...rest } = tinyOverrides({ steps: 1, checkpointEvery: 1 });
    const { inputDim: _unset, ...encoderWithoutDim } = encoder!;
    const outcome = await runTraining(
      { mode: 'new', step: 1, dataset: wide, overrides: { ...rest, encoder: encoderWithoutDim } },
      { catalog: fixture.catalog, dataDir: fixture.dataDir, backend },
    );
    expect(outcome.status).toBe('completed');
    expect((fixture.catalog.getRun(outcome.runId).config as { encoder: { inputDim: number } }).encoder.inputDim).toBe(6);
  });
});
