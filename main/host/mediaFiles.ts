// Serves the media files the catalog registers, and nothing else: GET/HEAD /media/track/<trackId>/<video|feature>.
// The path names a track id, never a file, so no request can reach a file the catalog does not know.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { NotFoundError } from '../../contract/errors';
import type { Catalog } from '../catalog/Catalog';
import { sendFile, sendText } from './sendFile';

const kinds = ['video', 'feature'] as const;
type MediaKind = (typeof kinds)[number];

function isMediaKind(value: string | undefined): value is MediaKind {
  return (kinds as readonly (string | undefined)[]).includes(value);
}

/** `segments` are the path segments after "media". */
export async function serveMedia(catalog: Catalog, segments: string[], req: IncomingMessage, res: ServerResponse): Promise<void> {
  const [area, idText, kind, ...rest] = segments;
  if (area !== 'track' || idText === undefined || !isMediaKind(kind) || rest.length > 0) {
    sendText(res, 404, 'not found: media paths are /media/track/<trackId>/video or /feature');
    return;
  }
  if (!/^[1-9][0-9]{0,15}$/.test(idText)) {
    sendText(res, 400, `expected a positive integer track id, got ${JSON.stringify(idText.slice(0, 40))}`);
    return;
  }
  let file: string;
  try {
    file = catalog.trackFile(Number(idText), kind);
  } catch (error) {
    if (error instanceof NotFoundError) {
      sendText(res, 404, error.message);
      return;
    }
    throw error;
  }
  if (!(await sendFile(req, res, file))) sendText(res, 404, `track ${idText} has no ${kind} file on disk`);
}
