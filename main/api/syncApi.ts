// The sync check strip's methods: one ego/exo pair's similarity profile and a scene's offset suggestions
// (main/sync/syncProfiles.ts says what is correlated and why).
import type { ApiImpl } from '../../contract/api';
import { SyncChecker } from '../sync/syncProfiles';
import type { ApiContext } from './apiContext';

type SyncMethods = Pick<ApiImpl, 'syncProfile' | 'suggestSyncOffsets'>;

export function syncApi(ctx: ApiContext): SyncMethods {
  // One checker per API: it keeps open files and view signals between calls (the strip is asked again after every
  // offset nudge).
  let checker: SyncChecker | undefined;
  const sync = () => (checker ??= new SyncChecker(ctx.catalog));
  return {
    syncProfile: ({ egoViewId, exoViewId, maxOffset, bins }) => sync().profile(egoViewId, exoViewId, maxOffset, bins),
    suggestSyncOffsets: ({ sceneId, maxOffset }) => sync().suggest(sceneId, maxOffset),
  };
}
