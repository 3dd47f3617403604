// End to end: `evgap demo` generates and registers a small demo, `evgap serve` runs the real host process, and
// the tests talk to it over HTTP and the API WebSocket as a browser would (and as an attacker would).
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ViewInfo } from '../../../contract/api';
import { CONTENT_SECURITY_POLICY } from '../../../main/host/securityHeaders';
import { catalogFile } from '../../../main/paths';
import { apiClient, openSocket, rawRequest, refusalStatus } from '../host/httpClient';
import { assertBuilt, evgapBin, exitOf, runEvgap, startServe, type ServeProcess } from './processHarness';

let dataDir: string;
let demoRun: ReturnType<typeof runEvgap>;
let serve: ServeProcess;
let egoView: ViewInfo;

const demoArgs = () => ['demo', '--scenes', '3', '--dim', '32', '--no-pipeline', '--data', dataDir];

beforeAll(async () => {
  assertBuilt();
  dataDir = mkdtempSync(join(tmpdir(), 'evgap-process-'));
  demoRun = runEvgap(demoArgs());
  if (demoRun.code !== 0) throw new Error(`evgap demo failed:\n${demoRun.stderr}`);
  serve = await startServe(['--data', dataDir]);
}, 600_000);

afterAll(async () => {
  if (serve && serve.child.exitCode === null) {
    serve.child.kill('SIGKILL');
    await exitOf(serve.child);
  }
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('evgap demo', () => {
  it('prints a summary with counts by role, where the files are and the next step', () => {
    expect(demoRun.stdout).toMatch(/^Demo dataset ready: "demo"/);
    expect(demoRun.stdout).toContain('3 scenes, 36 views (12 ego, 24 exo), 36 tracks');
    expect(demoRun.stdout).toContain(join(dataDir, 'datasets', 'demo'));
    expect(demoRun.stdout).toContain('evgap serve');
    expect(demoRun.stderr).toMatch(/Generating demo: 100%/);
  });

  it('reuses the demo when run again with the same options', () => {
    const again = runEvgap(demoArgs());
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^Demo dataset already up to date/);
    expect(again.stderr).not.toContain('Generating');
  });

  it('refuses other options without --force, leaving the demo in place', () => {
    const other = runEvgap(['demo', '--scenes', '4', '--dim', '32', '--data', dataDir]);
    expect(other.code).toBe(1);
    expect(other.stderr).toMatch(/^evgap: a dataset "demo" from other options .* --force/);
    expect(JSON.parse(runEvgap(['datasets', '--json', '--data', dataDir]).stdout)[0].sceneCount).toBe(3);
  });

  it('rejects out-of-range options as usage errors', () => {
    const result = runEvgap(['demo', '--scenes', '1', '--data', dataDir]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^evgap: demo option scenes: expected an integer in \[3, /);
  });
});

describe('evgap datasets / info (process)', () => {
  it('datasets --json lists the demo', () => {
    const result = runEvgap(['datasets', '--json', '--data', dataDir]);
    expect(result.code).toBe(0);
    const datasets = JSON.parse(result.stdout);
    expect(datasets).toHaveLength(1);
    expect(datasets[0]).toMatchObject({ name: 'demo', sceneCount: 3, viewCount: 36, trackCount: 36 });
  });

  it('info demo --json has the dataset, totals, scenes with views and segments, and runs', () => {
    const result = runEvgap(['info', 'demo', '--json', '--data', dataDir]);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(Object.keys(report).sort()).toEqual(['dataset', 'runs', 'scenes', 'totals']);
    expect(report.totals).toMatchObject({ scenes: 3, views: { ego: 12, exo: 24 }, tracks: 36, runs: 0 });
    expect(report.totals.frames).toBeGreaterThan(0);
    expect(report.totals.segments).toBeGreaterThan(0);
    const view = report.scenes[0].views[0];
    expect(view).toMatchObject({ role: 'ego', track: { featureDim: 32 } });
    expect(view.track.videoPath).toMatch(/\.(webm|mp4)$/);
    expect(report.scenes[0].segments[0]).toHaveProperty('label');
  });

  it.each(['demo', 'serve', 'datasets', 'info'])('%s --help exits 0', (command) => {
    const result = runEvgap([command, '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^Usage: evgap ${command}`));
  });

  it('an unknown command exits 2', () => {
    const result = runEvgap(['nonsense']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^evgap: unknown command "nonsense"/);
  });

  it('a catalog from a newer version: clear message, exit 1, file unchanged', () => {
    const newer = mkdtempSync(join(tmpdir(), 'evgap-newer-'));
    try {
      const file = catalogFile(newer);
      copyFileSync(catalogFile(dataDir), file);
      const db = new Database(file);
      db.pragma('journal_mode = DELETE');
      db.pragma('user_version = 1000');
      db.close();
      const before = readFileSync(file);
      const result = runEvgap(['info', 'demo', '--data', newer]);
      expect(result.code).toBe(1);
      expect(result.stderr.trim()).toMatch(/^evgap: catalog .* was written by a newer EVGAP Studio \(schema 1000, .*\); open it with a newer version$/);
      expect(readFileSync(file).equals(before)).toBe(true);
    } finally {
      rmSync(newer, { recursive: true, force: true });
    }
  });

  it('the bin shim says to build when the CLI bundle is missing', () => {
    const copy = mkdtempSync(join(tmpdir(), 'evgap-unbuilt-'));
    try {
      mkdirSync(join(copy, 'bin'));
      writeFileSync(join(copy, 'package.json'), '{"type":"module"}');
      copyFileSync(evgapBin, join(copy, 'bin', 'evgap.js'));
      const result = runEvgap(['--help'], {}, join(copy, 'bin', 'evgap.js'));
      expect(result.code).toBe(1);
      expect(result.stderr.trim().split('\n')).toEqual([expect.stringMatching(/run `npm run build`/)]);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});

describe('evgap serve: the host process', () => {
  const origin = () => `http://127.0.0.1:${serve.port}`;
  const socketUrl = (query = `?token=${serve.token}`) => `ws://127.0.0.1:${serve.port}/api${query}`;
  const auth = () => ({ 'x-evgap-token': serve.token });

  async function withApi<T>(use: (api: ReturnType<typeof apiClient>['api']) => Promise<T>): Promise<T> {
    const socket = await openSocket(socketUrl(), { origin: origin() });
    const client = apiClient(socket);
    try {
      return await use(client.api);
    } finally {
      client.close();
      socket.close();
    }
  }

  beforeAll(async () => {
    egoView = await withApi(async (api) => {
      const [dataset] = await api.listDatasets({});
      const [scene] = await api.listScenes({ datasetId: dataset!.id });
      return (await api.getScene({ sceneId: scene!.id })).views.find((view) => view.role === 'ego')!;
    });
  });

  const videoPath = () => `/media/track/${egoView.track!.id}/video`;
  const videoFile = () => join(dataDir, 'datasets', 'demo', ...egoView.track!.videoPath!.split('/'));

  it('prints one address line with the token', () => {
    expect(serve.output()).toMatch(/^EVGAP Studio host: http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{64}$/m);
  });

  it('refuses page, asset, media and API without the token (401)', async () => {
    const asset = /src="\.?(\/assets\/[^"]+)"/.exec((await rawRequest(serve.port, `/?token=${serve.token}`)).body.toString())?.[1];
    expect(asset).toBeDefined();
    for (const path of ['/', asset!, videoPath()]) expect((await rawRequest(serve.port, path)).status).toBe(401);
    expect(await refusalStatus(socketUrl(''), { origin: origin() })).toBe(401);
  });

  it('refuses the API upgrade from another origin (403)', async () => {
    expect(await refusalStatus(socketUrl(), { origin: 'http://evil.example' })).toBe(403);
    expect(await refusalStatus(socketUrl(), { origin: `http://127.0.0.1:${serve.port + 1}` })).toBe(403);
  });

  it('serves index.html with the CSP header and sets the token cookie', async () => {
    const page = await rawRequest(serve.port, `/?token=${serve.token}`);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(String(page.headers['set-cookie'])).toMatch(/^evgap_token=[0-9a-f]{64}; HttpOnly; SameSite=Strict; Path=\/$/);
  });

  it('answers the API over the WebSocket: the demo is listed', async () => {
    const datasets = await withApi((api) => api.listDatasets({}));
    expect(datasets.map((d) => [d.name, d.sceneCount])).toEqual([['demo', 3]]);
    expect((await withApi((api) => api.appInfo({}))).transport).toBe('host');
  });

  it('streams byte ranges of a registered video exactly', async () => {
    const file = readFileSync(videoFile());
    const whole = await rawRequest(serve.port, videoPath(), { headers: auth() });
    expect(whole.status).toBe(200);
    expect(whole.body.equals(file)).toBe(true);
    const middle = Math.floor(file.length / 2);
    for (const [range, start, end] of [
      [`bytes=0-99`, 0, 99],
      [`bytes=${middle}-${middle + 1000}`, middle, middle + 1000],
      [`bytes=-500`, file.length - 500, file.length - 1],
    ] as const) {
      const part = await rawRequest(serve.port, videoPath(), { headers: { ...auth(), range } });
      expect(part.status).toBe(206);
      expect(part.headers['content-range']).toBe(`bytes ${start}-${end}/${file.length}`);
      expect(part.body.equals(file.subarray(start, end + 1))).toBe(true);
    }
    const beyond = await rawRequest(serve.port, videoPath(), { headers: { ...auth(), range: `bytes=${file.length}-` } });
    expect(beyond.status).toBe(416);
  });

  it.each([
    ['/media/datasets/demo/manifest.json', 404],
    ['/media/track/999999/video', 404],
    ['/media/track/x/video', 400],
    ['/media/track/1/../../../catalog.sqlite', 400],
    ['/media/%2e%2e/%2e%2e/catalog.sqlite', 400],
    ['/%2e%2e/%2e%2e/package.json', 400],
    ['/../package.json', 400],
  ])('refuses %s (%i)', async (path, status) => {
    expect((await rawRequest(serve.port, path, { headers: auth() })).status).toBe(status);
  });

  it('stops cleanly on SIGTERM (last, it ends the host)', async () => {
    serve.child.kill('SIGTERM');
    expect(await exitOf(serve.child)).toBe(0);
    expect(serve.output()).toContain('Stopped (SIGTERM).');
  });
});
