// The host's /reports/<runId>/<file> route: the token is required, only the run's report folder is served (html,
// json, csv, svg, png; no subfolders, no escape by `..` or symbolic link), with the usual CSP; and the training side
// made with the host's emitter answers getReport with a path the host serves, and is shut down with the host.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../../main/host/securityHeaders';
import { startHost, type Host } from '../../../main/host/startHost';
import { createRunService } from '../../../main/runs/RunService';
import { createCatalogFixture, type CatalogFixture } from '../api/catalogFixture';
import { apiClient, openSocket, rawRequest } from './httpClient';

let fixture: CatalogFixture;
let rendererDir: string;
let host: Host;
let runId: number;
let shutdowns = 0;

const html = '<!doctype html><title>Run report</title><style>table { border: 1px solid }</style><table></table>';

beforeAll(async () => {
  fixture = createCatalogFixture();
  rendererDir = mkdtempSync(join(tmpdir(), 'evgap-renderer-'));
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>EVGAP</title>');
  runId = fixture.catalog.createRun({ datasetId: fixture.datasetId, kind: 'pipeline', config: {}, seed: 1, backend: null });
  const folder = join(fixture.dataDir, 'runs', String(runId), 'report');
  mkdirSync(join(folder, 'figures'), { recursive: true });
  writeFileSync(join(folder, 'index.html'), html);
  writeFileSync(join(folder, 'report.json'), '{"tables":[]}');
  writeFileSync(join(folder, 'retrieval.csv'), 'view,R@1\nexo1,0.5\n');
  writeFileSync(join(folder, 'loss.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  writeFileSync(join(folder, 'notes.txt'), 'not a report file type');
  writeFileSync(join(folder, 'figures', 'curve.png'), 'png');
  writeFileSync(join(fixture.dataDir, 'secret.html'), 'outside the report folder');
  symlinkSync(join(fixture.dataDir, 'secret.html'), join(folder, 'linked.html'));
  host = await startHost({
    catalog: fixture.catalog,
    dataDir: fixture.dataDir,
    port: 0,
    rendererDir,
    runs: (emit) => {
      const runs = createRunService({ catalog: fixture.catalog, dataDir: fixture.dataDir, emit });
      return { ...runs, shutdown: () => runs.shutdown().then(() => void shutdowns++) };
    },
  });
});

afterAll(async () => {
  await host?.close();
  fixture.cleanup();
  rmSync(rendererDir, { recursive: true, force: true });
});

const get = (path: string, token: string | null = host.token) => rawRequest(host.port, path, { headers: token === null ? {} : { 'x-evgap-token': token } });

describe('startHost: /reports', () => {
  it('refuses a report without the token (401)', async () => {
    expect((await get(`/reports/${runId}/index.html`, null)).status).toBe(401);
  });

  it.each([
    ['index.html', 'text/html; charset=utf-8', html],
    ['report.json', 'application/json; charset=utf-8', '{"tables":[]}'],
    ['retrieval.csv', 'text/csv; charset=utf-8', 'view,R@1\nexo1,0.5\n'],
    ['loss.svg', 'image/svg+xml', '<svg xmlns="http://www.w3.org/2000/svg"/>'],
  ])('serves %s from the run\'s report folder as %s, under the host CSP', async (file, type, body) => {
    const res = await get(`/reports/${runId}/${file}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe(type);
    expect(res.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(res.body.toString()).toBe(body);
  });

  it.each([
    ['a file type reports do not have', () => `/reports/${runId}/notes.txt`],
    ['a subfolder', () => `/reports/${runId}/figures/curve.png`],
    ['a symbolic link out of the folder', () => `/reports/${runId}/linked.html`],
    ['a run without a report', () => '/reports/424242/index.html'],
    ['a run id that is not a number', () => '/reports/abc/index.html'],
    ['no file name', () => `/reports/${runId}`],
    ['a hidden file name', () => `/reports/${runId}/.index.html`],
  ])('answers 404 for %s', async (_, path) => {
    const res = await get(path());
    expect(res.status).toBe(404);
    expect(res.body.toString()).not.toContain('outside the report folder');
  });

  it.each(['../../secret.html', '%2e%2e/%2e%2e/secret.html', '..%2f..%2fsecret.html'])('refuses the climbing name %s (400)', async (name) => {
    const res = await get(`/reports/${runId}/${name}`);
    expect(res.status).toBe(400);
    expect(res.body.toString()).not.toContain('outside the report folder');
  });

  it('answers getReport over the API with a path that the host serves', async () => {
    const origin = `http://127.0.0.1:${host.port}`;
    const client = apiClient(await openSocket(`ws://127.0.0.1:${host.port}/api?token=${host.token}`, { origin }));
    try {
      const report = await client.api.getReport({ runId });
      // Not a pipeline report (no format): no data, and the reason.
      expect(report).toEqual({ runId, htmlPath: `/reports/${runId}/index.html`, data: null, problem: expect.stringContaining('expected format "evgap-pipeline-report"') });
      expect((await get(report.htmlPath!)).body.toString()).toBe(html);
    } finally {
      client.close();
    }
  });
});

describe('startHost: the training side', () => {
  it('is shut down when the host closes', async () => {
    const second = await startHost({
      catalog: fixture.catalog,
      dataDir: fixture.dataDir,
      port: 0,
      rendererDir,
      runs: (emit) => ({ ...createRunService({ catalog: fixture.catalog, dataDir: fixture.dataDir, emit }), shutdown: async () => void shutdowns++ }),
    });
    const before = shutdowns;
    await second.close();
    expect(shutdowns).toBe(before + 1);
  });
});
