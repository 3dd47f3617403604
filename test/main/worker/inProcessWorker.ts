// A "worker" that runs a worker side (serveTraining, servePipeline) in this thread over a MessageChannel: the
// controller gets one port and the worker side serves the job contract on the other through the same
// messagePortTransport a worker thread uses, so both exchange exactly the messages they would across threads, with
// structured cloning, but tests need no build. Closing the controller's port is the worker going away.
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import type { Transport } from '../../../contract/rpc';
import { messagePortTransport } from '../../../main/worker/messagePortTransport';
import { serveTraining } from '../../../main/worker/serveTraining';
import type { BackendReport } from '../../../native/tfBackend';

export type WorkerSide = (transport: Transport, options: { loadBackend: () => Promise<BackendReport> }) => unknown;

/** The controller's end of a worker side served in-process (pass it as a controller's `spawn`). */
export function inProcessWorker(backend: () => Promise<BackendReport>, serve: WorkerSide = serveTraining): MessagePort {
  const { port1, port2 } = new MessageChannel();
  serve(messagePortTransport(port2, 'the app'), { loadBackend: backend });
  return port1;
}
