// The client over Electron IPC: wraps the preload's `window.api` (each method answers with an rpc Envelope) into
// the contract's Api, re-throwing failures as the same error classes the main side threw.
import { apiMethods, type Api, type ApiArgs, type ApiEvent, type ApiMethod, type ApiResults } from '../../../contract/api';
import { unwrap, type Envelope, type Listener } from '../../../contract/rpc';
import type { StudioClient } from './StudioClient';

/** The object the preload exposes as `window.api`. */
export type ElectronBridge = { [M in ApiMethod]: (args: ApiArgs<M>) => Promise<Envelope<ApiResults[M]>> } & {
  on<E extends ApiEvent>(name: E, listener: Listener<E>): () => void;
};

/** The custom scheme the Electron shell serves catalog track files on. */
export const MEDIA_SCHEME = 'evgap-media';

export function electronClient(bridge: ElectronBridge): StudioClient {
  const api = Object.fromEntries(
    apiMethods.map((method) => {
      const call = bridge[method] as (args: unknown) => Promise<Envelope>;
      return [method, async (args: unknown) => unwrap(await call(args ?? {}))];
    }),
  ) as Api;
  return {
    transport: 'electron',
    api,
    on: (name, listener) => bridge.on(name, listener),
    mediaUrl: (trackId) => `${MEDIA_SCHEME}://track/${trackId}/video`,
    onConnection(listener) {
      listener('open');
      return () => {};
    },
  };
}
