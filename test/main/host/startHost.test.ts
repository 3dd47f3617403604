// The headless host in-process: token and Host/Origin checks, renderer files confined to their folder, media with
// Range support limited to catalog-registered files, the API over WebSocket with broadcast events, clean close.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotFoundError } from '../../../contract/errors';
import { CONTENT_SECURITY_POLICY } from '../../../main/host/securityHeaders';
import { startHost, type Host } from '../../../main/host/startHost';
import { createCatalogFixture, type CatalogFixture } from '../api/catalogFixture';
import { apiClient, openSocket, rawRequest, refusalStatus } from './httpClient';

let fixture: CatalogFixture;
let rendererDir: string;
let host: Host;
let trackId: number;
let videoFile: string;
let featureFile: string;

beforeAll(async () => {
  fixture = createCatalogFixture();
  rendererDir = mkdtempSync(join(tmpdir(), 'evgap-renderer-'));
  mkdirSync(join(rendererDir, 'assets'));
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>EVGAP</title><script type="module" src="/assets/app.js"></script>');
  writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log("app");');
  writeFileSync(join(rendererDir, 'assets', 'app.css'), 'body {}');
  writeFileSync(join(fixture.dataDir, 'secret.txt'), 'outside the renderer');
  symlinkSync(join(fixture.dataDir, 'secret.txt'), join(rendererDir, 'assets', 'link.txt'));
  host = await startHost({ catalog: fixture.catalog, dataDir: fixture.dataDir, port: 0, rendererDir });
  const sceneId = fixture.catalog.getDataset(fixture.datasetId).scenes[0]!.id;
  trackId = fixture.catalog.getScene(sceneId).views[0]!.track!.id;
  videoFile = fixture.catalog.trackFile(trackId, 'video');
  featureFile = fixture.catalog.trackFile(trackId, 'feature');
});

afterAll(async () => {
  await host?.close();
  fixture.cleanup();
  rmSync(rendererDir, { recursive: true, force: true });
});

const withToken = (path: string) => `${path}${path.includes('?') ? '&' : '?'}token=${host.token}`;
const tokenHeader = () => ({ 'x-evgap-token': host.token });
const origin = () => `http://127.0.0.1:${host.port}`;
const socketUrl = (query = `?token=${host.token}`) => `ws://127.0.0.1:${host.port}/api${query}`;

