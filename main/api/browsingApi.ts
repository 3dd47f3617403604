// The library's read side and the one browsing edit: datasets, scenes, a scene's views, tracks and segments, and
// a view's sync offset.
import type { ApiImpl } from '../../contract/api';
import { packageVersion } from './packageInfo';
import type { ApiContext } from './apiContext';

type BrowsingMethods = Pick<ApiImpl, 'appInfo' | 'listDatasets' | 'getDataset' | 'listScenes' | 'getScene' | 'setSyncOffset'>;

export function browsingApi(ctx: ApiContext): BrowsingMethods {
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
