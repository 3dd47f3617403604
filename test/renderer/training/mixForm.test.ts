// Step 1 on several datasets from the Training screen: the arguments the chosen datasets and typed shares make,
// what is refused as typed, and how a run's mix reads.
import { describe, expect, it } from 'vitest';
import type { DatasetMix } from '../../../contract/api';
import { mixArguments, mixRows } from '../../../renderer/src/screens/training/mixForm';

describe('mixArguments', () => {
  it('asks for one dataset when no other is chosen, and by pair counts when no share is typed', () => {
    expect(mixArguments(1, { extraDatasetIds: [], shares: { 1: '3' } })).toEqual({ ok: true });
    expect(mixArguments(1, { extraDatasetIds: [1], shares: {} })).toEqual({ ok: true });
    expect(mixArguments(1, { extraDatasetIds: [4], shares: { 1: ' ', 4: '' } })).toEqual({ ok: true, extraDatasetIds: [4] });
  });

  it('passes typed shares for every dataset, the run\'s own first', () => {
    expect(mixArguments(1, { extraDatasetIds: [4, 2], shares: { 1: '0.5', 4: '0.25', 2: '1e-1' } })).toEqual({
      ok: true,
      extraDatasetIds: [4, 2],
      mix: [{ datasetId: 1, proportion: 0.5 }, { datasetId: 4, proportion: 0.25 }, { datasetId: 2, proportion: 0.1 }],
    });
  });

  it('refuses some shares missing, and shares that are not positive numbers', () => {
    expect(mixArguments(1, { extraDatasetIds: [4], shares: { 1: '1' } })).toEqual({ ok: false, error: 'give a share for every dataset, or none (then by pair counts)' });
    expect(mixArguments(1, { extraDatasetIds: [4], shares: { 1: '1', 4: '-2' } })).toEqual({ ok: false, error: 'expected a positive share, got "-2"' });
    expect(mixArguments(1, { extraDatasetIds: [4], shares: { 1: 'half', 4: '1' } })).toMatchObject({ ok: false });
  });
});

describe('mixRows', () => {
  it('shows each dataset with its pairs and requested and effective shares', () => {
    const entry = { datasetId: 1, name: 'demo', format: 'folder', pairs: 12_345, pairSources: 32, setsPerEpoch: 1240, requested: 0.6, weight: 600_000, effective: 0.5984 };
    const mix: DatasetMix = { version: 1, proportionsFrom: 'given', batches: 300, datasets: [entry, { ...entry, datasetId: 2, name: 'charades', format: 'charades-ego', pairs: 800, requested: 0.4, effective: 0.4016 }] };
    expect(mixRows(mix)).toEqual([
      { name: 'demo', format: 'folder', pairs: '12,345', requested: '60.0 %', effective: '59.8 %' },
      { name: 'charades', format: 'charades-ego', pairs: '800', requested: '40.0 %', effective: '40.2 %' },
    ]);
  });
});
