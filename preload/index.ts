// The sandboxed preload: exposes exactly the API contract to the page as `window.api`, one function per method
// (answering with an rpc Envelope) plus `on` for the contract's events. Channel names come from the contract's
// keys ("api:<method>", "event:<name>"); ipcRenderer itself never reaches the page.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { apiEvents, apiMethods, type ApiEvent } from '../contract/api';

function isApiEvent(name: unknown): name is ApiEvent {
  return (apiEvents as unknown[]).includes(name);
}

const methods = Object.fromEntries(
  apiMethods.map((method) => [method, (args: unknown) => ipcRenderer.invoke(`api:${method}`, args)]),
);

function on(name: ApiEvent, listener: (payload: unknown) => void): () => void {
  if (!isApiEvent(name)) throw new TypeError(`expected an event of the contract (${apiEvents.join(', ')}), got ${String(name)}`);
  if (typeof listener !== 'function') throw new TypeError(`expected a listener function for ${name}, got ${typeof listener}`);
  // Only the payload is passed on: the IpcRendererEvent would hand the page a handle on ipcRenderer.
  const forward = (_event: IpcRendererEvent, payload: unknown) => listener(payload);
  ipcRenderer.on(`event:${name}`, forward);
  return () => {
    ipcRenderer.removeListener(`event:${name}`, forward);
  };
}

contextBridge.exposeInMainWorld('api', { ...methods, on });
