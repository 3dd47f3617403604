// The worker side of the one-click pipeline: loads the TF.js backend, opens its OWN catalog connection and runs
// runPipeline with the controller's pause / resume / cancel (which its training stages read between steps),
// streaming its stage and training events (serveJob serves the job contract). pipelineWorker.ts is the thin entry.
import type { Transport } from '../../contract/rpc';
import { loadBackend, type BackendReport, type LoadBackendOptions } from '../../native/tfBackend';
import { Catalog } from '../catalog/Catalog';
import { catalogFile } from '../paths';
import { runPipeline } from '../pipeline/runPipeline';
import { pipelineJobContract } from './jobContract';
import { serveJob } from './serveJob';

export type ServePipelineOptions = {
  /** How the backend is chosen (default: native/tfBackend's loadBackend). */
  loadBackend?: (options: LoadBackendOptions) => Promise<BackendReport>;
};

/** Serves one pipeline run on `transport`; returns a function that stops serving. */
export function servePipeline(transport: Transport, options: ServePipelineOptions = {}): () => void {
  return serveJob(transport, pipelineJobContract, async (start, control, emit) => {
    const backend = await (options.loadBackend ?? loadBackend)(start.backend === undefined ? {} : { force: start.backend });
    const catalog = Catalog.open(catalogFile(start.dataDir));
    try {
      return await runPipeline(start.request, { catalog, dataDir: start.dataDir, backend, onEvent: emit, control });
    } finally {
      catalog.close();
    }
  });
}
