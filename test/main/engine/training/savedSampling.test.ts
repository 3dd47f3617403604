// A saved sampling configuration as a run uses it: read back from what the Sampling panel stores (or refused,
// naming the field), applied under the request's overrides, its views the only ones sampled, stored in the run's
// config with its name — also for a resumed run — and the pipeline run that started a run recorded with it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunSamplingConfig } from '../../../../contract/api';
import { ArgumentError, NotFoundError } from '../../../../contract/errors';
import { resolveConfig } from '../../../../main/engine/config';
import { runSamplingConfig, savedSamplingSettings, samplingConfigInfo, storedSamplingConfig, withSavedSampling } from '../../../../main/engine/sampling/savedSampling';
import { prepareTraining } from '../../../../main/engine/training/prepareTraining';
import { runTraining } from '../../../../main/engine/training/runTraining';
import type { BackendReport } from '../../../../native/tfBackend';
import { cpuBackend, createTrainingFixture, tinyOverrides, type TrainingFixture } from './trainingFixture';

/** What the Sampling panel's "Save as sampling config" stores (renderer samplingForm.ts samplingConfig). */
const saved = (views: string[] | null, window = 4) => ({
  preset: 'demo',
  overrides: { sampling: { window, stride: 4, scaleMin: 1, scaleMax: 1, clipsPerSet: 4 }, step1: { batchPairs: 8 }, step2: { batchGroups: 4 } },
  views,
});

let fixture: TrainingFixture;
let backend: BackendReport;
let dataset: string;
let datasetId: number;

beforeAll(async () => {
  backend = await cpuBackend();
  fixture = createTrainingFixture();
  dataset = fixture.addDataset({ scenes: 2, ego: 1, exo: 2 });
  datasetId = fixture.catalog.findDatasetByName(dataset)!.id;
});
afterAll(() => fixture.cleanup());

describe('a saved sampling configuration', () => {
  it('reads the Sampling panel’s stored shape as settings, and refuses another shape naming the field', () => {
    expect(savedSamplingSettings(saved(['ego0']), 'c')).toEqual({
      preset: 'demo',
      settings: { window: 4, stride: 4, scaleMin: 1, scaleMax: 1, clipsPerSet: 4, batchPairs: 8, batchGroups: 4, views: ['ego0'] },
    });
    expect(() => savedSamplingSettings({ overrides: { sampling: {}, step1: {}, step2: {} } }, 'sampling config “x”')).toThrow(
      'sampling config “x”: expected overrides.sampling.window to be a number, got undefined',
    );
    expect(() => savedSamplingSettings({ ...saved(null), views: [] }, 'c')).toThrow(/views to be null or a non-empty list/);
    expect(() => savedSamplingSettings([1], 'c')).toThrow(ArgumentError);
  });

  it('is listed with its settings, or with the reason they cannot be read', () => {
    fixture.catalog.saveSamplingConfig(datasetId, 'good', saved(null));
    fixture.catalog.saveSamplingConfig(datasetId, 'old', { windowFrames: 20 });
    const [good, old] = fixture.catalog.listSamplingConfigs(datasetId).map(samplingConfigInfo);
    expect(good).toMatchObject({ name: 'good', preset: 'demo', settings: { window: 4, views: null }, problem: null });
    expect(old).toMatchObject({ name: 'old', settings: null, problem: expect.stringMatching(/expected \{preset, overrides, views\}/) });
    expect(() => runSamplingConfig(fixture.catalog, datasetId, old!.id)).toThrow(/samplingConfigId: sampling config “old”/);
    expect(() => runSamplingConfig(fixture.catalog, datasetId, 9999)).toThrow(NotFoundError);
  });

  it('applies under the request’s overrides: what the request sets itself wins', () => {
    const settings = savedSamplingSettings(saved(null, 6), 'c').settings;
    const merged = withSavedSampling({ step1: { batchPairs: 16, lr: 0.01 }, seed: 3 }, settings);
    expect(merged).toEqual({
      sampling: { window: 6, stride: 4, scaleMin: 1, scaleMax: 1, clipsPerSet: 4 },
      step1: { batchPairs: 16, lr: 0.01 },
      step2: { batchGroups: 4 },
      seed: 3,
    });
    expect(resolveConfig('demo', merged).encoder.tokens).toBe(6);
  });

  it('samples only its views, and a run stores it with its name and its parent pipeline', async () => {
    const all = await prepareTraining({ mode: 'new', step: 1, dataset, overrides: tinyOverrides() }, fixture.catalog);
    all.store.close();
    const id = fixture.catalog.saveSamplingConfig(datasetId, 'one exo', saved(['ego0', 'exo1']));
    const samplingConfig: RunSamplingConfig = runSamplingConfig(fixture.catalog, datasetId, id);
    const some = await prepareTraining({ mode: 'new', step: 1, dataset, overrides: tinyOverrides(), samplingConfig }, fixture.catalog);
    some.store.close();
    // Each scene's pair sources are its (ego, exo) combinations: 1 × 2 with every view, 1 × 1 with the saved ones.
    expect(some.sampler.batchesPerEpoch).toBeLessThan(all.sampler.batchesPerEpoch);

    const pipeline = fixture.catalog.createRun({ datasetId, kind: 'pipeline', config: { request: { quick: true } }, seed: 7, backend: null });
    const outcome = await runTraining(
      { mode: 'new', step: 1, dataset, overrides: tinyOverrides({ steps: 4, checkpointEvery: 2 }), samplingConfig },
      { catalog: fixture.catalog, dataDir: fixture.dataDir, backend, parentRunId: pipeline },
    );
    expect(outcome.status).toBe('completed');
    const run = fixture.catalog.getRun(outcome.runId);
    expect(run).toMatchObject({ parentRunId: pipeline, quick: true });
    expect(storedSamplingConfig(run.config)).toEqual(samplingConfig);

    // A resumed run samples the stored config's views again.
    fixture.catalog.setRunStatus(outcome.runId, 'failed', { error: 'stopped for the test' });
    const resumed = await prepareTraining({ mode: 'resume', runId: outcome.runId }, fixture.catalog);
    resumed.store.close();
    expect(resumed.samplingConfig).toEqual(samplingConfig);
    expect(resumed.sampler.batchesPerEpoch).toBe(some.sampler.batchesPerEpoch);
  });
});
