// The page's state: the open tab and what it shows (the page's route, kept in the address bar by PageAddress), the
// catalog's datasets, the chosen dataset's scenes, the chosen scene's views, the connection, and the last error in
// words. Answers that arrive after the user moved on are dropped, so a slow reply for an earlier choice never
// overwrites the current one.
import { untrack } from 'svelte';
import type { AppInfo, DatasetSummary, SceneDetail, SceneSummary } from '../../../contract/api';
import { shownError, type ShownError } from './errorText';
import { scenePanels, type Route, type ScenePanel, type StudioTab } from './route';
import type { ConnectionState, StudioClient } from './StudioClient';

export type { StudioTab } from './route';
export { describeError } from './errorText';

/** The tabs whose open run is part of the route. */
export type RunTab = 'training' | 'results';

export class StudioState {
  tab = $state<StudioTab>('library');
  appInfo = $state.raw<AppInfo | null>(null);
  /** null while the first answer is awaited. */
  datasets = $state.raw<DatasetSummary[] | null>(null);
  datasetId = $state<number | null>(null);
  scenes = $state.raw<SceneSummary[] | null>(null);
  sceneId = $state<number | null>(null);
  scene = $state.raw<SceneDetail | null>(null);
  /** The Scene tab's side panel. */
  scenePanel = $state<ScenePanel>(scenePanels[0]);
  /** The run each run tab shows (the screens keep it in step with their own choice, see followRouteRun). */
  runIds = $state<Record<RunTab, number | null>>({ training: null, results: null });
  connection = $state<ConnectionState>('connecting');
  error = $state.raw<ShownError | null>(null);

  readonly client: StudioClient;
  #datasetRequest = 0;
  #sceneRequest = 0;

  constructor(client: StudioClient) {
    this.client = client;
  }

  get dataset(): DatasetSummary | null {
    return this.datasets?.find((d) => d.id === this.datasetId) ?? null;
  }

  /** What the page shows, as the address bar writes it. */
  get route(): Route {
    switch (this.tab) {
      case 'library':
        return { tab: 'library', datasetId: this.datasetId };
      case 'scene':
        return { tab: 'scene', sceneId: this.sceneId, panel: this.scenePanel };
      default:
        return { tab: this.tab, runId: this.runIds[this.tab] };
    }
  }

  /** Shows what `route` names (the address at load, or after Back/Forward). */
  navigate(route: Route): void {
    untrack(() => {
      switch (route.tab) {
        case 'library':
          this.tab = 'library';
          if (route.datasetId !== null) void this.selectDataset(route.datasetId);
          break;
        case 'scene':
          this.scenePanel = route.panel;
          if (route.sceneId !== null) void this.openScene(route.sceneId);
          else this.tab = 'scene';
          break;
        default:
          this.tab = route.tab;
          if (route.runId !== null) this.runIds[route.tab] = route.runId;
      }
    });
  }

  /**
   * Loads the catalog and follows its changes; returns a function that stops following. Untracked, so an $effect
   * that calls it does not re-run when the state it fills in changes.
   */
  start(): () => void {
    return untrack(() => this.#follow());
  }

  #follow(): () => void {
    const stopConnection = this.client.onConnection((state) => {
      // After any interruption (not the first connection), what is on screen may be stale.
      const reconnected = state === 'open' && this.connection !== 'open' && this.connection !== 'connecting';
      this.connection = state;
      if (reconnected) void this.refresh();
    });
    const stopEvents = this.client.on('catalog.changed', () => void this.refresh());
    void this.refresh();
    return () => {
      stopConnection();
      stopEvents();
    };
  }

  /** Re-reads everything on screen (after a catalog change or a reconnect). */
  async refresh(): Promise<void> {
    await this.#attempt('Could not load the datasets', async () => {
      const [appInfo, datasets] = await Promise.all([this.client.api.appInfo({}), this.client.api.listDatasets({})]);
      this.appInfo = appInfo;
      this.datasets = datasets;
    });
    if (this.datasetId !== null && this.datasets !== null && !this.dataset) this.#clearDataset();
    if (this.datasetId !== null) await this.#loadScenes(this.datasetId, ++this.#datasetRequest);
    if (this.sceneId !== null) await this.#loadScene(this.sceneId, ++this.#sceneRequest);
  }

  async selectDataset(datasetId: number): Promise<void> {
    if (datasetId === this.datasetId) return;
    this.#clearDataset();
    this.datasetId = datasetId;
    await this.#loadScenes(datasetId, ++this.#datasetRequest);
  }

  /** Opens a scene (of any dataset) in the Scene tab. */
  async openScene(sceneId: number): Promise<void> {
    this.tab = 'scene';
    if (sceneId === this.sceneId && this.scene) return;
    this.sceneId = sceneId;
    this.scene = null;
    const request = ++this.#sceneRequest;
    const datasetId = (await this.#loadScene(sceneId, request))?.scene.datasetId;
    if (request === this.#sceneRequest && datasetId !== undefined && datasetId !== this.datasetId) {
      this.datasetId = datasetId;
      this.scenes = null;
      await this.#loadScenes(datasetId, ++this.#datasetRequest);
    }
  }

  /** Shows `title: what went wrong` in the error banner (every failure the user should know of goes here). */
  report(title: string, error: unknown): void {
    this.error = shownError(title, error);
  }

  dismissError(): void {
    this.error = null;
  }

  /** Forgets the browsed dataset; an open scene stays open in the Scene tab. */
  #clearDataset(): void {
    this.datasetId = null;
    this.scenes = null;
    this.#datasetRequest++;
  }

  async #loadScenes(datasetId: number, request: number): Promise<void> {
    const name = this.dataset?.name ?? `dataset ${datasetId}`;
    await this.#attempt(`Could not load the scenes of “${name}”`, async () => {
      const scenes = await this.client.api.listScenes({ datasetId });
      if (request === this.#datasetRequest) this.scenes = scenes;
    });
  }

  /** The loaded scene, or null when it failed (reported) or a later request superseded it. */
  async #loadScene(sceneId: number, request: number): Promise<SceneDetail | null> {
    let loaded: SceneDetail | null = null;
    await this.#attempt(`Could not load scene ${sceneId}`, async () => {
      try {
        const scene = await this.client.api.getScene({ sceneId });
        if (request === this.#sceneRequest) this.scene = loaded = scene;
      } catch (error) {
        // A scene that is gone (deleted, or a stale link) is closed rather than left "loading" for ever.
        if (request === this.#sceneRequest && error instanceof Error && error.name === 'NotFoundError') {
          this.sceneId = null;
          this.scene = null;
        }
        throw error;
      }
    });
    return loaded;
  }

  async #attempt(what: string, work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (error) {
      this.report(what, error);
    }
  }
}
