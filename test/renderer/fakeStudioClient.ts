// A StudioClient for the renderer's state-class tests: every Api method is a vi.fn the test answers, events and
// connection changes are delivered by hand.
import { vi, type Mock } from 'vitest';
import type { Api, ApiEvent, ApiEvents } from '../../contract/api';
import type { ConnectionState, StudioClient } from '../../renderer/src/lib/StudioClient';

export type FakeApi = { [M in keyof Api]: Mock<Api[M]> };

export interface FakeStudioClient extends StudioClient {
  readonly api: FakeApi;
  /** Reports a connection state to every onConnection listener. */
  connection(state: ConnectionState): void;
  emit<E extends ApiEvent>(name: E, payload: ApiEvents[E]): void;
}

export function fakeStudioClient(answers: Partial<{ [M in keyof Api]: Api[M] }> = {}): FakeStudioClient {
  const api = new Proxy({} as Record<string, Mock>, {
    get(mocks, method: string) {
      mocks[method] ??= vi.fn(answers[method as keyof Api] ?? (async () => {
        throw new Error(`test setup: no answer for ${method}`);
      }));
      return mocks[method];
    },
  }) as unknown as FakeApi;
  const connectionListeners = new Set<(state: ConnectionState) => void>();
  const eventListeners = new Map<string, Set<(payload: unknown) => void>>();
  let state: ConnectionState = 'connecting';
  return {
    transport: 'host',
    api,
    mediaUrl: (trackId) => `/media/track/${trackId}/video`,
    on(name, listener) {
      const set = eventListeners.get(name) ?? new Set();
      eventListeners.set(name, set);
      set.add(listener as (payload: unknown) => void);
      return () => set.delete(listener as (payload: unknown) => void);
    },
    onConnection(listener) {
      connectionListeners.add(listener);
      listener(state);
      return () => connectionListeners.delete(listener);
    },
    connection(next) {
      state = next;
      for (const listener of connectionListeners) listener(next);
    },
    emit(name, payload) {
      for (const listener of eventListeners.get(name) ?? []) listener(payload);
    },
  };
}