describe('startHost: access', () => {
  it('prints a 127.0.0.1 address carrying a 64-hex-digit token', () => {
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/?token=${host.token}`);
    expect(host.token).toMatch(/^[0-9a-f]{64}$/);
  });

  it.each(['/', '/index.html', '/assets/app.js', `/media/track/1/video`, '/nothing'])('refuses %s without the token (401)', async (path) => {
    const res = await rawRequest(host.port, path);
    expect(res.status).toBe(401);
    expect(res.body.toString()).toMatch(/unauthorized/);
    expect(res.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
  });

  it('refuses a wrong token in query, header or cookie', async () => {
    const wrong = '0'.repeat(64);
    expect((await rawRequest(host.port, `/?token=${wrong}`)).status).toBe(401);
    expect((await rawRequest(host.port, '/', { headers: { 'x-evgap-token': wrong } })).status).toBe(401);
    expect((await rawRequest(host.port, '/', { headers: { cookie: `evgap_token=${wrong}` } })).status).toBe(401);
  });

  it('refuses a foreign Host header (DNS rebinding) even with the token', async () => {
    const res = await rawRequest(host.port, withToken('/'), { headers: { host: `evil.example:${host.port}` } });
    expect(res.status).toBe(403);
    const localhost = await rawRequest(host.port, withToken('/'), { headers: { host: `localhost:${host.port}` } });
    expect(localhost.status).toBe(200);
  });

  it('sets the token cookie when the page is opened with the token, and accepts the cookie afterwards', async () => {
    const page = await rawRequest(host.port, withToken('/'));
    expect(page.status).toBe(200);
    const cookie = String(page.headers['set-cookie']);
    expect(cookie).toBe(`evgap_token=${host.token}; HttpOnly; SameSite=Strict; Path=/`);
    const asset = await rawRequest(host.port, '/assets/app.js', { headers: { cookie: cookie.split(';')[0]! } });
    expect(asset.status).toBe(200);
    expect(asset.headers['set-cookie']).toBeUndefined();
  });

  it('allows only GET and HEAD', async () => {
    const res = await rawRequest(host.port, '/', { method: 'POST', headers: tokenHeader() });
    expect(res.status).toBe(405);
  });
});

describe('startHost: renderer files', () => {
  it('serves index.html for / with the security headers', async () => {
    const res = await rawRequest(host.port, withToken('/'));
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.body.toString()).toContain('<title>EVGAP</title>');
    expect(res.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
  });

  it('serves assets with their content types', async () => {
    const js = await rawRequest(host.port, '/assets/app.js', { headers: tokenHeader() });
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.body.toString()).toBe('console.log("app");');
    const css = await rawRequest(host.port, '/assets/app.css', { headers: tokenHeader() });
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
  });

  it('lists no directory and answers 404 for missing files', async () => {
    expect((await rawRequest(host.port, '/assets', { headers: tokenHeader() })).status).toBe(404);
    expect((await rawRequest(host.port, '/assets/', { headers: tokenHeader() })).status).toBe(404);
    expect((await rawRequest(host.port, '/missing.js', { headers: tokenHeader() })).status).toBe(404);
  });

  it.each(['/../secret.txt', '/assets/../../secret.txt', '/%2e%2e/secret.txt', '/assets/%2E%2E/%2e%2e/secret.txt', '/..%2fsecret.txt'])(
    'refuses %s (400)',
    async (path) => {
      const res = await rawRequest(host.port, path, { headers: tokenHeader() });
      expect(res.status).toBe(400);
      expect(res.body.toString()).not.toContain('outside the renderer');
    },
  );

  it('does not follow a symbolic link out of the renderer folder', async () => {
    const res = await rawRequest(host.port, '/assets/link.txt', { headers: tokenHeader() });
    expect(res.status).toBe(404);
  });
});

describe('startHost: media', () => {
  const video = () => `/media/track/${trackId}/video`;

  it('streams a registered video whole, with its content type', async () => {
    const res = await rawRequest(host.port, video(), { headers: tokenHeader() });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('video/webm');
    expect(res.headers['accept-ranges']).toBe('bytes');
    expect(res.body.equals(readFileSync(videoFile))).toBe(true);
  });

  it('serves feature files as octet-stream', async () => {
    const res = await rawRequest(host.port, `/media/track/${trackId}/feature`, { headers: tokenHeader() });
    expect(res.headers['content-type']).toBe('application/octet-stream');
    expect(res.body.equals(readFileSync(featureFile))).toBe(true);
  });

  it.each([
    ['bytes=100-199', 100, 199],
    ['bytes=19990-', 19990, 19999],
    ['bytes=-10', 19990, 19999],
    ['bytes=0-0', 0, 0],
    ['bytes=19000-99999', 19000, 19999],
  ])('answers Range %s with 206 and exactly those bytes', async (range, start, end) => {
    const res = await rawRequest(host.port, video(), { headers: { ...tokenHeader(), range } });
    expect(res.status).toBe(206);
    expect(res.headers['content-range']).toBe(`bytes ${start}-${end}/20000`);
    expect(res.headers['content-length']).toBe(String(end - start + 1));
    expect(res.body.equals(readFileSync(videoFile).subarray(start, end + 1))).toBe(true);
  });

  it.each(['bytes=20000-', 'bytes=30000-30010', 'bytes=50-10'])('answers Range %s with 416', async (range) => {
    const res = await rawRequest(host.port, video(), { headers: { ...tokenHeader(), range } });
    expect(res.status).toBe(416);
    expect(res.headers['content-range']).toBe('bytes */20000');
  });

  it('answers HEAD with the length and no body', async () => {
    const res = await rawRequest(host.port, video(), { method: 'HEAD', headers: tokenHeader() });
    expect(res.status).toBe(200);
    expect(res.headers['content-length']).toBe('20000');
    expect(res.body.length).toBe(0);
  });

  it.each([
    ['/media/track/999/video', 404],
    ['/media/track/abc/video', 400],
    ['/media/track/01/video', 400],
    ['/media/track/1/thumbnail', 404],
    ['/media/track/1', 404],
    ['/media/datasets/small/videos/1-ego.webm', 404],
    ['/media/track/1/video/extra', 404],
    ['/media/track/1/../../catalog.sqlite', 400],
    ['/media/%2e%2e/catalog.sqlite', 400],
    ['/media/track/%2e%2e/video', 400],
  ])('refuses %s (%i)', async (path, status) => {
    const res = await rawRequest(host.port, path, { headers: tokenHeader() });
    expect(res.status).toBe(status);
  });

  it('answers 404 when a registered file is missing on disk', async () => {
    const sceneId = fixture.catalog.getDataset(fixture.datasetId).scenes[1]!.id;
    const otherTrack = fixture.catalog.getScene(sceneId).views[1]!.track!.id;
    rmSync(fixture.catalog.trackFile(otherTrack, 'video'));
    const res = await rawRequest(host.port, `/media/track/${otherTrack}/video`, { headers: tokenHeader() });
    expect(res.status).toBe(404);
  });
});

describe('startHost: API socket', () => {
  it.each([
    ['no token', () => socketUrl(''), () => origin(), 401],
    ['a wrong token', () => socketUrl(`?token=${'f'.repeat(64)}`), () => origin(), 401],
    ['no Origin', () => socketUrl(), () => undefined, 403],
    ['a foreign Origin', () => socketUrl(), () => 'http://evil.example', 403],
    ['another port as Origin', () => socketUrl(), () => `http://127.0.0.1:${host.port + 1}`, 403],
    ['another path', () => socketUrl().replace('/api', '/other'), () => origin(), 404],
  ])('refuses an upgrade with %s', async (_what, url, originOf, status) => {
    expect(await refusalStatus(url(), { origin: originOf() })).toBe(status);
  });

  it('accepts the token as header or cookie and localhost as origin', async () => {
    expect(await refusalStatus(socketUrl(''), { origin: origin(), headers: tokenHeader() })).toBe(101);
    expect(await refusalStatus(socketUrl(''), { origin: `http://localhost:${host.port}`, headers: { cookie: `evgap_token=${host.token}` } })).toBe(101);
  });

  it('answers the contract and broadcasts events to every connection', async () => {
    const [a, b] = await Promise.all([openSocket(socketUrl(), { origin: origin() }), openSocket(socketUrl(), { origin: origin() })]);
    const clientA = apiClient(a);
    const clientB = apiClient(b);
    try {
      expect((await clientA.api.appInfo({})).transport).toBe('host');
      expect((await clientA.api.listDatasets({})).map((d) => d.name)).toEqual(['small']);
      const heard = new Promise((resolve) => clientB.on('catalog.changed', resolve));
      const view = fixture.catalog.getScene(fixture.catalog.getDataset(fixture.datasetId).scenes[0]!.id).views[1]!;
      await clientA.api.setSyncOffset({ viewId: view.id, offsetFrames: 4 });
      expect(await heard).toEqual({ datasetId: fixture.datasetId, sceneId: view.sceneId, what: 'syncOffset' });
      await expect(clientB.api.getScene({ sceneId: 999 })).rejects.toBeInstanceOf(NotFoundError);
    } finally {
      clientA.close();
      clientB.close();
      a.close();
      b.close();
    }
  });

  it('disconnects a peer that sends something other than protocol JSON', async () => {
    const socket = await openSocket(socketUrl(), { origin: origin() });
    const closed = new Promise<number>((resolve) => socket.once('close', resolve));
    socket.send('not json');
    expect(await closed).toBe(1003);
  });
});

describe('startHost: close', () => {
  it('closes open sockets and stops listening', async () => {
    const other = await startHost({ catalog: fixture.catalog, dataDir: fixture.dataDir, port: 0, rendererDir });
    const socket = await openSocket(`ws://127.0.0.1:${other.port}/api?token=${other.token}`, { origin: `http://127.0.0.1:${other.port}` });
    const closed = new Promise<number>((resolve) => socket.once('close', resolve));
    await other.close();
    expect(await closed).toBe(1001);
    await expect(rawRequest(other.port, `/?token=${other.token}`)).rejects.toThrow(/ECONNREFUSED/);
  });

  it('refuses a short token and an invalid port', async () => {
    await expect(startHost({ catalog: fixture.catalog, dataDir: fixture.dataDir, port: 0, rendererDir, token: 'short' })).rejects.toThrow(
      /token: expected at least 32 characters/,
    );
    await expect(startHost({ catalog: fixture.catalog, dataDir: fixture.dataDir, port: 70000, rendererDir })).rejects.toThrow(/port/);
  });
});
