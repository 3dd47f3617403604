// What the page talks to, whichever process is on the other side: the contract's Api, its events, where a
// track's video can be fetched, and how the connection is doing. One implementation per transport.
import type { Api, ApiEvent } from '../../../contract/api';
import type { Listener } from '../../../contract/rpc';

/**
 * 'connecting' until the first connection opens; 'reconnecting' after it was lost; 'unreachable' when the host has
 * not answered for several attempts (they go on); 'restarted' when the host runs but refuses this page's access token,
 * so this page can never reconnect (final).
 */
export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'unreachable' | 'restarted';

export interface StudioClient {
  readonly transport: 'electron' | 'host';
  readonly api: Api;
  on<E extends ApiEvent>(name: E, listener: Listener<E>): () => void;
  /** The URL a <video> element can load for this track's video file. */
  mediaUrl(trackId: number): string;
  /** Reports connection changes (the Electron bridge is always open); returns an unsubscribe. */
  onConnection(listener: (state: ConnectionState) => void): () => void;
}
