// startPretrain's arguments as a TrainingRequest: the dataset by name, `steps` set on the trained step's section
// without touching the rest of the overrides, a step-1 run to start from, and bad overrides refused by name.
import { describe, expect, it } from 'vitest';
import { ArgumentError, NotFoundError } from '../../../contract/errors';
import { configOverrides, pretrainRequest } from '../../../main/runs/pretrainRequest';

const catalog = { listDatasets: () => [{ id: 3, name: 'demo' }] } as unknown as Parameters<typeof pretrainRequest>[1];

describe('pretrainRequest', () => {
  it('names the dataset and carries preset, overrides and the run to start from', () => {
    const request = pretrainRequest({ datasetId: 3, step: 2, preset: 'paper', overrides: { step2: { lr: 0.001 } }, initRunId: 5, steps: 20 }, catalog);
    expect(request).toEqual({ mode: 'new', step: 2, dataset: 'demo', preset: 'paper', overrides: { step2: { lr: 0.001, steps: 20 } }, init: { runId: 5 } });
  });

  it('refuses an unknown dataset with NotFoundError', () => {
    expect(() => pretrainRequest({ datasetId: 4, step: 1, preset: 'demo' }, catalog)).toThrow(NotFoundError);
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
