// The worker side of a training run: waits for 'start', loads the TF.js backend, opens its OWN catalog
// connection (SQLite connections are per thread), runs runTraining with control requests from the port, streams
// events, and answers with 'done' or, when the run could not start, 'error'. A plain function of a port so it can
// be tested in-process over a MessageChannel; trainWorker.ts is the thin entry that gives it parentPort.
import { toWire } from '../../contract/errors';
import { loadBackend, type BackendReport, type LoadBackendOptions } from '../../native/tfBackend';
import { Catalog } from '../catalog/Catalog';
import { runTraining } from '../engine/training/runTraining';
import { TrainingControl } from '../engine/training/trainingControl';
import { catalogFile } from '../paths';
import type { FromWorker, MessageEndpoint, ToWorker } from './trainingMessages';

export type ServeTrainingOptions = {
  /** How the backend is chosen (default: native/tfBackend's loadBackend). */
  loadBackend?: (options: LoadBackendOptions) => Promise<BackendReport>;
};

/** Serves one training run on `port`; resolves after the final message was posted. */
export function serveTraining(port: MessageEndpoint, options: ServeTrainingOptions = {}): Promise<void> {
  const control = new TrainingControl();
  const post = (message: FromWorker) => port.postMessage(message);
  return new Promise((resolve) => {
    let started = false;
    const receive = (raw: unknown) => {
      const message = raw as ToWorker;
      if (message.type === 'pause') control.pause();
      else if (message.type === 'resume') control.resume();
      else if (message.type === 'cancel') control.cancel();
      else if (message.type === 'start' && !started) {
        started = true;
        train(message.start)
          .then((outcome) => post({ type: 'done', outcome }))
          .catch((error: unknown) => post({ type: 'error', error: toWire(error) }))
          .finally(() => {
            port.off('message', receive);
            resolve();
          });
      }
    };
    port.on('message', receive);
  });

  async function train(start: Extract<ToWorker, { type: 'start' }>['start']) {
    const backend = await (options.loadBackend ?? loadBackend)(start.backend === undefined ? {} : { force: start.backend });
    const catalog = Catalog.open(catalogFile(start.dataDir));
    try {
      return await runTraining(
        start.request,
        {
          catalog,
          dataDir: start.dataDir,
          backend,
          onEvent: (event) => post({ type: 'event', event }),
          ...(start.metricsEvery === undefined ? {} : { metricsEvery: start.metricsEvery }),
        },
        control,
      );
    } finally {
      catalog.close();
    }
  }
}
