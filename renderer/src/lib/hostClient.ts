// The client for the headless host (`evgap serve`): the contract over a reconnecting WebSocket at /api, media
// from /media/track/<id>/video. Both are authorized by the token the host printed in the page's first URL (read
// here once, before the page's routing takes it out of the address bar) or, after that, by the HttpOnly cookie the
// host set from it.
import { connect } from '../../../contract/rpc';
import { SocketTransport, type HostAnswer, type SocketTransportOptions } from './SocketTransport';
import type { StudioClient } from './StudioClient';

/** The part of window.location the host client needs. */
export type PageLocation = Pick<Location, 'protocol' | 'host' | 'search'>;

export function hostClient(page: PageLocation, options: SocketTransportOptions = {}): StudioClient {
  const token = new URLSearchParams(page.search).get('token');
  const tokenQuery = token ? `?token=${encodeURIComponent(token)}` : '';
  const scheme = page.protocol === 'https:' ? 'wss' : 'ws';
  const transport = new SocketTransport(`${scheme}://${page.host}/api${tokenQuery}`, {
    askHost: () => askHost(`${page.protocol}//${page.host}/${tokenQuery}`),
    ...options,
  });
  const client = connect(transport);
  return {
    transport: 'host',
    api: client.api,
    on: client.on,
    mediaUrl: (trackId) => `/media/track/${trackId}/video${tokenQuery}`,
    onConnection: (listener) => transport.onState(listener),
  };
}

/**
 * Whether the host at `pageUrl` still takes this page's credentials (the same token query or cookie the WebSocket
 * presents): 401 means it runs with another token, i.e. it was restarted.
 */
async function askHost(pageUrl: string): Promise<HostAnswer> {
  try {
    const response = await fetch(pageUrl, { method: 'HEAD', cache: 'no-store', credentials: 'same-origin' });
    return response.status === 401 ? 'refuses' : 'accepts';
  } catch {
    return 'unreachable';
  }
}
