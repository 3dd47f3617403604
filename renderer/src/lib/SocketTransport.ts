// A Transport over the headless host's WebSocket that survives restarts of the host or the network: it reconnects
// with growing pauses, queues calls made while disconnected, and answers calls that were in flight when the
// connection dropped with an error (rather than leaving them pending forever).
import type { Message, Transport } from '../../../contract/rpc';
import type { ConnectionState } from './StudioClient';

/** The part of the browser's WebSocket this transport uses (so tests can pass a fake). */
export interface SocketLike {
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: unknown) => void) | null;
  send(data: string): void;
  close(): void;
}

export interface SocketTransportOptions {
  createSocket?: (url: string) => SocketLike;
  /** First pause before reconnecting; doubles after each failure up to maxRetryMs. */
  minRetryMs?: number;
  maxRetryMs?: number;
}

export class SocketTransport implements Transport {
  readonly #url: string;
  readonly #createSocket: (url: string) => SocketLike;
  readonly #minRetryMs: number;
  readonly #maxRetryMs: number;
  #retryMs: number;
  #socket: SocketLike | null = null;
  #isOpen = false;
  #closed = false;
  #retryTimer: ReturnType<typeof setTimeout> | null = null;
  readonly #queue: Message[] = [];
  /** Calls sent on the current socket and not yet answered: id → method. */
  readonly #unanswered = new Map<number, string>();
  readonly #receivers = new Set<(message: Message) => void>();
  readonly #stateListeners = new Set<(state: ConnectionState) => void>();
  #state: ConnectionState = 'connecting';

  constructor(url: string, options: SocketTransportOptions = {}) {
    this.#url = url;
    this.#createSocket = options.createSocket ?? ((socketUrl) => new WebSocket(socketUrl) as unknown as SocketLike);
    this.#minRetryMs = options.minRetryMs ?? 500;
    this.#maxRetryMs = options.maxRetryMs ?? 5_000;
    this.#retryMs = this.#minRetryMs;
    this.#openSocket();
  }

  get state(): ConnectionState {
    return this.#state;
  }

  send(message: Message): void {
    if (this.#isOpen && this.#socket) this.#write(this.#socket, message);
    else this.#queue.push(message);
  }

  onMessage(receive: (message: Message) => void): () => void {
    this.#receivers.add(receive);
    return () => this.#receivers.delete(receive);
  }

  /** Reports every change of connection state; returns an unsubscribe. */
  onState(listener: (state: ConnectionState) => void): () => void {
    this.#stateListeners.add(listener);
    listener(this.#state);
    return () => this.#stateListeners.delete(listener);
  }

  /** Stops reconnecting and closes the socket. */
  close(): void {
    this.#closed = true;
    if (this.#retryTimer) clearTimeout(this.#retryTimer);
    this.#socket?.close();
  }

  #openSocket(): void {
    const socket = this.#createSocket(this.#url);
    this.#socket = socket;
    socket.onopen = () => {
      this.#isOpen = true;
      this.#retryMs = this.#minRetryMs;
      this.#setState('open');
      for (const message of this.#queue.splice(0)) this.#write(socket, message);
    };
    socket.onmessage = (event) => this.#receive(event.data);
    socket.onclose = () => {
      if (this.#socket !== socket) return;
      this.#isOpen = false;
      this.#socket = null;
      this.#failUnanswered();
      if (this.#closed) return;
      this.#setState('reconnecting');
      this.#retryTimer = setTimeout(() => this.#openSocket(), this.#retryMs);
      this.#retryMs = Math.min(this.#retryMs * 2, this.#maxRetryMs);
    };
  }

  #write(socket: SocketLike, message: Message): void {
    if (message.type === 'call') this.#unanswered.set(message.id, message.method);
    socket.send(JSON.stringify(message));
  }

  #receive(data: unknown): void {
    if (typeof data !== 'string') throw new TypeError(`EVGAP host sent a non-text WebSocket frame (${typeof data})`);
    const message = JSON.parse(data) as Message;
    if (message.type === 'reply') this.#unanswered.delete(message.id);
    for (const receive of this.#receivers) receive(message);
  }

  #failUnanswered(): void {
    for (const [id, method] of this.#unanswered) {
      const error = { name: 'RemoteError', message: `connection to the EVGAP host was lost before it answered ${method}` };
      for (const receive of this.#receivers) receive({ type: 'reply', id, reply: { ok: false, error } });
    }
    this.#unanswered.clear();
  }

  #setState(state: ConnectionState): void {
    this.#state = state;
    for (const listener of this.#stateListeners) listener(state);
  }
}
