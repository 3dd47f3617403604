// A Transport over the headless host's WebSocket that survives restarts of the network: it reconnects with growing
// pauses and queues calls made before the first connection opens. While the connection is lost it refuses calls
// (send throws a DisconnectedError: nothing is sent later behind the user's back) and reports the loss, so that
// connect() fails the calls in flight. After a failed attempt it asks the host over plain HTTP whether it would take
// this page at all: a host that refuses the page's token was restarted (every start has a new token), so this page
// can never reconnect and stops trying; a host that does not answer for a while is reported as unreachable.
import { DisconnectedError } from '../../../contract/errors';
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

/** What the host says to this page over HTTP: it takes the page's token, refuses it, or does not answer. */
export type HostAnswer = 'accepts' | 'refuses' | 'unreachable';

export interface SocketTransportOptions {
  createSocket?: (url: string) => SocketLike;
  /** First pause before reconnecting; doubles after each failure up to maxRetryMs. */
  minRetryMs?: number;
  maxRetryMs?: number;
  /** Asked after each attempt that failed to open; without it the transport never concludes the host restarted. */
  askHost?: () => Promise<HostAnswer>;
  /** Failed attempts in a row after which the state is 'unreachable' (attempts go on). */
  unreachableAfter?: number;
}

const notSent: Record<Exclude<ConnectionState, 'connecting' | 'open'>, string> = {
  reconnecting: 'not sent: the connection to the EVGAP host is lost (reconnecting)',
  unreachable: 'not sent: the EVGAP host does not answer',
  restarted: 'not sent: the EVGAP host was restarted; open the new address `evgap serve` printed',
};

export class SocketTransport implements Transport {
  readonly #url: string;
  readonly #createSocket: (url: string) => SocketLike;
  readonly #minRetryMs: number;
  readonly #maxRetryMs: number;
  readonly #askHost: (() => Promise<HostAnswer>) | null;
  readonly #unreachableAfter: number;
  #retryMs: number;
  #failedAttempts = 0;
  #socket: SocketLike | null = null;
  #closed = false;
  #retryTimer: ReturnType<typeof setTimeout> | null = null;
  /** Messages sent before the first connection opened. */
  readonly #queue: Message[] = [];
  readonly #receivers = new Set<(message: Message) => void>();
  readonly #disconnectListeners = new Set<(reason: string) => void>();
  readonly #stateListeners = new Set<(state: ConnectionState) => void>();
  #state: ConnectionState = 'connecting';

  constructor(url: string, options: SocketTransportOptions = {}) {
    this.#url = url;
    this.#createSocket = options.createSocket ?? ((socketUrl) => new WebSocket(socketUrl) as unknown as SocketLike);
    this.#minRetryMs = options.minRetryMs ?? 500;
    this.#maxRetryMs = options.maxRetryMs ?? 5_000;
    this.#askHost = options.askHost ?? null;
    this.#unreachableAfter = options.unreachableAfter ?? 6;
    this.#retryMs = this.#minRetryMs;
    this.#openSocket();
  }

  get state(): ConnectionState {
    return this.#state;
  }

  send(message: Message): void {
    const state = this.#state;
    if (state === 'connecting') this.#queue.push(message);
    else if (state === 'open') this.#socket!.send(JSON.stringify(message));
    else throw new DisconnectedError(notSent[state]);
  }

  onMessage(receive: (message: Message) => void): () => void {
    this.#receivers.add(receive);
    return () => this.#receivers.delete(receive);
  }

  onDisconnect(listener: (reason: string) => void): () => void {
    this.#disconnectListeners.add(listener);
    return () => this.#disconnectListeners.delete(listener);
  }

  /** Reports every change of connection state (the current one at once); returns an unsubscribe. */
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
    this.#retryTimer = null;
    const socket = this.#createSocket(this.#url);
    this.#socket = socket;
    let opened = false;
    socket.onopen = () => {
      if (this.#socket !== socket) return;
      opened = true;
      this.#failedAttempts = 0;
      this.#retryMs = this.#minRetryMs;
      this.#setState('open');
      for (const message of this.#queue.splice(0)) socket.send(JSON.stringify(message));
    };
    socket.onmessage = (event) => this.#receive(event.data);
    socket.onclose = () => {
      if (this.#socket !== socket) return;
      this.#socket = null;
      // Queued messages were never sent: they fail with the rest, and are not sent on a later connection.
      this.#queue.length = 0;
      this.#emitDisconnect(opened ? 'the connection to the EVGAP host was lost' : 'the EVGAP host could not be reached');
      if (this.#closed) return;
      if (opened) {
        this.#setState('reconnecting');
        this.#scheduleRetry();
      } else {
        this.#failedAttempts++;
        void this.#afterFailedAttempt();
      }
    };
  }

  async #afterFailedAttempt(): Promise<void> {
    const answer = this.#askHost ? await this.#askHost().catch((): HostAnswer => 'unreachable') : 'unreachable';
    if (this.#closed) return;
    if (answer === 'refuses') {
      this.#setState('restarted');
      return;
    }
    this.#setState(answer === 'unreachable' && this.#failedAttempts >= this.#unreachableAfter ? 'unreachable' : 'reconnecting');
    this.#scheduleRetry();
  }

  #scheduleRetry(): void {
    this.#retryTimer = setTimeout(() => this.#openSocket(), this.#retryMs);
    this.#retryMs = Math.min(this.#retryMs * 2, this.#maxRetryMs);
  }

  #receive(data: unknown): void {
    if (typeof data !== 'string') throw new TypeError(`EVGAP host sent a non-text WebSocket frame (${typeof data})`);
    const message = JSON.parse(data) as Message;
    for (const receive of this.#receivers) receive(message);
  }

  #emitDisconnect(reason: string): void {
    for (const listener of this.#disconnectListeners) listener(reason);
  }

  #setState(state: ConnectionState): void {
    if (state === this.#state) return;
    this.#state = state;
    for (const listener of this.#stateListeners) listener(state);
  }
}
