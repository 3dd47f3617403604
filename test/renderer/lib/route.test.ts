// The page's hash route: every route reads back as itself, unknown addresses open the Library, and a change of
// route gets its own history entry only where a person would go Back to it.
import { describe, expect, it } from 'vitest';
import { formatRoute, historyChange, parseRoute, type Route } from '../../../renderer/src/lib/route';

describe('route', () => {
  const routes: [Route, string][] = [
    [{ tab: 'library', datasetId: null }, '#/library'],
    [{ tab: 'library', datasetId: 2 }, '#/library/2'],
    [{ tab: 'scene', sceneId: 12, panel: 'sync' }, '#/scene/12'],
    [{ tab: 'scene', sceneId: 12, panel: 'annotate' }, '#/scene/12?panel=annotate'],
    [{ tab: 'scene', sceneId: null, panel: 'sync' }, '#/scene'],
    [{ tab: 'training', runId: 7 }, '#/training/run/7'],
    [{ tab: 'training', runId: null }, '#/training'],
    [{ tab: 'results', runId: 9 }, '#/results/9'],
  ];

  it.each(routes)('writes %j as %s and reads it back', (route, hash) => {
    expect(formatRoute(route)).toBe(hash);
    expect(parseRoute(hash)).toEqual(route);
  });

  it('opens the Library for an empty or unknown address, and ignores bad ids and panels', () => {
    expect(parseRoute('')).toEqual({ tab: 'library', datasetId: null });
    expect(parseRoute('#/settings/4')).toEqual({ tab: 'library', datasetId: null });
    expect(parseRoute('#/scene/abc?panel=nope')).toEqual({ tab: 'scene', sceneId: null, panel: 'sync' });
    expect(parseRoute('#/results/0')).toEqual({ tab: 'results', runId: null });
    expect(parseRoute('#/training/7')).toEqual({ tab: 'training', runId: null });
  });

  it('pushes a history entry for another tab, scene or run, and rewrites the entry otherwise', () => {
    const scene = (sceneId: number | null, panel: 'sync' | 'annotate' = 'sync'): Route => ({ tab: 'scene', sceneId, panel });
    expect(historyChange({ tab: 'library', datasetId: 1 }, scene(3))).toBe('push');
    expect(historyChange(scene(3), scene(4))).toBe('push');
    expect(historyChange(scene(3), scene(3, 'annotate'))).toBe('replace');
    expect(historyChange({ tab: 'results', runId: null }, { tab: 'results', runId: 5 })).toBe('replace');
    expect(historyChange({ tab: 'results', runId: 5 }, { tab: 'results', runId: 6 })).toBe('push');
    expect(historyChange(scene(3), scene(null))).toBe('replace');
    expect(historyChange(scene(3), scene(3))).toBe('none');
  });
});
