// Test clients for the host: raw HTTP requests (node:http sends the path exactly as given, unlike fetch, which
// would resolve `..` before sending) and a WebSocket connected to the rpc contract.
import { request } from 'node:http';
import { WebSocket } from 'ws';
import { connect, type Client } from '../../../contract/rpc';
import { webSocketTransport } from '../../../main/host/socketTransport';

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export function rawRequest(
  port: number,
  path: string,
  options: { method?: string; headers?: Record<string, string> } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers: options.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** Opens the API socket; rejects with the HTTP status when the host refuses the upgrade. */
export function openSocket(url: string, options: { origin?: string; headers?: Record<string, string> } = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { origin: options.origin, headers: options.headers });
    socket.once('open', () => resolve(socket));
    socket.once('unexpected-response', (_req, res) => {
      reject(Object.assign(new Error(`refused with ${res.statusCode}`), { status: res.statusCode }));
      socket.terminate();
    });
    socket.once('error', reject);
  });
}

export async function refusalStatus(url: string, options: { origin?: string; headers?: Record<string, string> } = {}) {
  return openSocket(url, options).then(
    (socket) => {
      socket.close();
      return 101;
    },
    (error: { status?: number }) => error.status ?? 0,
  );
}

export function apiClient(socket: WebSocket): Client {
  return connect(webSocketTransport(socket));
}
