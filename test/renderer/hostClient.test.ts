// @vitest-environment jsdom
// The host client: the WebSocket URL and media URLs carry the page's token; calls made before the socket opens
// are sent once it does; calls in flight when it drops fail in words; calls made while it is lost are refused, not
// queued; it reconnects, and stops for good when the host says it no longer takes the page's token (a restart).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DisconnectedError } from '../../contract/errors';
import type { Message } from '../../contract/rpc';
import { hostClient } from '../../renderer/src/lib/hostClient';
import type { HostAnswer, SocketLike } from '../../renderer/src/lib/SocketTransport';

class FakeSocket implements SocketLike {
  onopen: ((event: unknown) => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: ((event: unknown) => void) | null = null;
  sent: Message[] = [];
  constructor(readonly url: string) {}
  send(data: string) {
    this.sent.push(JSON.parse(data) as Message);
  }
  close() {
    this.onclose?.({});
  }
  reply(message: Message) {
    this.onmessage?.({ data: JSON.stringify(message) });
  }
}

let sockets: FakeSocket[];
const page = { protocol: 'http:', host: '127.0.0.1:4321', search: '?token=ab%2Bc' };
let hostAnswers: HostAnswer[];
const open = () =>
  hostClient(page, {
    createSocket: (url) => sockets[sockets.push(new FakeSocket(url)) - 1]!,
    minRetryMs: 100,
    maxRetryMs: 100,
    unreachableAfter: 2,
    askHost: async () => hostAnswers.shift() ?? 'unreachable',
  });

beforeEach(() => {
  sockets = [];
  hostAnswers = [];
});
afterEach(() => {
  vi.useRealTimers();
});

describe('hostClient', () => {
  it('connects to /api and loads media with the token of the page URL', () => {
    const client = open();
    expect(sockets[0]!.url).toBe('ws://127.0.0.1:4321/api?token=ab%2Bc');
    expect(client.mediaUrl(5)).toBe('/media/track/5/video?token=ab%2Bc');
    const secure = hostClient({ protocol: 'https:', host: 'studio.example', search: '' }, { createSocket: (url) => new FakeSocket(url) });
    expect(secure.mediaUrl(5)).toBe('/media/track/5/video');
  });

  it('sends calls made before the socket opened once it opens, and resolves with the reply', async () => {
    const client = open();
    const datasets = client.api.listDatasets({});
    expect(sockets[0]!.sent).toEqual([]);
    sockets[0]!.onopen?.({});
    const [call] = sockets[0]!.sent;
    expect(call).toMatchObject({ type: 'call', method: 'listDatasets', args: {} });
    sockets[0]!.reply({ type: 'reply', id: (call as { id: number }).id, reply: { ok: true, value: ['demo'] } });
    await expect(datasets).resolves.toEqual(['demo']);
  });

  it('fails calls in flight when the connection drops, then reconnects and reports it', async () => {
    vi.useFakeTimers();
    const client = open();
    const states: string[] = [];
    client.onConnection((state) => states.push(state));
    sockets[0]!.onopen?.({});
    const scene = client.api.getScene({ sceneId: 3 }).catch((e: unknown) => e);
    sockets[0]!.close();
    const failure = await scene;
    expect(failure).toBeInstanceOf(DisconnectedError);
    expect((failure as Error).message).toBe('the connection to the EVGAP host was lost before it answered getScene');
    expect(sockets).toHaveLength(1);
    vi.advanceTimersByTime(100);
    expect(sockets).toHaveLength(2);
    sockets[1]!.onopen?.({});
    expect(states).toEqual(['connecting', 'open', 'reconnecting', 'open']);
  });

  it('delivers events to listeners', async () => {
    const client = open();
    const received: unknown[] = [];
    client.on('catalog.changed', (payload) => received.push(payload));
    sockets[0]!.onopen?.({});
    sockets[0]!.reply({ type: 'event', name: 'catalog.changed', payload: { datasetId: 1, sceneId: 2, what: 'syncOffset' } });
    await vi.waitFor(() => expect(received).toEqual([{ datasetId: 1, sceneId: 2, what: 'syncOffset' }]));
  });

  it('refuses calls while the connection is lost instead of sending them later', async () => {
    vi.useFakeTimers();
    const client = open();
    sockets[0]!.onopen?.({});
    sockets[0]!.close();
    const refused = await client.api.setSyncOffset({ viewId: 1, offsetFrames: 2 }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(DisconnectedError);
    expect((refused as Error).message).toMatch(/^not sent: the connection to the EVGAP host is lost/);
    vi.advanceTimersByTime(100);
    sockets[1]!.onopen?.({});
    expect(sockets[1]!.sent).toEqual([]);
  });

  it('fails calls queued before the first connection when it cannot be made, and never sends them', async () => {
    vi.useFakeTimers();
    const client = open();
    const datasets = client.api.listDatasets({}).catch((e: unknown) => e);
    sockets[0]!.close();
    expect(await datasets).toBeInstanceOf(DisconnectedError);
    await vi.advanceTimersByTimeAsync(100);
    sockets[1]!.onopen?.({});
    expect(sockets[1]!.sent).toEqual([]);
  });

  it('stops reconnecting when the host refuses the page (it was restarted with a new token)', async () => {
    vi.useFakeTimers();
    const client = open();
    const states: string[] = [];
    client.onConnection((state) => states.push(state));
    sockets[0]!.onopen?.({});
    sockets[0]!.close();
    await vi.advanceTimersByTimeAsync(100);
    hostAnswers.push('refuses');
    sockets[1]!.close();
    await vi.advanceTimersByTimeAsync(1000);
    expect(states).toEqual(['connecting', 'open', 'reconnecting', 'restarted']);
    expect(sockets).toHaveLength(2);
    const refused = await client.api.listDatasets({}).catch((e: unknown) => e);
    expect((refused as Error).message).toMatch(/restarted/);
  });

  it('reports a host that does not answer for several attempts as unreachable, and goes on trying', async () => {
    vi.useFakeTimers();
    const client = open();
    const states: string[] = [];
    client.onConnection((state) => states.push(state));
    sockets[0]!.close();
    await vi.advanceTimersByTimeAsync(100);
    sockets[1]!.close();
    await vi.advanceTimersByTimeAsync(100);
    expect(states).toEqual(['connecting', 'reconnecting', 'unreachable']);
    expect(sockets).toHaveLength(3);
    sockets[2]!.onopen?.({});
    expect(states.at(-1)).toBe('open');
  });
});
