// A "worker" that runs a worker side (serveTraining, servePipeline) in this thread over a MessageChannel: the
// controller and the worker side exchange exactly the messages a worker thread would, with structured cloning,
// but tests need no build.
import { MessageChannel } from 'node:worker_threads';
import type { BackendReport } from '../../../native/tfBackend';
import type { JobWorker } from '../../../main/worker/WorkerController';
import { serveTraining } from '../../../main/worker/serveTraining';
import type { MessageEndpoint } from '../../../main/worker/workerProtocol';

type WorkerSide = (port: MessageEndpoint, options: { loadBackend: () => Promise<BackendReport> }) => Promise<void>;

export function inProcessWorker(backend: () => Promise<BackendReport>, serve: WorkerSide = serveTraining): JobWorker {
  const { port1, port2 } = new MessageChannel();
  void serve(port2, { loadBackend: backend });
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
  } as JobWorker;
}
