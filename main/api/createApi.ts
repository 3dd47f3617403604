// The main side's implementation of the API contract: the composition root of its areas (browsing, annotations,
// sync, sampling, settings, the PyTorch job export, and the training side's runs). Arguments arrive already
// checked against contract/api.ts (rpc `answer` does that); each area maps its methods onto the catalog and the
// engine.
import type { ApiEvent, ApiEvents, ApiImpl } from '../../contract/api';
import { annotationsApi } from './annotationsApi';
import type { ApiContext } from './apiContext';
import { browsingApi } from './browsingApi';
import { jobsApi } from './jobsApi';
import { trainingUnavailable } from './runsApi';
import { samplingApi } from './samplingApi';
import { settingsApi } from './settingsApi';
import { syncApi } from './syncApi';

export type { ApiContext, RunMethods } from './apiContext';

export function createApi(ctx: ApiContext): ApiImpl {
  // Every catalog change this API reports also invalidates the scene descriptions it caches.
  const emit = <E extends ApiEvent>(event: E, payload: ApiEvents[E]) => {
    if (event === 'catalog.changed') sampling.forgetScenes();
    ctx.emit(event, payload);
  };
  const area: ApiContext = { ...ctx, emit };
  const sampling = samplingApi(area);
  return {
    ...browsingApi(area),
    ...annotationsApi(area),
    ...syncApi(area),
    ...sampling.methods,
    ...settingsApi(area),
    ...jobsApi(area),
    ...(ctx.runs ?? trainingUnavailable()),
  };
}
