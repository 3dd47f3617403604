// connect() decides once, for every transport, what happens to calls when the other side goes away: a call the
// transport cannot send fails at once, calls in flight when it reports a disconnect fail with a DisconnectedError
// naming the method, and close() fails what is left. Replies and events still reach their callers.
import { describe, expect, it } from 'vitest';
import { DisconnectedError, NotFoundError } from '../../contract/errors';
import { connect, memoryPair, serve, type Message, type Transport } from '../../contract/rpc';
import type { ApiImpl } from '../../contract/api';

/** A transport whose peer can go away: it records what is sent and can refuse sends. */
function fakeTransport() {
  const receivers = new Set<(message: Message) => void>();
  const disconnects = new Set<(reason: string) => void>();
  const sent: Message[] = [];
  let refusing: string | null = null;
  const transport: Transport = {
    send(message) {
      if (refusing !== null) throw new DisconnectedError(refusing);
      sent.push(message);
    },
    onMessage(receive) {
      receivers.add(receive);
      return () => receivers.delete(receive);
    },
    onDisconnect(listener) {
      disconnects.add(listener);
      return () => disconnects.delete(listener);
    },
  };
  return {
    transport,
    sent,
    refuse: (reason: string | null) => (refusing = reason),
    disconnect: (reason: string) => disconnects.forEach((listener) => listener(reason)),
    deliver: (message: Message) => receivers.forEach((receive) => receive(message)),
  };
}

describe('connect', () => {
  it('answers calls through the transport and re-throws the contract errors of the other side', async () => {
    const [near, far] = memoryPair();
    serve({ getScene: async () => { throw new NotFoundError('no scene 3'); } } as unknown as ApiImpl, far);
    const client = connect(near);
    await expect(client.api.getScene({ sceneId: 3 })).rejects.toThrow(NotFoundError);
  });

  it('fails every call in flight when the transport reports a disconnect, naming the method', async () => {
    const fake = fakeTransport();
    const client = connect(fake.transport);
    const scene = client.api.getScene({ sceneId: 3 }).catch((e: unknown) => e);
    const datasets = client.api.listDatasets({}).catch((e: unknown) => e);
    fake.disconnect('the link went down');
    const [a, b] = await Promise.all([scene, datasets]);
    expect(a).toBeInstanceOf(DisconnectedError);
    expect((a as Error).message).toBe('the link went down before it answered getScene');
    expect((b as Error).message).toBe('the link went down before it answered listDatasets');
  });

  it('fails a call at once when the transport cannot send it, and forgets it', async () => {
    const fake = fakeTransport();
    const client = connect(fake.transport);
    fake.refuse('not sent: offline');
    await expect(client.api.listDatasets({})).rejects.toThrow(new DisconnectedError('not sent: offline'));
    fake.refuse(null);
    const datasets = client.api.listDatasets({});
    const call = fake.sent[0] as Extract<Message, { type: 'call' }>;
    fake.disconnect('gone');
    await expect(datasets).rejects.toThrow('gone before it answered listDatasets');
    // A late reply to a failed call is ignored rather than settling anything twice.
    fake.deliver({ type: 'reply', id: call.id, reply: { ok: true, value: [] } });
  });

  it('answers a reply that arrives after an unrelated disconnect only once', async () => {
    const fake = fakeTransport();
    const client = connect(fake.transport);
    fake.disconnect('blip');
    const datasets = client.api.listDatasets({});
    const call = fake.sent[0] as Extract<Message, { type: 'call' }>;
    fake.deliver({ type: 'reply', id: call.id, reply: { ok: true, value: ['demo'] } });
    await expect(datasets).resolves.toEqual(['demo']);
  });

  it('fails what is left when closed, and sends nothing after', async () => {
    const fake = fakeTransport();
    const client = connect(fake.transport);
    const datasets = client.api.listDatasets({});
    client.close();
    await expect(datasets).rejects.toThrow(DisconnectedError);
    await expect(client.api.getScene({ sceneId: 1 })).rejects.toThrow('the connection was closed, so getScene was not sent');
    expect(fake.sent.map((message) => (message as { method?: string }).method)).toEqual(['listDatasets']);
  });
});
