// The page's state: the open tab, the catalog's datasets, the chosen dataset's scenes, the chosen scene's views, the
// connection, and the last error in words. Answers that arrive after the user moved on are dropped, so a slow reply for an
// earlier choice never overwrites the current one.
import { untrack } from 'svelte';
import type { AppInfo, DatasetSummary, SceneDetail, SceneSummary } from '../../../contract/api';
import type { ConnectionState, StudioClient } from './StudioClient';

export type StudioTab = 'library' | 'scene' | 'training' | 'results';

export class StudioState {
  tab = $state<StudioTab>('library');
  appInfo = $state.raw<AppInfo | null>(null);
  /** null while the first answer is awaited. */
  datasets = $state.raw<DatasetSummary[] | null>(null);
  datasetId = $state<number | null>(null);
  scenes = $state.raw<SceneSummary[] | null>(null);
  sceneId = $state<number | null>(null);
  scene = $state.raw<SceneDetail | null>(null);
  connection = $state<ConnectionState>('connecting');
  error = $state<string | null>(null);

  readonly client: StudioClient;
  #datasetRequest = 0;
  #sceneRequest = 0;

  constructor(client: StudioClient) {
    this.client = client;
  }

  get dataset(): DatasetSummary | null {
    return this.datasets?.find((d) => d.id === this.datasetId) ?? null;
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
      const reconnected = this.connection === 'reconnecting' && state === 'open';
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
    if (this.datasetId !== null && !this.dataset) this.#clearDataset();
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
    this.error = `${title}: ${describeError(error)}`;
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
      const scene = await this.client.api.getScene({ sceneId });
      if (request === this.#sceneRequest) this.scene = loaded = scene;
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

export function describeError(error: unknown): string {
  if (error instanceof Error) return error.name && error.name !== 'Error' ? `${error.message} (${error.name})` : error.message;
  return String(error);
}
