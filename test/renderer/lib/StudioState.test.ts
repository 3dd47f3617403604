// @vitest-environment jsdom
// The page's state: the route it shows and opening a route (reload, links, Back), re-reading after any interruption
// of the connection (not after the first connection), errors in words without class names, and a scene that is
// gone closed rather than left loading.
import { flushSync } from 'svelte';
import { describe, expect, it, vi } from 'vitest';
import type { SceneDetail } from '../../../contract/api';
import { DisconnectedError, NotFoundError } from '../../../contract/errors';
import { StudioState } from '../../../renderer/src/lib/StudioState.svelte';
import { SyncOffsetError } from '../../../renderer/src/lib/ViewOffsets.svelte';
import { fakeStudioClient } from '../fakeStudioClient';

const scene = (id: number, datasetId = 1): SceneDetail => ({
  scene: { id, datasetId, name: `scene${id}`, split: 'train', egoCount: 1, exoCount: 1, durationS: 10, segmentCount: 0, runCount: 0 },
  datasetName: 'demo',
  views: [],
  segments: [],
});

function studioWith() {
  const client = fakeStudioClient({
    appInfo: async () => ({ version: '0', dataDir: '/d', catalogPath: '/d/c', catalogVersion: 1, transport: 'host' }),
    listDatasets: async () => [
      { id: 1, name: 'demo', root: '/r', format: 'folder', createdAt: '', sceneCount: 2, viewCount: 2, trackCount: 2, segmentCount: 0, runCount: 0 },
    ],
    listScenes: async () => [scene(5).scene],
    getScene: async ({ sceneId }) => {
      if (sceneId === 99) throw new NotFoundError('no scene with id 99 in the catalog');
      return scene(sceneId);
    },
  });
  return { client, studio: new StudioState(client) };
}

describe('StudioState', () => {
  it('describes what it shows as a route: tab, dataset, scene and panel, run', async () => {
    const { studio } = studioWith();
    expect(studio.route).toEqual({ tab: 'library', datasetId: null });
    await studio.openScene(5);
    studio.scenePanel = 'annotate';
    expect(studio.route).toEqual({ tab: 'scene', sceneId: 5, panel: 'annotate' });
    studio.tab = 'results';
    studio.runIds.results = 4;
    expect(studio.route).toEqual({ tab: 'results', runId: 4 });
    studio.tab = 'library';
    expect(studio.route).toEqual({ tab: 'library', datasetId: 1 });
  });

  it('opens the scene, dataset or run a route names', async () => {
    const { studio, client } = studioWith();
    studio.navigate({ tab: 'scene', sceneId: 5, panel: 'sampling' });
    await vi.waitFor(() => expect(studio.scene?.scene.id).toBe(5));
    expect(studio.tab).toBe('scene');
    expect(studio.scenePanel).toBe('sampling');
    expect(studio.datasetId).toBe(1);
    expect(client.api.getScene).toHaveBeenCalledWith({ sceneId: 5 });

    studio.navigate({ tab: 'training', runId: 7 });
    expect(studio.tab).toBe('training');
    expect(studio.runIds.training).toBe(7);
    studio.navigate({ tab: 'library', datasetId: null });
    expect(studio.route).toEqual({ tab: 'library', datasetId: 1 });
  });

  it('closes a scene that is gone, saying why, instead of loading it for ever', async () => {
    const { studio } = studioWith();
    studio.navigate({ tab: 'scene', sceneId: 99, panel: 'sync' });
    await vi.waitFor(() => expect(studio.error).toMatchObject({ title: 'Could not load scene 99', message: 'no scene with id 99 in the catalog' }));
    expect(studio.sceneId).toBeNull();
  });

  it('re-reads the catalog after any interruption of the connection, but not on the first connection', async () => {
    const { studio, client } = studioWith();
    const stop = studio.start();
    await vi.waitFor(() => expect(studio.datasets).not.toBeNull());
    // A re-read asks for the datasets at once (before its first await), so a count checked right away is final.
    const reads = () => client.api.listDatasets.mock.calls.length;
    expect(reads()).toBe(1);
    client.connection('open');
    expect(reads()).toBe(1);
    for (const lost of ['reconnecting', 'unreachable'] as const) {
      const before = reads();
      client.connection(lost);
      expect(studio.connection).toBe(lost);
      client.connection('open');
      expect(reads()).toBe(before + 1);
    }
    client.connection('restarted');
    expect(studio.connection).toBe('restarted');
    stop();
  });

  it('keeps the open dataset when the datasets cannot be read (disconnected), and says so in words', async () => {
    const { studio, client } = studioWith();
    await studio.selectDataset(1);
    client.api.listDatasets.mockRejectedValueOnce(new DisconnectedError('not sent: the connection to the EVGAP host is lost (reconnecting)'));
    await studio.refresh();
    expect(studio.datasetId).toBe(1);
    expect(studio.error?.message).toBe('not sent: the connection to the EVGAP host is lost (reconnecting)');
    expect(studio.error?.detail).toContain('Not connected to the EVGAP host');
  });

  it('shows errors as what failed and why, with the class name only in the details', () => {
    const { studio } = studioWith();
    studio.report('Sync offset of view v2 not changed', new SyncOffsetError('expected a whole number of frames, got NaN'));
    flushSync();
    expect(studio.error).toEqual({
      title: 'Sync offset of view v2 not changed',
      message: 'expected a whole number of frames, got NaN',
      detail: 'SyncOffsetError: expected a whole number of frames, got NaN',
    });
    studio.dismissError();
    expect(studio.error).toBeNull();
  });
});
