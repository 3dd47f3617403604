// The evgap-media:// scheme's handler: serves catalog track files by id, and nothing else
// (evgap-media://track/<trackId>/video), with HTTP Range support so <video> can seek. A Fetch API function of
// (Request) → Response, as protocol.handle expects, with no electron import so it is tested under Node.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { NotFoundError } from '../../contract/errors';
import { parseRange } from '../host/byteRange';
import { contentTypeFor } from '../host/contentTypes';

export const MEDIA_SCHEME = 'evgap-media';

/** What the handler needs of the catalog: a track's video file as an absolute path (throws NotFoundError). */
export interface TrackFiles {
  trackFile(trackId: number, kind: 'video'): string;
}

function text(status: number, message: string): Response {
  return new Response(message, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
}

export async function mediaResponse(request: Request, tracks: TrackFiles): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return text(405, `expected GET or HEAD, got ${request.method}`);
  const url = new URL(request.url);
  const match = /^\/([1-9][0-9]{0,15})\/video$/.exec(url.pathname);
  if (url.hostname !== 'track' || !match) {
    return text(404, `expected ${MEDIA_SCHEME}://track/<trackId>/video, got ${request.url.slice(0, 200)}`);
  }
  const trackId = Number(match[1]);
  let file: string;
  try {
    file = tracks.trackFile(trackId, 'video');
  } catch (error) {
    if (error instanceof NotFoundError) return text(404, error.message);
    throw error;
  }
  let size: number;
  try {
    const info = await stat(file);
    if (!info.isFile()) return text(404, `track ${trackId}'s video ${file} is not a file`);
    size = info.size;
  } catch {
    return text(404, `track ${trackId}'s video ${file} is missing on disk`);
  }

  const headers = new Headers({ 'Content-Type': contentTypeFor(file), 'Accept-Ranges': 'bytes' });
  const range = parseRange(request.headers.get('range') ?? undefined, size);
  if (range.kind === 'unsatisfiable') {
    headers.set('Content-Range', `bytes */${size}`);
    return new Response(null, { status: 416, headers });
  }
  const [start, end] = range.kind === 'part' ? [range.start, range.end] : [0, size - 1];
  const length = size === 0 ? 0 : end - start + 1;
  headers.set('Content-Length', String(length));
  if (range.kind === 'part') headers.set('Content-Range', `bytes ${start}-${end}/${size}`);
  const status = range.kind === 'part' ? 206 : 200;
  if (request.method === 'HEAD' || length === 0) return new Response(null, { status, headers });
  const body = Readable.toWeb(createReadStream(file, { start, end })) as ReadableStream<Uint8Array>;
  return new Response(body, { status, headers });
}
