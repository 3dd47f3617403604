// Picks the transport for this page: the Electron preload's bridge when it is there, the headless host otherwise.
import { electronClient, type ElectronBridge } from './electronClient';
import { hostClient } from './hostClient';
import type { StudioClient } from './StudioClient';

export function createClient(page: Window): StudioClient {
  const bridge = (page as Window & { api?: ElectronBridge }).api;
  return bridge ? electronClient(bridge) : hostClient(page.location);
}
