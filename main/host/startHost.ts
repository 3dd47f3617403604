// The headless host: serves the built renderer, the catalog's media, the runs' reports and the API (over a
// WebSocket at /api) on 127.0.0.1, so EVGAP Studio runs in an ordinary browser. Every request must carry the
// per-start access token; the WebSocket must also come from the host's own origin, and the Host header must name
// the host (DNS rebinding).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { join, resolve } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ApiEvent, ApiEvents } from '../../contract/api';
import { ArgumentError } from '../../contract/errors';
import { serve } from '../../contract/rpc';
import type { Emit, RunMethods } from '../api/apiContext';
import { createApi } from '../api/createApi';
import { packageRoot } from '../api/packageInfo';
import type { Catalog } from '../catalog/Catalog';
import { newAccessToken, presentedToken, tokenCookie } from './accessToken';
import { serveMedia } from './mediaFiles';
import { serveReport } from './reportFiles';
import { BadPathError, requestSegments } from './requestPath';
import { securityHeaders } from './securityHeaders';
import { sendText } from './sendFile';
import { webSocketTransport } from './socketTransport';
import { serveStatic } from './staticFiles';

export interface HostOptions {
  catalog: Catalog;
  dataDir: string;
  /** 0 picks a free port. */
  port: number;
  /** The built renderer; defaults to out/renderer in the package root. */
  rendererDir?: string;
  /** Defaults to 32 random bytes as hex, new at every start. */
  token?: string;
  /**
   * Makes the training side (e.g. main/runs/RunService's createRunService) with the host's event emitter; the host
   * shuts it down when it closes. Without it, the training methods answer that training is unavailable.
   */
  runs?: (emit: Emit) => RunMethods & { shutdown(): Promise<void> };
}

export interface Host {
  /** The page's address including the token. */
  url: string;
  port: number;
  token: string;
  /** Disconnects every client, stops listening and shuts the training side down. The catalog stays open. */
  close(): Promise<void>;
}

const HOST = '127.0.0.1';
const API_PATH = '/api';
const MAX_MESSAGE_BYTES = 4 * 1024 * 1024;
/** How long a client gets to answer the closing handshake before its socket is cut. */
const CLOSE_GRACE_MS = 1000;

function closeSocket(ws: WebSocket): Promise<void> {
  return new Promise((resolveClose) => {
    const cut = setTimeout(() => ws.terminate(), CLOSE_GRACE_MS);
    ws.once('close', () => {
      clearTimeout(cut);
      resolveClose();
    });
    ws.close(1001, 'host shutting down');
  });
}

export async function startHost(options: HostOptions): Promise<Host> {
  const { catalog, dataDir, port } = options;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ArgumentError(`port: expected an integer 0..65535, got ${port}`);
  const token = options.token ?? newAccessToken();
  if (token.length < 32) throw new ArgumentError(`token: expected at least 32 characters, got ${token.length}`);
  const rendererDir = resolve(options.rendererDir ?? join(packageRoot(), 'out', 'renderer'));

  const connections = new Set<ReturnType<typeof serve>>();
  const emit = <E extends ApiEvent>(event: E, payload: ApiEvents[E]) => {
    for (const connection of connections) connection.emit(event, payload);
  };
  const runs = options.runs?.(emit);
  const api = createApi({ catalog, dataDir, transport: 'host', emit, ...(runs === undefined ? {} : { runs }) });

  let origins: Set<string> = new Set();
  const hostAllowed = (req: IncomingMessage) => origins.has(`http://${req.headers.host ?? ''}`);

  async function handleRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    for (const [name, value] of Object.entries(securityHeaders)) res.setHeader(name, value);
    if (!hostAllowed(req)) return sendText(res, 403, 'forbidden: unexpected Host header');
    const url = new URL(req.url ?? '/', `http://${HOST}`);
    const presented = presentedToken(req, url, token);
    if (presented === null) return sendText(res, 401, 'unauthorized: open the address printed by `evgap serve` (it carries the token)');
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendText(res, 405, `method ${req.method} not allowed`, { Allow: 'GET, HEAD' });
    let segments: string[];
    try {
      segments = requestSegments(req.url ?? '/');
    } catch (error) {
      if (error instanceof BadPathError) return sendText(res, 400, `bad path: ${error.message}`);
      throw error;
    }
    if (presented === 'query') res.setHeader('Set-Cookie', tokenCookie(token));
    if (segments[0] === 'media') return serveMedia(catalog, segments.slice(1), req, res);
    if (segments[0] === 'reports') return serveReport(dataDir, segments.slice(1), req, res);
    if (!(await serveStatic(rendererDir, segments, req, res))) sendText(res, 404, 'not found');
  }

  const server = createServer((req, res) => {
    handleRequest(req, res).catch((error: unknown) => {
      if (res.headersSent) res.destroy();
      else sendText(res, 500, `internal error: ${error instanceof Error ? error.message : String(error)}`);
    });
  });

  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const refuse = (status: string, text: string) => {
      socket.once('finish', () => socket.destroy());
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`);
    };
    const url = new URL(req.url ?? '/', `http://${HOST}`);
    if (url.pathname !== API_PATH) return refuse('404 Not Found', 'not found');
    if (!hostAllowed(req)) return refuse('403 Forbidden', 'forbidden: unexpected Host header');
    if (presentedToken(req, url, token) === null) return refuse('401 Unauthorized', 'unauthorized');
    if (!origins.has(req.headers.origin ?? '')) return refuse('403 Forbidden', 'forbidden: the API accepts only this host\'s own pages');
    sockets.handleUpgrade(req, socket, head, (ws: WebSocket) => {
      const connection = serve(api, webSocketTransport(ws));
      connections.add(connection);
      ws.on('close', () => {
        connection.stop();
        connections.delete(connection);
      });
      ws.on('error', () => ws.terminate());
    });
  });

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(port, HOST, () => {
      server.off('error', reject);
      resolveListen();
    });
  });
  const actualPort = (server.address() as AddressInfo).port;
  origins = new Set([`http://${HOST}:${actualPort}`, `http://localhost:${actualPort}`]);

  let closing: Promise<void> | undefined;
  return {
    url: `http://${HOST}:${actualPort}/?token=${token}`,
    port: actualPort,
    token,
    close() {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolveClose) => server.close(() => resolveClose()));
        server.closeAllConnections();
        await Promise.all([...sockets.clients].map(closeSocket));
        sockets.close();
        await stopped;
        await runs?.shutdown();
      })();
      return closing;
    },
  };
}
