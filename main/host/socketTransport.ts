// The contract's rpc Transport over one WebSocket: JSON text frames, one Message each. A peer that sends anything
// else breaks the protocol and is disconnected.
import type { WebSocket } from 'ws';
import type { Message, Transport } from '../../contract/rpc';

const messageTypes = new Set(['call', 'reply', 'event']);

function parseMessage(text: string): Message | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const type = (value as { type?: unknown }).type;
  return typeof type === 'string' && messageTypes.has(type) ? (value as Message) : null;
}

export function webSocketTransport(socket: WebSocket): Transport {
  return {
    send(message) {
      if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
    },
    onMessage(receive) {
      const listener = (data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean) => {
        const message = isBinary ? null : parseMessage(String(data));
        if (message === null) {
          socket.close(1003, 'expected JSON text messages of the rpc protocol');
          return;
        }
        receive(message);
      };
      socket.on('message', listener);
      return () => socket.off('message', listener);
    },
  };
}
