// What every area of the API implementation is built from: the catalog, where the app keeps its data, which
// transport serves it, how events reach clients, and (optionally) the training side and backend loader.
import type { ApiEvent, ApiEvents, ApiImpl, AppInfo } from '../../contract/api';
import type { BackendReport } from '../../native/tfBackend';
import type { Catalog } from '../catalog/Catalog';

/** The methods the training side provides (runs, metrics, evaluations, reports). */
export const RUN_METHODS = ['startPretrain', 'startPipeline', 'checkRun', 'controlRun', 'listRuns', 'updateRun', 'getRun', 'runMetrics', 'listEvaluations', 'getReport', 'listReports'] as const;
export type RunMethods = Pick<ApiImpl, (typeof RUN_METHODS)[number]>;

export interface ApiContext {
  catalog: Catalog;
  dataDir: string;
  transport: AppInfo['transport'];
  /** Delivers an event to every connected client. */
  emit: <E extends ApiEvent>(event: E, payload: ApiEvents[E]) => void;
  /** The training side; absent in a process that cannot train (e.g. a read-only host). */
  runs?: RunMethods;
  /** Activates and reports the TF.js backend (default: native/tfBackend loadBackend). */
  loadBackend?: () => Promise<BackendReport>;
}

export type Emit = ApiContext['emit'];
