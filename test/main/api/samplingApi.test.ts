// The sampling methods through the in-memory rpc pair: counts over the train scenes with one scene's windows,
// argument errors naming the settings field, the cache following offset changes, and saving a config.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SamplingSettingsInput } from '../../../contract/api';
import { ArgumentError, NotFoundError } from '../../../contract/errors';
import { createCatalogFixture, smallSpec, type CatalogFixture } from './catalogFixture';
import { serveApi, type ServedApi } from './servedApi';

let fixture: CatalogFixture;
let api: ServedApi;
let sceneId: number;

const settings: SamplingSettingsInput = { window: 5, stride: 5, scaleMin: 0.5, scaleMax: 2, clipsPerSet: 2, batchPairs: 4, batchGroups: 4 };

beforeEach(() => {
  fixture = createCatalogFixture();
  api = serveApi(fixture.catalog, fixture.dataDir);
  sceneId = fixture.catalog.getDataset(fixture.datasetId).scenes[0]!.id;
});

afterEach(() => {
  api.client.close();
  fixture.cleanup();
});

describe('samplingPreview', () => {
  it('counts windows, pairs and groups of the train scenes and returns the chosen scene windows', async () => {
    const preview = await api.client.api.samplingPreview({ datasetId: fixture.datasetId, sceneId, settings });
    // 30 frames, offsets 0 and 1, longest window 10: starts 0..19, every 5 frames -> 4 windows per scene.
    expect(preview).toEqual({
      windows: 8,
      pairs: 8,
      groups: 8,
      pairSources: 2,
      groupScenes: 2,
      egoPerGroup: 1,
      exoPerGroup: 1,
      pairBatchesPerEpoch: 2,
      groupBatchesPerEpoch: 2,
      warnings: [],
      sceneWindows: [0, 5, 10, 15].map((start) => ({ start, minLength: 2.5, maxLength: 10 })),
    });
  });

  it('has no scene windows without a sceneId', async () => {
    expect((await api.client.api.samplingPreview({ datasetId: fixture.datasetId, settings })).sceneWindows).toEqual([]);
  });

  it('follows a sync offset change made through the API (the scene cache is refreshed)', async () => {
    await api.client.api.samplingPreview({ datasetId: fixture.datasetId, sceneId, settings });
    const exo = fixture.catalog.getScene(sceneId).views.find((v) => v.role === 'exo')!;
    await api.client.api.setSyncOffset({ viewId: exo.id, offsetFrames: 11 });
    const preview = await api.client.api.samplingPreview({ datasetId: fixture.datasetId, sceneId, settings });
    // The exo view now holds scene times [-11, 19): windows of 10 start at 0..9 -> 0 and 5.
    expect(preview.sceneWindows.map((w) => w.start)).toEqual([0, 5]);
    expect(preview.windows).toBe(6);
  });

  it('takes only the named views and reports views that left scenes out', async () => {
    const preview = await api.client.api.samplingPreview({ datasetId: fixture.datasetId, settings: { ...settings, views: ['ego-1', 'exo-1'] } });
    expect(preview.pairSources).toBe(1);
    expect(preview.warnings.join('\n')).toContain('scene-2');
  });

  it.each([
    [{ ...settings, scaleMin: 2, scaleMax: 1 }, 'arguments.settings.scaleMax'],
    [{ ...settings, clipsPerSet: 5 }, 'arguments.settings.clipsPerSet'],
    [{ ...settings, views: [] }, 'arguments.settings.views'],
    [{ ...settings, views: ['nope'] }, 'arguments.settings.views'],
    [{ ...settings, views: ['exo-1'] }, 'arguments.settings.views'],
    [{ ...settings, window: 0 }, 'arguments.settings.window'],
    [{ ...settings, scaleMin: 0 }, 'arguments.settings.scaleMin'],
  ])('refuses settings %j with an ArgumentError naming %s', async (bad, field) => {
    const error = await api.outcome('samplingPreview', { datasetId: fixture.datasetId, settings: bad });
    expect(error).toBeInstanceOf(ArgumentError);
    expect((error as Error).message).toContain(field);
  });

  it('refuses a scene of another dataset naming sceneId', async () => {
    const otherRoot = fixture.datasetRoot;
    const otherId = fixture.catalog.importDataset({ ...smallSpec(otherRoot), name: 'other' });
    const otherScene = fixture.catalog.getDataset(otherId).scenes[0]!.id;
    const error = await api.outcome('samplingPreview', { datasetId: fixture.datasetId, sceneId: otherScene, settings });
    expect(error).toBeInstanceOf(ArgumentError);
    expect((error as Error).message).toContain('arguments.sceneId');
  });

  it.each([
    [{ datasetId: 999, settings }],
    [{ datasetId: 1, sceneId: 999, settings }],
  ])('unknown ids are a NotFoundError: %j', async (args) => {
    const error = await api.outcome('samplingPreview', args);
    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as Error).message).toContain('999');
  });
});

describe('saveSamplingConfig', () => {
  it('saves a named config, replaces it under the same name and announces it', async () => {
    const first = await api.client.api.saveSamplingConfig({ datasetId: fixture.datasetId, name: 'short', config: { window: 5 } });
    const second = await api.client.api.saveSamplingConfig({ datasetId: fixture.datasetId, name: 'short', config: { window: 6 } });
    expect(first.id).toBeGreaterThan(0);
    expect(second.id).toBe(first.id);
    await api.settle();
    expect(api.events).toEqual([
      { datasetId: fixture.datasetId, sceneId: null, what: 'samplingConfig' },
      { datasetId: fixture.datasetId, sceneId: null, what: 'samplingConfig' },
    ]);
  });

  it('refuses an empty name and an unknown dataset', async () => {
    const badName = await api.outcome('saveSamplingConfig', { datasetId: fixture.datasetId, name: '', config: {} });
    expect(badName).toBeInstanceOf(ArgumentError);
    expect((badName as Error).message).toContain('arguments.name');
    const unknown = await api.outcome('saveSamplingConfig', { datasetId: 999, name: 'x', config: {} });
    expect(unknown).toBeInstanceOf(NotFoundError);
    await api.settle();
    expect(api.events).toEqual([]);
  });
});
