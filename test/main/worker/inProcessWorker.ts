// A training "worker" that runs serveTraining in this thread over a MessageChannel: the controller and the worker
// side exchange exactly the messages a worker thread would, with structured cloning, but tests need no build.
import { MessageChannel } from 'node:worker_threads';
import type { BackendReport } from '../../../native/tfBackend';
import type { TrainingWorker } from '../../../main/worker/TrainingController';
import { serveTraining } from '../../../main/worker/serveTraining';

export function inProcessWorker(backend: () => Promise<BackendReport>): TrainingWorker {
  const { port1, port2 } = new MessageChannel();
  void serveTraining(port2, { loadBackend: backend });
  const exitListeners: ((code: number) => void)[] = [];
  return {
    postMessage: (message) => port1.postMessage(message),
    on(event: 'message' | 'error' | 'exit', listener: (value: never) => void) {
      if (event === 'message') port1.on('message', listener as (message: unknown) => void);
      if (event === 'exit') exitListeners.push(listener as (code: number) => void);
      return this;
    },
    off(event: 'message', listener: (message: unknown) => void) {
      port1.off(event, listener);
      return this;
    },
    async terminate() {
      port1.close();
      port2.close();
      for (const listener of exitListeners) listener(1);
      return 1;
    },
  } as TrainingWorker;
}
