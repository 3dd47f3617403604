// serve(impl, transport) and connect(transport), written once for every message transport (the headless host's
// WebSocket, the worker's MessagePort, the in-memory test pair). Electron IPC uses `answer` per invoke instead,
// since ipcMain.handle already pairs requests with replies.

import {
  apiArgs,
  isApiMethod,
  type Api,
  type ApiEvent,
  type ApiEvents,
  type ApiImpl,
  type ApiMethod,
} from './api';
import { fromWire, toWire, type WireError } from './errors';
import { ArgumentError } from './schema';

export type Envelope<T = unknown> = { ok: true; value: T } | { ok: false; error: WireError };

export type Message =
  | { type: 'call'; id: number; method: string; args: unknown }
  | { type: 'reply'; id: number; reply: Envelope }
  | { type: 'event'; name: string; payload: unknown };

/** A bidirectional channel of structured-clonable messages. */
export interface Transport {
  send(message: Message): void;
  /** Registers the receiver; returns a function that removes it. */
  onMessage(receive: (message: Message) => void): () => void;
}

/** Checks the method and its arguments against the contract, runs it, and wraps the outcome. Never throws. */
export async function answer(impl: ApiImpl, method: unknown, args: unknown): Promise<Envelope> {
  try {
    if (!isApiMethod(method)) throw new ArgumentError(`unknown method ${JSON.stringify(method)}`);
    const checked = apiArgs[method].check(args ?? {}, 'arguments');
    const value = await (impl[method] as (a: unknown) => unknown)(checked);
    return { ok: true, value };
  } catch (error) {
    return { ok: false, error: toWire(error) };
  }
}

export function unwrap<T>(envelope: Envelope<T>): T {
  if (envelope.ok) return envelope.value;
  throw fromWire(envelope.error);
}

/** Serves `impl` on `transport`. Returns an emitter for events and a function that stops serving. */
export function serve(impl: ApiImpl, transport: Transport) {
  const stop = transport.onMessage(async (message) => {
    if (message.type !== 'call') return;
    transport.send({ type: 'reply', id: message.id, reply: await answer(impl, message.method, message.args) });
  });
  return {
    emit<E extends ApiEvent>(name: E, payload: ApiEvents[E]) {
      transport.send({ type: 'event', name, payload });
    },
    stop,
  };
}

export type Listener<E extends ApiEvent> = (payload: ApiEvents[E]) => void;

export interface Client {
  api: Api;
  on<E extends ApiEvent>(name: E, listener: Listener<E>): () => void;
  close(): void;
}

/** A typed proxy for the contract over `transport`. */
export function connect(transport: Transport): Client {
  let nextId = 1;
  const pending = new Map<number, (envelope: Envelope) => void>();
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const stop = transport.onMessage((message) => {
    if (message.type === 'reply') {
      pending.get(message.id)?.(message.reply);
      pending.delete(message.id);
    } else if (message.type === 'event') {
      for (const listener of listeners.get(message.name) ?? []) listener(message.payload);
    }
  });
  const api = new Proxy({} as Api, {
    get(_, method) {
      if (typeof method !== 'string') return undefined;
      return (args: unknown) =>
        new Promise((resolve, reject) => {
          const id = nextId++;
          pending.set(id, (envelope) => {
            try {
              resolve(unwrap(envelope));
            } catch (error) {
              reject(error);
            }
          });
          transport.send({ type: 'call', id, method, args: args ?? {} });
        });
    },
  });
  return {
    api,
    on(name, listener) {
      const set = listeners.get(name) ?? new Set();
      listeners.set(name, set);
      set.add(listener as (payload: unknown) => void);
      return () => set.delete(listener as (payload: unknown) => void);
    },
    close() {
      stop();
      for (const reject of pending.values()) reject({ ok: false, error: { name: 'RemoteError', message: 'connection closed' } });
      pending.clear();
    },
  };
}

/** Two connected in-memory transports (for tests and same-process use). Delivery is asynchronous, like a port. */
export function memoryPair(): [Transport, Transport] {
  const receivers: [Set<(m: Message) => void>, Set<(m: Message) => void>] = [new Set(), new Set()];
  const end = (mine: number): Transport => ({
    send(message) {
      const copy = structuredClone(message);
      queueMicrotask(() => receivers[1 - mine]!.forEach((r) => r(copy)));
    },
    onMessage(receive) {
      receivers[mine]!.add(receive);
      return () => receivers[mine]!.delete(receive);
    },
  });
  return [end(0), end(1)];
}

export type { ApiMethod };
