// startPretrain's arguments as a TrainingRequest: the dataset by name, `steps` set on the trained step's section
// without touching the rest of the overrides, a step-1 run to start from, step 1's extra datasets and shares, and
// bad overrides refused by name.
import { describe, expect, it } from 'vitest';
import { ArgumentError, NotFoundError } from '../../../contract/errors';
import { configOverrides, pretrainRequest } from '../../../main/runs/pretrainRequest';

const savedConfig = {
  id: 11,
  datasetId: 3,
  name: 'long clips',
  createdAt: '',
  config: { preset: 'demo', overrides: { sampling: { window: 40, stride: 10, scaleMin: 0.5, scaleMax: 2, clipsPerSet: 10 }, step1: { batchPairs: 64 }, step2: { batchGroups: 16 } }, views: ['e1', 'v1'] },
};
const catalog = {
  listDatasets: () => [{ id: 3, name: 'demo' }, { id: 7, name: 'charades' }],
  listSamplingConfigs: (datasetId: number) => (datasetId === 3 ? [savedConfig] : []),
} as unknown as Parameters<typeof pretrainRequest>[1];

describe('pretrainRequest', () => {
  it('names the dataset and carries preset, overrides and the run to start from', () => {
    const request = pretrainRequest({ datasetId: 3, step: 2, preset: 'paper', overrides: { step2: { lr: 0.001 } }, initRunId: 5, steps: 20 }, catalog);
    expect(request).toEqual({ mode: 'new', step: 2, dataset: 'demo', preset: 'paper', overrides: { step2: { lr: 0.001, steps: 20 } }, init: { runId: 5 } });
  });

  it('carries the dataset’s saved sampling config by name and settings, refusing another dataset’s', () => {
    const request = pretrainRequest({ datasetId: 3, step: 1, preset: 'demo', samplingConfigId: 11, overrides: { step1: { lr: 0.001 } } }, catalog);
    expect(request).toMatchObject({
      overrides: { step1: { lr: 0.001 } },
      samplingConfig: { id: 11, name: 'long clips', settings: { window: 40, stride: 10, batchPairs: 64, views: ['e1', 'v1'] } },
    });
    expect(() => pretrainRequest({ datasetId: 7, step: 1, preset: 'demo', samplingConfigId: 11 }, catalog)).toThrow('samplingConfigId: dataset 7 has no saved sampling config with id 11');
  });

  it('refuses an unknown dataset with NotFoundError', () => {
    expect(() => pretrainRequest({ datasetId: 4, step: 1, preset: 'demo' }, catalog)).toThrow(NotFoundError);
    expect(() => pretrainRequest({ datasetId: 3, step: 1, preset: 'demo', extraDatasetIds: [4] }, catalog)).toThrow('extraDatasetIds[0]: no dataset with id 4');
  });

  it('names the extra datasets of step 1 and their shares', () => {
    const request = pretrainRequest(
      { datasetId: 3, step: 1, preset: 'demo', extraDatasetIds: [7], mix: [{ datasetId: 7, proportion: 1 }, { datasetId: 3, proportion: 2 }] },
      catalog,
    );
    expect(request).toMatchObject({ dataset: 'demo', extraDatasets: ['charades'], mix: [{ dataset: 'charades', proportion: 1 }, { dataset: 'demo', proportion: 2 }] });
  });

  it('refuses extra datasets for step 2 and shares that do not name exactly the run\'s datasets', () => {
    expect(() => pretrainRequest({ datasetId: 3, step: 2, preset: 'demo', extraDatasetIds: [7] }, catalog)).toThrow(/extraDatasetIds: only step 1 trains on several datasets/);
    expect(() => pretrainRequest({ datasetId: 3, step: 1, preset: 'demo', extraDatasetIds: [7], mix: [{ datasetId: 7, proportion: 1 }] }, catalog)).toThrow(/missing demo/);
    expect(() => pretrainRequest({ datasetId: 3, step: 1, preset: 'demo', extraDatasetIds: [3] }, catalog)).toThrow(/demo is named twice/);
  });

  it.each([
    [{ encoder: { width: 3 } }, 'overrides: unexpected config field encoder.width'],
    [{ optimiser: {} }, 'overrides: unexpected config field optimiser'],
    [{ step1: 'fast' }, 'overrides: expected step1 to be an object'],
    [{ sampling: { window: 0 } }, 'overrides: expected sampling.window >= 1, got 0'],
    ['fast', 'overrides: expected an object of config sections, got "fast"'],
  ])('refuses the overrides %j with ArgumentError: %s', (overrides, message) => {
    const call = () => pretrainRequest({ datasetId: 3, step: 1, preset: 'demo', overrides }, catalog);
    expect(call).toThrow(ArgumentError);
    expect(call).toThrow(message);
  });
});

describe('configOverrides', () => {
  it('sets steps on the trained step only and leaves the given object as it was', () => {
    const given = { step1: { lr: 0.01 }, step2: { steps: 9 } };
    expect(configOverrides(given, 1, 40)).toEqual({ step1: { lr: 0.01, steps: 40 }, step2: { steps: 9 } });
    expect(given.step1).toEqual({ lr: 0.01 });
    expect(configOverrides(undefined, 2, 7)).toEqual({ step2: { steps: 7 } });
    expect(configOverrides(undefined, 1, undefined)).toEqual({});
  });
});
