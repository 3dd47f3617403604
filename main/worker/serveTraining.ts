// The worker side of a training run: loads the TF.js backend, opens its OWN catalog connection (SQLite connections
// are per thread) and runs runTraining with the controller's pause / resume / cancel, streaming its events
// (serveJob does the messaging). trainWorker.ts is the thin entry that gives it parentPort.
import { loadBackend, type BackendReport, type LoadBackendOptions } from '../../native/tfBackend';
import { Catalog } from '../catalog/Catalog';
import { runTraining } from '../engine/training/runTraining';
import type { TrainingEvent, TrainingOutcome } from '../engine/training/trainingEvents';
import { catalogFile } from '../paths';
import { serveJob } from './serveJob';
import type { MessageEndpoint, TrainingStart } from './trainingMessages';

export type ServeTrainingOptions = {
  /** How the backend is chosen (default: native/tfBackend's loadBackend). */
  loadBackend?: (options: LoadBackendOptions) => Promise<BackendReport>;
};

/** Serves one training run on `port`; resolves after the final message was posted. */
export function serveTraining(port: MessageEndpoint, options: ServeTrainingOptions = {}): Promise<void> {
  return serveJob<TrainingStart, TrainingEvent, TrainingOutcome>(port, async (start, control, emit) => {
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
