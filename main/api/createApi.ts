// The main side's implementation of the API contract over the catalog. Arguments arrive already checked against
// contract/api.ts (rpc `answer` does that); this file only maps each method onto the catalog and emits events.
import type { ApiEvent, ApiEvents, ApiImpl, AppInfo } from '../../contract/api';
import type { Catalog } from '../catalog/Catalog';
import { packageVersion } from './packageInfo';

export interface ApiContext {
  catalog: Catalog;
  dataDir: string;
  transport: AppInfo['transport'];
  /** Delivers an event to every connected client. */
  emit: <E extends ApiEvent>(event: E, payload: ApiEvents[E]) => void;
}

export function createApi(ctx: ApiContext): ApiImpl {
  const { catalog } = ctx;
  return {
    appInfo: () => ({
      version: packageVersion(),
      dataDir: ctx.dataDir,
      catalogPath: catalog.file,
      catalogVersion: catalog.schemaVersion,
      transport: ctx.transport,
    }),
    listDatasets: () => catalog.listDatasets(),
    getDataset: ({ datasetId }) => catalog.getDataset(datasetId),
    listScenes: ({ datasetId, search }) => {
      const scenes = catalog.listScenes(datasetId, search);
      // An empty list must still tell an unknown dataset apart: getDataset throws NotFoundError for it.
      if (scenes.length === 0) catalog.getDataset(datasetId);
      return scenes;
    },
    getScene: ({ sceneId }) => catalog.getScene(sceneId),
    setSyncOffset: ({ viewId, offsetFrames }) => {
      const view = catalog.setSyncOffset(viewId, offsetFrames);
      const { scene } = catalog.getScene(view.sceneId);
      ctx.emit('catalog.changed', { datasetId: scene.datasetId, sceneId: scene.id, what: 'syncOffset' });
      return view;
    },
  };
}
