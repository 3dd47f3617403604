// serve(impl, transport) and connect(transport), written once for every contract (the app's API, the training and
// pipeline workers' job contract) and every message transport (the headless host's WebSocket, the workers'
// MessagePort, the in-memory test pair). Electron IPC uses `answer` per invoke instead, since ipcMain.handle already
// pairs requests with replies. A contract is the argument schema of each method, whose keys are the channel names,
// plus the types of each method's result and of the served side's events. What happens to calls when the other side
// goes away is decided here too, once for every transport: a call the transport cannot send fails at once, and calls
// in flight when it reports a disconnect fail with a DisconnectedError (rather than staying pending forever).

import { apiContract, type ApiContract, type ApiEvent, type ApiEvents } from './api';
import { DisconnectedError, fromWire, toWire, type WireError } from './errors';
import { ArgumentError, type Infer, type Schema } from './schema';

/** A contract: each method's argument schema (checked by the served side), and as types only, results and events. */
export interface Contract<
  Args extends Record<string, Schema<unknown>>,
  Results extends { [M in keyof Args]: unknown },
  Events extends object,
> {
  readonly args: Args;
  /** Never set: carries the result and event types to serve() and connect(). */
  readonly types?: { results: Results; events: Events };
}

/** Any contract (`any`: result interfaces such as ApiResults have no index signature to match `unknown` against). */
export type AnyContract = Contract<Record<string, Schema<unknown>>, any, any>;
type ArgsOf<C extends AnyContract> = C['args'];
type ResultsOf<C extends AnyContract> = NonNullable<C['types']>['results'];
export type EventsOf<C extends AnyContract> = NonNullable<C['types']>['events'];
export type EventName<C extends AnyContract> = keyof EventsOf<C> & string;

/** The contract as callable functions: what connect() gives the calling side. */
export type Remote<C extends AnyContract> = {
  [M in keyof ArgsOf<C> & string]: (args: Infer<ArgsOf<C>[M]>) => Promise<ResultsOf<C>[M]>;
};

/** What the served side implements: each method may answer synchronously. */
export type Implementation<C extends AnyContract> = {
  [M in keyof ArgsOf<C> & string]: (args: Infer<ArgsOf<C>[M]>) => ResultsOf<C>[M] | Promise<ResultsOf<C>[M]>;
};

export type Envelope<T = unknown> = { ok: true; value: T } | { ok: false; error: WireError };

export type Message =
  | { type: 'call'; id: number; method: string; args: unknown }
  | { type: 'reply'; id: number; reply: Envelope }
  | { type: 'event'; name: string; payload: unknown };

/** A bidirectional channel of structured-clonable messages. */
export interface Transport {
  /** Sends or queues `message`; throws a DisconnectedError when it can do neither (the peer is gone for now). */
  send(message: Message): void;
  /** Registers the receiver; returns a function that removes it. */
  onMessage(receive: (message: Message) => void): () => void;
  /**
   * For transports whose peer can go away: reports each loss of the connection, in words (`reason` completes
   * "… before it answered <method>"). Messages sent before it will never be answered. Returns an unsubscribe.
   */
  onDisconnect?(listener: (reason: string) => void): () => void;
}

/** Checks the method and its arguments against the contract, runs it, and wraps the outcome. Never throws. */
export async function answer<C extends AnyContract = ApiContract>(
  impl: Implementation<C>,
  method: unknown,
  args: unknown,
  contract: C = apiContract as AnyContract as C,
): Promise<Envelope> {
  try {
    if (typeof method !== 'string' || !Object.prototype.hasOwnProperty.call(contract.args, method)) {
      throw new ArgumentError(`unknown method ${JSON.stringify(method)}`);
    }
    const checked = contract.args[method]!.check(args ?? {}, 'arguments');
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

export interface Server<C extends AnyContract = ApiContract> {
  emit<E extends EventName<C>>(name: E, payload: EventsOf<C>[E]): void;
  stop(): void;
}

/**
 * Serves `impl` on `transport`. Returns an emitter for events and a function that stops serving. A reply or event
 * the transport can no longer send is dropped: the caller's side learns of the disconnect from its own transport.
 */
export function serve<C extends AnyContract = ApiContract>(
  impl: Implementation<C>,
  transport: Transport,
  contract: C = apiContract as AnyContract as C,
): Server<C> {
  const send = (message: Message) => {
    try {
      transport.send(message);
    } catch (error) {
      if (!(error instanceof DisconnectedError)) throw error;
    }
  };
  const stop = transport.onMessage(async (message) => {
    if (message.type !== 'call') return;
    send({ type: 'reply', id: message.id, reply: await answer(impl, message.method, message.args, contract) });
  });
  return {
    emit(name, payload) {
      send({ type: 'event', name, payload });
    },
    stop,
  };
}

export type Listener<E extends ApiEvent> = (payload: ApiEvents[E]) => void;

export interface Client<C extends AnyContract = ApiContract> {
  api: Remote<C>;
  on<E extends EventName<C>>(name: E, listener: (payload: EventsOf<C>[E]) => void): () => void;
  close(): void;
}

/** A typed proxy for the contract `C` (the app's API unless named) over `transport`. */
export function connect<C extends AnyContract = ApiContract>(transport: Transport): Client<C> {
  let nextId = 1;
  const pending = new Map<number, { method: string; settle: (envelope: Envelope) => void; fail: (error: Error) => void }>();
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const failPending = (error: (method: string) => Error) => {
    const calls = [...pending.values()];
    pending.clear();
    for (const call of calls) call.fail(error(call.method));
  };
  const stopMessages = transport.onMessage((message) => {
    if (message.type === 'reply') {
      const call = pending.get(message.id);
      pending.delete(message.id);
      call?.settle(message.reply);
    } else if (message.type === 'event') {
      for (const listener of listeners.get(message.name) ?? []) listener(message.payload);
    }
  });
  const stopDisconnects = transport.onDisconnect?.((reason) =>
    failPending((method) => new DisconnectedError(`${reason} before it answered ${method}`)),
  );
  let closed = false;
  const api = new Proxy({} as Remote<C>, {
    get(_, method) {
      if (typeof method !== 'string') return undefined;
      return (args: unknown) =>
        new Promise((resolve, reject) => {
          if (closed) return reject(new DisconnectedError(`the connection was closed, so ${method} was not sent`));
          const id = nextId++;
          const settle = (envelope: Envelope) => {
            try {
              resolve(unwrap(envelope));
            } catch (error) {
              reject(error);
            }
          };
          pending.set(id, { method, settle, fail: reject });
          try {
            transport.send({ type: 'call', id, method, args: args ?? {} });
          } catch (error) {
            pending.delete(id);
            reject(error);
          }
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
      closed = true;
      stopMessages();
      stopDisconnects?.();
      failPending((method) => new DisconnectedError(`the connection was closed before it answered ${method}`));
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

