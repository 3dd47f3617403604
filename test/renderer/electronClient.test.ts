// @vitest-environment jsdom
// The Electron client turns the preload bridge's envelopes into values, and failures into the error classes
// the main side threw; media goes through evgap-media://.
import { describe, expect, it } from 'vitest';
import { apiMethods, type ApiEvent } from '../../contract/api';
import { ArgumentError, NotFoundError, RemoteError } from '../../contract/errors';
import type { Envelope } from '../../contract/rpc';
import { electronClient, type ElectronBridge } from '../../renderer/src/lib/electronClient';
import { createClient } from '../../renderer/src/lib/client';

function fakeBridge(answer: (method: string, args: unknown) => Envelope) {
  const calls: [string, unknown][] = [];
  const listeners = new Map<string, (payload: unknown) => void>();
  const methods = Object.fromEntries(
    apiMethods.map((m) => [
      m,
      async (args: unknown) => {
        calls.push([m, args]);
        return answer(m, args);
      },
    ]),
  );
  const bridge = {
    ...methods,
    on(name: ApiEvent, listener: (payload: unknown) => void) {
      listeners.set(name, listener);
      return () => listeners.delete(name);
    },
  } as unknown as ElectronBridge;
  return { bridge, calls, listeners };
}

describe('electronClient', () => {
  it('resolves with the value of an ok envelope and passes the arguments through', async () => {
    const { bridge, calls } = fakeBridge(() => ({ ok: true, value: [{ id: 1, name: 'demo' }] }));
    const client = electronClient(bridge);
    await expect(client.api.listScenes({ datasetId: 4 })).resolves.toEqual([{ id: 1, name: 'demo' }]);
    expect(calls).toEqual([['listScenes', { datasetId: 4 }]]);
  });

  it.each([
    ['NotFoundError', NotFoundError],
    ['ArgumentError', ArgumentError],
    ['RemoteError', RemoteError],
    ['SomethingUnknown', RemoteError],
  ] as const)('re-throws a %s envelope as %o with its message', async (name, ErrorClass) => {
    const { bridge } = fakeBridge(() => ({ ok: false, error: { name, message: 'scene 99 does not exist' } }));
    const failure = await electronClient(bridge).api.getScene({ sceneId: 99 }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ErrorClass);
    expect((failure as Error).message).toBe('scene 99 does not exist');
  });

  it('passes events through the bridge and unsubscribes', () => {
    const { bridge, listeners } = fakeBridge(() => ({ ok: true, value: null }));
    const received: unknown[] = [];
    const stop = electronClient(bridge).on('catalog.changed', (payload) => received.push(payload));
    listeners.get('catalog.changed')!({ datasetId: 2, sceneId: null, what: 'import' });
    expect(received).toEqual([{ datasetId: 2, sceneId: null, what: 'import' }]);
    stop();
    expect(listeners.size).toBe(0);
  });

  it('loads track videos over evgap-media://', () => {
    const { bridge } = fakeBridge(() => ({ ok: true, value: null }));
    expect(electronClient(bridge).mediaUrl(12)).toBe('evgap-media://track/12/video');
  });
});

describe('createClient', () => {
  it('uses the Electron bridge when the preload provided window.api', () => {
    const { bridge } = fakeBridge(() => ({ ok: true, value: null }));
    Object.assign(window, { api: bridge });
    try {
      expect(createClient(window).transport).toBe('electron');
    } finally {
      delete (window as { api?: unknown }).api;
    }
  });
});
