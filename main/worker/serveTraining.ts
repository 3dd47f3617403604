// The worker side of a training run: loads the TF.js backend, opens its OWN catalog connection (SQLite connections
// are per thread) and runs runTraining with the controller's pause / resume / cancel, streaming its events
// (serveJob serves the job contract). trainWorker.ts is the thin entry that gives it parentPort.
import type { Transport } from '../../contract/rpc';
import { loadBackend, type BackendReport, type LoadBackendOptions } from '../../native/tfBackend';
import { Catalog } from '../catalog/Catalog';
import { runTraining } from '../engine/training/runTraining';
import { catalogFile } from '../paths';
import { trainingJobContract } from './jobContract';
import { serveJob } from './serveJob';

export type ServeTrainingOptions = {
  /** How the backend is chosen (default: native/tfBackend's loadBackend). */
  loadBackend?: (options: LoadBackendOptions) => Promise<BackendReport>;
};

/** Serves one training run on `transport`; returns a function that stops serving. */
export function serveTraining(transport: Transport, options: ServeTrainingOptions = {}): () => void {
  return serveJob(transport, trainingJobContract, async (start, control, emit) => {
    const backend = await (options.loadBackend ?? loadBackend)(start.backend === undefined ? {} : { force: start.backend });
    const catalog = Catalog.open(catalogFile(start.dataDir));
    try {
      return await runTraining(
        start.request,
        {
          catalog,
          dataDir: start.dataDir,
          backend,
          onEvent: emit,
          ...(start.metricsEvery === undefined ? {} : { metricsEvery: start.metricsEvery }),
        },
        control,
      );
    } finally {
      catalog.close();
    }
  });
}
