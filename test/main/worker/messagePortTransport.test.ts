// contract/rpc over messagePortTransport with a contract of its own (not the app's API): calls answered with their
// results, arguments checked against the contract's schemas (ArgumentError naming the field), the served side's
// errors re-thrown as their class, typed events; closing the port fails the call in flight and refuses later ones
// with a DisconnectedError naming the peer.
import { MessageChannel } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { ArgumentError, DisconnectedError, NotFoundError } from '../../../contract/errors';
import { connect, serve, type Contract } from '../../../contract/rpc';
import { int, object, str } from '../../../contract/schema';
import { messagePortTransport } from '../../../main/worker/messagePortTransport';

const echoArgs = { echo: object({ text: str({ minLength: 1 }) }), find: object({ id: int({ min: 1 }) }), wait: object({}) };
const echoContract: Contract<typeof echoArgs, { echo: string; find: never; wait: null }, { tick: { n: number } }> = { args: echoArgs };

const opened: MessageChannel[] = [];
afterEach(() => opened.splice(0).forEach(({ port1, port2 }) => (port1.close(), port2.close())));

function served() {
  const channel = new MessageChannel();
  opened.push(channel);
  const server = serve(
    {
      echo: ({ text }) => text.toUpperCase(),
      find: ({ id }) => {
        throw new NotFoundError(`no record ${id}`);
      },
      wait: () => new Promise<null>(() => {}),
    },
    messagePortTransport(channel.port2, 'the caller'),
    echoContract,
  );
  const transport = messagePortTransport(channel.port1, 'echo worker');
  return { server, transport, client: connect<typeof echoContract>(transport) };
}

describe('messagePortTransport', () => {
  it('carries calls, checked arguments, errors as their class and events', async () => {
    const { server, client } = served();
    expect(await client.api.echo({ text: 'ego' })).toBe('EGO');
    await expect(client.api.echo({ text: '' })).rejects.toThrow(new ArgumentError('arguments.text: expected a non-empty string of at most 10000 characters, got ""'));
    await expect(client.api.find({ id: 3 })).rejects.toThrow(NotFoundError);
    const ticks: number[] = [];
    const ticked = new Promise<void>((resolve) => client.on('tick', ({ n }) => (ticks.push(n), n === 2 && resolve())));
    server.emit('tick', { n: 1 });
    server.emit('tick', { n: 2 });
    await ticked;
    expect(ticks).toEqual([1, 2]);
  });

  it('fails the call in flight when the port closes, and refuses to send after', async () => {
    const { client, transport } = served();
    const waiting = client.api.wait({});
    await transport.close();
    await expect(waiting).rejects.toThrow(new DisconnectedError('echo worker closed its port before it answered wait'));
    await expect(client.api.echo({ text: 'exo' })).rejects.toThrow(new DisconnectedError('not sent: echo worker closed its port'));
  });
});
