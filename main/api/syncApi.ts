// The Sync panel's methods: a scene's sync estimate and one ego/exo pair's heat map of that same estimate
// (main/sync/syncProfiles.ts says what is correlated and why).
import type { ApiImpl } from '../../contract/api';
import { SyncChecker } from '../sync/syncProfiles';
import type { ApiContext } from './apiContext';

type SyncMethods = Pick<ApiImpl, 'syncProfile' | 'suggestSyncOffsets'>;

export function syncApi(ctx: ApiContext): SyncMethods {
  // One checker per API: it keeps open files, view signals and the last estimates between calls (the panel asks
  // again after every offset change).
  let checker: SyncChecker | undefined;
  const sync = () => (checker ??= new SyncChecker(ctx.catalog));
  return {
    syncProfile: ({ egoViewId, exoViewId, maxOffset }) => sync().profile(egoViewId, exoViewId, maxOffset),
    suggestSyncOffsets: ({ sceneId, maxOffset }) => sync().suggest(sceneId, maxOffset),
  };
}
