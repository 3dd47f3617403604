// The worker side of the one-click pipeline: loads the TF.js backend, opens its OWN catalog connection and runs
// runPipeline with the controller's pause / resume / cancel (which its training stages read between steps),
// streaming its stage and training events (serveJob does the messaging). pipelineWorker.ts is the thin entry.
import { loadBackend, type BackendReport, type LoadBackendOptions } from '../../native/tfBackend';
import { Catalog } from '../catalog/Catalog';
import { catalogFile } from '../paths';
import { runPipeline } from '../pipeline/runPipeline';
import type { PipelineEvent, PipelineOutcome, PipelineStart } from './pipelineMessages';
import { serveJob } from './serveJob';
import type { MessageEndpoint } from './workerProtocol';

export type ServePipelineOptions = {
  /** How the backend is chosen (default: native/tfBackend's loadBackend). */
  loadBackend?: (options: LoadBackendOptions) => Promise<BackendReport>;
};

/** Serves one pipeline run on `port`; resolves after the final message was posted. */
export function servePipeline(port: MessageEndpoint, options: ServePipelineOptions = {}): Promise<void> {
  return serveJob<PipelineStart, PipelineEvent, PipelineOutcome>(port, async (start, control, emit) => {
    const backend = await (options.loadBackend ?? loadBackend)(start.backend === undefined ? {} : { force: start.backend });
    const catalog = Catalog.open(catalogFile(start.dataDir));
    try {
      return await runPipeline(start.request, { catalog, dataDir: start.dataDir, backend, onEvent: emit, control });
    } finally {
      catalog.close();
    }
  });
}
