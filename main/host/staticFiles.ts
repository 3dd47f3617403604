// Serves the built renderer: index.html for "/", files by path otherwise, confined to the renderer folder (also
// through symbolic links) and never a directory listing.
import { promises as fs } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join, sep } from 'node:path';
import { sendFile } from './sendFile';

/** Returns false when no file answers these segments. */
export async function serveStatic(
  rendererDir: string,
  segments: string[],
  req: IncomingMessage,
  res: ServerResponse,
): Promise<boolean> {
  const file = join(rendererDir, ...(segments.length === 0 ? ['index.html'] : segments));
  let real: string;
  let realRoot: string;
  try {
    [real, realRoot] = await Promise.all([fs.realpath(file), fs.realpath(rendererDir)]);
  } catch {
    return false;
  }
  if (!real.startsWith(realRoot + sep)) return false;
  return sendFile(req, res, real);
}
