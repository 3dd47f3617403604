// The contract's rpc Transport over a node:worker_threads endpoint: a Worker (the controller's side), the worker's
// parentPort, or one port of a MessageChannel (a worker side run in-process by the tests). Messages cross as they
// are, by structured cloning. The peer going away is reported once, in words, so that connect() fails the calls in
// flight: a Worker that crashed or exited, a port that was closed. After that nothing more can be sent.
import type { MessagePort, Worker } from 'node:worker_threads';
import type { Message, Transport } from '../../contract/rpc';
import { DisconnectedError } from '../../contract/errors';

export type PortEndpoint = Worker | MessagePort;

export interface MessagePortTransport extends Transport {
  /** Ends the endpoint (terminates a Worker, closes a port); the disconnect is reported as for any other end. */
  close(): Promise<void>;
}

/** `peer` names the other side in disconnect reasons ("training worker" → "training worker exited with code 1"). */
export function messagePortTransport(endpoint: PortEndpoint, peer: string): MessagePortTransport {
  const events = endpoint as unknown as NodeJS.EventEmitter;
  const disconnectListeners = new Set<(reason: string) => void>();
  let gone: string | null = null;
  const disconnect = (reason: string) => {
    if (gone !== null) return;
    gone = reason;
    for (const listener of [...disconnectListeners]) listener(reason);
  };
  events.on('error', (error: Error) => disconnect(`${peer} failed (${error.message})`));
  events.on('exit', (code: number) => disconnect(`${peer} exited with code ${code}`));
  events.on('close', () => disconnect(`${peer} closed its port`));

  return {
    send(message: Message) {
      if (gone !== null) throw new DisconnectedError(`not sent: ${gone}`);
      endpoint.postMessage(message);
    },
    onMessage(receive) {
      const listener = (message: Message) => receive(message);
      events.on('message', listener);
      return () => events.off('message', listener);
    },
    onDisconnect(listener) {
      disconnectListeners.add(listener);
      return () => disconnectListeners.delete(listener);
    },
    async close() {
      if ('terminate' in endpoint) await endpoint.terminate();
      else endpoint.close();
    },
  };
}
