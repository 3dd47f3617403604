// The API implementation through the in-memory rpc pair: every method, argument errors that change nothing,
// unknown ids, and errors arriving as the same Error subclass.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiEvents } from '../../../contract/api';
import { ArgumentError, NotFoundError, RemoteError } from '../../../contract/errors';
import { connect, memoryPair, serve, type Client } from '../../../contract/rpc';
import { createApi } from '../../../main/api/createApi';
import { packageVersion } from '../../../main/api/packageInfo';
import { createCatalogFixture, type CatalogFixture } from './catalogFixture';

let fixture: CatalogFixture;
let client: Client;
let events: ApiEvents['catalog.changed'][];

beforeEach(() => {
  fixture = createCatalogFixture();
  events = [];
  const [serverEnd, clientEnd] = memoryPair();
  const served = serve(
    createApi({
      catalog: fixture.catalog,
      dataDir: fixture.dataDir,
      transport: 'memory',
      emit: (event, payload) => served.emit(event, payload),
    }),
    serverEnd,
  );
  client = connect(clientEnd);
  client.on('catalog.changed', (payload) => events.push(payload));
});

afterEach(() => {
  client.close();
  fixture.cleanup();
});

/** Everything the API can show, to prove a refused call changed nothing. */
function snapshot() {
  const { catalog } = fixture;
  return catalog.listDatasets().map((dataset) => ({
    detail: catalog.getDataset(dataset.id),
    scenes: catalog.getDataset(dataset.id).scenes.map((scene) => catalog.getScene(scene.id)),
  }));
}

const firstView = () => {
  const sceneId = fixture.catalog.getDataset(fixture.datasetId).scenes[0]!.id;
  return fixture.catalog.getScene(sceneId).views[0]!;
};

describe('createApi over the in-memory transport', () => {
  it('appInfo reports version, data folder, catalog and transport', async () => {
    const info = await client.api.appInfo({});
    expect(info).toEqual({
      version: packageVersion(),
      dataDir: fixture.dataDir,
      catalogPath: fixture.catalog.file,
      catalogVersion: fixture.catalog.schemaVersion,
      transport: 'memory',
    });
    expect(info.version).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('listDatasets and getDataset return the catalog rows', async () => {
    const datasets = await client.api.listDatasets({});
    expect(datasets).toEqual(fixture.catalog.listDatasets());
    expect(datasets).toMatchObject([{ name: 'small', sceneCount: 2, viewCount: 4, trackCount: 4, segmentCount: 4 }]);
    const detail = await client.api.getDataset({ datasetId: fixture.datasetId });
    expect(detail.dataset.name).toBe('small');
    expect(detail.scenes.map((scene) => scene.name)).toEqual(['scene-1', 'scene-2']);
    expect(detail.runs).toEqual([]);
  });

  it('listScenes lists and searches the scenes of a dataset', async () => {
    expect((await client.api.listScenes({ datasetId: fixture.datasetId })).map((s) => s.name)).toEqual(['scene-1', 'scene-2']);
    expect((await client.api.listScenes({ datasetId: fixture.datasetId, search: 'scene-2' })).map((s) => s.name)).toEqual([
      'scene-2',
    ]);
    expect(await client.api.listScenes({ datasetId: fixture.datasetId, search: 'no such scene' })).toEqual([]);
  });

  it('getScene returns views with tracks and segments', async () => {
    const sceneId = (await client.api.listScenes({ datasetId: fixture.datasetId }))[0]!.id;
    const scene = await client.api.getScene({ sceneId });
    expect(scene.datasetName).toBe('small');
    expect(scene.views.map((v) => [v.role, v.track?.frameCount, v.track?.featureDim])).toEqual([
      ['ego', 30, 16],
      ['exo', 30, 16],
    ]);
    expect(scene.segments.map((s) => s.label)).toEqual(['take cup', 'pour water']);
  });

  it('setSyncOffset stores the offset, returns the view and emits catalog.changed', async () => {
    const view = firstView();
    const updated = await client.api.setSyncOffset({ viewId: view.id, offsetFrames: -7 });
    expect(updated).toEqual({ ...view, syncOffsetFrames: -7 });
    expect(firstView().syncOffsetFrames).toBe(-7);
    // A call's answer comes after every message sent before it: the event has arrived once appInfo answers.
    await client.api.appInfo({});
    expect(events).toEqual([{ datasetId: fixture.datasetId, sceneId: view.sceneId, what: 'syncOffset' }]);
  });

  it.each([
    ['getDataset', { datasetId: 0 }, 'arguments.datasetId'],
    ['getDataset', { datasetId: '1' }, 'arguments.datasetId'],
    ['getDataset', {}, 'arguments.datasetId'],
    ['listScenes', { datasetId: 1, search: 5 }, 'arguments.search'],
    ['listScenes', { datasetId: 1, search: 'x'.repeat(201) }, 'arguments.search'],
    ['getScene', { sceneId: 1.5 }, 'arguments.sceneId'],
    ['setSyncOffset', { viewId: 1, offsetFrames: 1_000_001 }, 'arguments.offsetFrames'],
    ['setSyncOffset', { viewId: 1, offsetFrames: '3' }, 'arguments.offsetFrames'],
    ['setSyncOffset', { viewId: -1, offsetFrames: 3 }, 'arguments.viewId'],
    ['setSyncOffset', { viewId: 1, offsetFrames: 3, extra: true }, 'arguments.extra'],
    ['appInfo', [], 'arguments'],
  ])('%s(%j) is refused with an ArgumentError naming %s, changing nothing', async (method, args, argument) => {
    const before = snapshot();
    const call = (client.api as unknown as Record<string, (a: unknown) => Promise<unknown>>)[method]!(args);
    const error = await call.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ArgumentError);
    expect((error as Error).message).toContain(argument);
    expect(snapshot()).toEqual(before);
    expect(events).toEqual([]);
  });

  it('an unknown method is refused with an ArgumentError', async () => {
    const call = (client.api as unknown as Record<string, (a: unknown) => Promise<unknown>>)['dropTables']!({});
    await expect(call).rejects.toBeInstanceOf(ArgumentError);
  });

  it.each([
    ['getDataset', { datasetId: 999 }],
    ['listScenes', { datasetId: 999 }],
    ['getScene', { sceneId: 999 }],
    ['setSyncOffset', { viewId: 999, offsetFrames: 1 }],
  ])('%s with an unknown id is a NotFoundError', async (method, args) => {
    const before = snapshot();
    const call = (client.api as unknown as Record<string, (a: unknown) => Promise<unknown>>)[method]!(args);
    const error = await call.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as Error).message).toContain('999');
    expect(snapshot()).toEqual(before);
    expect(events).toEqual([]);
  });

  it('a failure of the main side arrives as a RemoteError', async () => {
    fixture.catalog.close();
    const error = await client.api.listDatasets({}).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(RemoteError);
  });
});
