// The page's address as a hash route: which tab is open and what it shows (`#/library/2`, `#/scene/12?panel=annotate`,
// `#/training/run/7`, `#/results/9`), so Back, reload and shared links bring the same view back. A hash, because it
// works alike in the browser against the headless host and in Electron's file:// page, and never reaches a server.
// Pure functions: reading and writing a route, and whether a change of route deserves its own history entry.

export const studioTabs = ['library', 'scene', 'training', 'results'] as const;
export type StudioTab = (typeof studioTabs)[number];

/** The Scene tab's side panels; the first is the default (left out of the address). */
export const scenePanels = ['sync', 'annotate', 'sampling'] as const;
export type ScenePanel = (typeof scenePanels)[number];

export type Route =
  | { tab: 'library'; datasetId: number | null }
  | { tab: 'scene'; sceneId: number | null; panel: ScenePanel }
  | { tab: 'training' | 'results'; runId: number | null };

export const defaultRoute: Route = { tab: 'library', datasetId: null };

/** A positive integer id, or null for anything else. */
function idOf(text: string | undefined): number | null {
  if (text === undefined || !/^[1-9]\d{0,15}$/.test(text)) return null;
  return Number(text);
}

/** The route a hash (`#/scene/12?panel=annotate`) names; the Library for an empty or unknown one. */
export function parseRoute(hash: string): Route {
  const text = hash.startsWith('#') ? hash.slice(1) : hash;
  const queryAt = text.indexOf('?');
  const path = queryAt < 0 ? text : text.slice(0, queryAt);
  const query = new URLSearchParams(queryAt < 0 ? '' : text.slice(queryAt + 1));
  const [tab, first, second] = path.split('/').filter((part) => part !== '');
  switch (tab) {
    case 'scene': {
      const panel = query.get('panel');
      return { tab, sceneId: idOf(first), panel: scenePanels.find((p) => p === panel) ?? scenePanels[0] };
    }
    case 'training':
      return { tab, runId: first === 'run' ? idOf(second) : null };
    case 'results':
      return { tab, runId: idOf(first) };
    case 'library':
      return { tab, datasetId: idOf(first) };
    default:
      return defaultRoute;
  }
}

/** The hash of `route`, '#' included. */
export function formatRoute(route: Route): string {
  switch (route.tab) {
    case 'library':
      return route.datasetId === null ? '#/library' : `#/library/${route.datasetId}`;
    case 'scene': {
      const path = route.sceneId === null ? '#/scene' : `#/scene/${route.sceneId}`;
      return route.panel === scenePanels[0] ? path : `${path}?panel=${route.panel}`;
    }
    case 'training':
      return route.runId === null ? '#/training' : `#/training/run/${route.runId}`;
    case 'results':
      return route.runId === null ? '#/results' : `#/results/${route.runId}`;
  }
}

/** The dataset, scene or run a route shows. */
function subject(route: Route): number | null {
  return route.tab === 'library' ? route.datasetId : route.tab === 'scene' ? route.sceneId : route.runId;
}

/**
 * How the address bar follows a change from `previous` to `next`: a new entry ('push') where a person would want to
 * go Back — another tab, another dataset, scene or run — but the same entry rewritten ('replace') when a screen
 * merely fills in what it shows by default (null → a run), forgets it (a deleted scene), or only a side panel changes.
 */
export function historyChange(previous: Route, next: Route): 'push' | 'replace' | 'none' {
  if (formatRoute(previous) === formatRoute(next)) return 'none';
  if (previous.tab !== next.tab) return 'push';
  const before = subject(previous);
  const after = subject(next);
  return before === null || after === null || before === after ? 'replace' : 'push';
}
