// evgap-media:// serves only catalog track videos by id, whole or by byte range, and says why when it cannot.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotFoundError } from '../../../contract/errors';
import { mediaResponse, type TrackFiles } from '../../../main/electron/mediaProtocol';

let dir: string;
let tracks: TrackFiles;
const bytes = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 251));

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'evgap-media-'));
  writeFileSync(join(dir, 'clip.webm'), bytes);
  const files = new Map([
    [7, join(dir, 'clip.webm')],
    [8, join(dir, 'gone.mp4')],
  ]);
  tracks = {
    trackFile(trackId) {
      const file = files.get(trackId);
      if (!file) throw new NotFoundError(`no track ${trackId}`);
      return file;
    },
  };
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const get = (url: string, headers: Record<string, string> = {}, method = 'GET') =>
  mediaResponse(new Request(url, { method, headers }), tracks);

describe('mediaResponse', () => {
  it('serves the whole video with its type and length', async () => {
    const response = await get('evgap-media://track/7/video');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('video/webm');
    expect(response.headers.get('content-length')).toBe('1000');
    expect(response.headers.get('accept-ranges')).toBe('bytes');
    expect(Buffer.from(await response.arrayBuffer())).toEqual(bytes);
  });

  it('serves a byte range with 206 and Content-Range', async () => {
    const response = await get('evgap-media://track/7/video', { Range: 'bytes=100-199' });
    expect(response.status).toBe(206);
    expect(response.headers.get('content-range')).toBe('bytes 100-199/1000');
    expect(response.headers.get('content-length')).toBe('100');
    expect(Buffer.from(await response.arrayBuffer())).toEqual(bytes.subarray(100, 200));
  });

  it('serves an open-ended and a suffix range', async () => {
    const open = await get('evgap-media://track/7/video', { Range: 'bytes=990-' });
    expect(open.headers.get('content-range')).toBe('bytes 990-999/1000');
    expect(Buffer.from(await open.arrayBuffer())).toEqual(bytes.subarray(990));
    const suffix = await get('evgap-media://track/7/video', { Range: 'bytes=-10' });
    expect(Buffer.from(await suffix.arrayBuffer())).toEqual(bytes.subarray(990));
  });

  it('answers 416 to a range past the end', async () => {
    const response = await get('evgap-media://track/7/video', { Range: 'bytes=5000-' });
    expect(response.status).toBe(416);
    expect(response.headers.get('content-range')).toBe('bytes */1000');
  });

  it('answers HEAD without a body', async () => {
    const response = await get('evgap-media://track/7/video', {}, 'HEAD');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-length')).toBe('1000');
    expect(await response.text()).toBe('');
  });

  it('refuses anything but track/<id>/video', async () => {
    for (const url of [
      'evgap-media://track/7/feature',
      'evgap-media://track/0/video',
      'evgap-media://track/7/video/extra',
      'evgap-media://file/etc/passwd',
      'evgap-media://track/..%2F..%2Fetc%2Fpasswd/video',
    ]) {
      expect((await get(url)).status, url).toBe(404);
    }
  });

  it('says which track is unknown or missing on disk', async () => {
    const unknown = await get('evgap-media://track/9/video');
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toContain('no track 9');
    const missing = await get('evgap-media://track/8/video');
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain('gone.mp4');
  });

  it('refuses methods other than GET and HEAD', async () => {
    expect((await get('evgap-media://track/7/video', {}, 'POST')).status).toBe(405);
  });
});
