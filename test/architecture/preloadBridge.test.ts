// The preload's `window.api`: one function per contract method invoking "api:<method>", and `on` for contract
// events only, handing listeners the payload alone (never the IpcRendererEvent, which leads to ipcRenderer).
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { apiEvents, apiMethods } from '../../contract/api';

const electron = vi.hoisted(() => ({
  exposed: new Map<string, unknown>(),
  invoke: vi.fn(async (channel: string, args: unknown) => ({ ok: true, value: { channel, args } })),
  listeners: new Map<string, (event: unknown, payload: unknown) => void>(),
}));

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, value: unknown) => electron.exposed.set(key, value) },
  ipcRenderer: {
    invoke: electron.invoke,
    on: (channel: string, listener: (event: unknown, payload: unknown) => void) => electron.listeners.set(channel, listener),
    removeListener: (channel: string, listener: unknown) => {
      if (electron.listeners.get(channel) === listener) electron.listeners.delete(channel);
    },
  },
}));

type Bridge = Record<string, (...args: unknown[]) => unknown>;
let bridge: Bridge;

beforeAll(async () => {
  await import('../../preload/index');
  bridge = electron.exposed.get('api') as Bridge;
});

describe('the preload bridge', () => {
  it("exposes only 'api', holding the contract's methods and on", () => {
    expect([...electron.exposed.keys()]).toEqual(['api']);
    expect(Object.keys(bridge).sort()).toEqual([...apiMethods, 'on'].sort());
  });

  it('invokes the channel named after each method with the arguments as given', async () => {
    for (const method of apiMethods) {
      await expect(bridge[method]!({ probe: method })).resolves.toEqual({
        ok: true,
        value: { channel: `api:${method}`, args: { probe: method } },
      });
    }
    expect(electron.invoke).toHaveBeenCalledTimes(apiMethods.length);
  });

  it('forwards event payloads without the IPC event, and unsubscribes', () => {
    const [event] = apiEvents;
    const received: unknown[] = [];
    const stop = bridge.on!(event, (...args: unknown[]) => received.push(args)) as () => void;
    const forward = electron.listeners.get(`event:${event}`)!;
    forward({ sender: 'ipcRenderer' }, { datasetId: 1, sceneId: null, what: 'test' });
    expect(received).toEqual([[{ datasetId: 1, sceneId: null, what: 'test' }]]);
    stop();
    expect(electron.listeners.has(`event:${event}`)).toBe(false);
  });

  it('refuses to listen to channels outside the contract', () => {
    expect(() => bridge.on!('api:appInfo', () => {})).toThrow(/expected an event of the contract/);
    expect(electron.listeners.has('event:api:appInfo')).toBe(false);
    expect(electron.listeners.has('api:appInfo')).toBe(false);
  });
});
