// Streams one file as an HTTP response: content type, length, Range (206/416) and HEAD. Callers decide which
// files may be sent; this only sends them.
import { createReadStream, promises as fs } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseRange } from './byteRange';
import { contentTypeFor } from './contentTypes';

export function sendText(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  const body = Buffer.from(text + '\n', 'utf8');
  res.writeHead(status, { ...headers, 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': body.length });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}

/** Sends `file` if it is a regular file; returns false (and sends nothing) when it is missing or not a file. */
export async function sendFile(req: IncomingMessage, res: ServerResponse, file: string): Promise<boolean> {
  let stat;
  try {
    stat = await fs.stat(file);
  } catch {
    return false;
  }
  if (!stat.isFile()) return false;
  const size = stat.size;
  const range = parseRange(req.headers.range, size);
  const common = {
    'Content-Type': contentTypeFor(file),
    'Accept-Ranges': 'bytes',
    'Last-Modified': stat.mtime.toUTCString(),
    'Cache-Control': 'no-cache',
  };
  if (range.kind === 'unsatisfiable') {
    sendText(res, 416, `range not satisfiable: ${req.headers.range} (file has ${size} bytes)`, {
      'Content-Range': `bytes */${size}`,
    });
    return true;
  }
  const [status, start, end] = range.kind === 'part' ? [206, range.start, range.end] : [200, 0, size - 1];
  const headers: Record<string, string | number> = { ...common, 'Content-Length': Math.max(0, end - start + 1) };
  if (range.kind === 'part') headers['Content-Range'] = `bytes ${start}-${end}/${size}`;
  res.writeHead(status, headers);
  if (req.method === 'HEAD' || size === 0) {
    res.end();
    return true;
  }
  const stream = createReadStream(file, { start, end });
  stream.on('error', () => res.destroy());
  res.on('close', () => stream.destroy());
  stream.pipe(res);
  return true;
}
