// @vitest-environment jsdom
// The address bar and the page's state in step: the address at load is opened (reload, links) and loses the host's
// token; a new tab, scene or run is a new history entry, a side panel or a default run rewrites the current one;
// Back opens the route it lands on.
import { flushSync } from 'svelte';
import { afterEach, describe, expect, it } from 'vitest';
import { PageAddress } from '../../../renderer/src/lib/PageAddress.svelte';
import { StudioState } from '../../../renderer/src/lib/StudioState.svelte';
import { fakeStudioClient } from '../fakeStudioClient';

const popped = () => new Promise<void>((resolve) => window.addEventListener('popstate', () => resolve(), { once: true }));

function studioAt(url: string) {
  window.history.replaceState(null, '', url);
  const client = fakeStudioClient({
    getScene: async ({ sceneId }) => ({
      scene: { id: sceneId, datasetId: 1, name: `scene${sceneId}`, split: null, egoCount: 0, exoCount: 0, durationS: 1, segmentCount: 0, runCount: 0 },
      datasetName: 'demo',
      views: [],
      segments: [],
    }),
    listScenes: async () => [],
  });
  const studio = new StudioState(client);
  return { studio, address: new PageAddress(window, studio) };
}

let stop: (() => void) | null = null;
afterEach(() => {
  stop?.();
  stop = null;
});

describe('PageAddress', () => {
  it('opens the route of the address at load and takes the token out of the address bar', () => {
    const { studio, address } = studioAt('/?token=abc123&lang=en#/scene/5?panel=annotate');
    stop = address.start();
    expect(studio.tab).toBe('scene');
    expect(studio.sceneId).toBe(5);
    expect(studio.scenePanel).toBe('annotate');
    expect(window.location.search).toBe('?lang=en');
    expect(window.location.hash).toBe('#/scene/5?panel=annotate');
  });

  it('adds a history entry for a new tab or scene, and rewrites the entry for a panel or a default run', () => {
    const { studio, address } = studioAt('/#/library');
    stop = address.start();
    const entries = window.history.length;
    void studio.openScene(3);
    flushSync();
    expect(window.location.hash).toBe('#/scene/3');
    expect(window.history.length).toBe(entries + 1);
    studio.scenePanel = 'sampling';
    flushSync();
    expect(window.location.hash).toBe('#/scene/3?panel=sampling');
    expect(window.history.length).toBe(entries + 1);
    studio.tab = 'results';
    flushSync();
    studio.runIds.results = 8; // the screen filled in its default run
    flushSync();
    expect(window.location.hash).toBe('#/results/8');
    expect(window.history.length).toBe(entries + 2);
  });

  it('opens the route Back lands on, and a hash typed into the address bar', async () => {
    const { studio, address } = studioAt('/#/library');
    stop = address.start();
    void studio.openScene(4);
    flushSync();
    studio.tab = 'training';
    flushSync();
    expect(window.location.hash).toBe('#/training');
    const back = popped();
    window.history.back();
    await back;
    expect(window.location.hash).toBe('#/scene/4');
    expect(studio.tab).toBe('scene');
    expect(studio.sceneId).toBe(4);
    const typed = new Promise<void>((resolve) => window.addEventListener('hashchange', () => resolve(), { once: true }));
    window.location.hash = '#/results/12';
    await typed;
    expect(studio.route).toEqual({ tab: 'results', runId: 12 });
  });
});
