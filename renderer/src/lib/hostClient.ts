// The client for the headless host (`evgap serve`): the contract over a reconnecting WebSocket at /api, media
// from /media/track/<id>/video, both authorized by the token the host printed in the page's URL.
import { connect } from '../../../contract/rpc';
import { SocketTransport, type SocketTransportOptions } from './SocketTransport';
import type { StudioClient } from './StudioClient';

/** The part of window.location the host client needs. */
export type PageLocation = Pick<Location, 'protocol' | 'host' | 'search'>;

export function hostClient(page: PageLocation, options: SocketTransportOptions = {}): StudioClient {
  const token = new URLSearchParams(page.search).get('token');
  const tokenQuery = token ? `?token=${encodeURIComponent(token)}` : '';
  const scheme = page.protocol === 'https:' ? 'wss' : 'ws';
  const transport = new SocketTransport(`${scheme}://${page.host}/api${tokenQuery}`, options);
  const client = connect(transport);
  return {
    transport: 'host',
    api: client.api,
    on: client.on,
    mediaUrl: (trackId) => `/media/track/${trackId}/video${tokenQuery}`,
    onConnection: (listener) => transport.onState(listener),
  };
}
