// The settings methods and the training side's absence through the in-memory rpc pair.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RemoteError } from '../../../contract/errors';
import { presets } from '../../../main/engine/config';
import type { BackendReport } from '../../../native/tfBackend';
import { createCatalogFixture, type CatalogFixture } from './catalogFixture';
import { serveApi } from './servedApi';

let fixture: CatalogFixture;

beforeEach(() => {
  fixture = createCatalogFixture();
});

afterEach(() => fixture.cleanup());

const report: BackendReport = { backend: 'wasm', tried: [{ name: 'tensorflow', ok: false, reason: 'not installed' }, { name: 'wasm', ok: true }], details: 'wasm (test)', bf16: { available: false, detail: 'test' } };

describe('backendInfo', () => {
  it('loads the backend once and answers every later call from memory', async () => {
    let loads = 0;
    const api = serveApi(fixture.catalog, fixture.dataDir, { loadBackend: async () => (loads++, report) });
    expect(await api.client.api.backendInfo({})).toEqual(report);
    expect(await api.client.api.backendInfo({})).toEqual(report);
    expect(loads).toBe(1);
    api.client.close();
  });

  it('reports a failed load and tries again on the next call', async () => {
    let loads = 0;
    const api = serveApi(fixture.catalog, fixture.dataDir, {
      loadBackend: async () => {
        loads++;
        if (loads === 1) throw new Error('loadBackend: no backend could be initialized');
        return report;
      },
    });
    await expect(api.client.api.backendInfo({})).rejects.toBeInstanceOf(RemoteError);
    expect(await api.client.api.backendInfo({})).toEqual(report);
    api.client.close();
  });

  it('reports a real backend with what was tried', async () => {
    const api = serveApi(fixture.catalog, fixture.dataDir);
    const info = await api.client.api.backendInfo({});
    expect(info.tried).toContainEqual(expect.objectContaining({ name: info.backend, ok: true }));
    expect(info.details.length).toBeGreaterThan(0);
    api.client.close();
  });
});

describe('listPresets', () => {
  it('lists the demo and paper presets resolved, with a description each', async () => {
    const api = serveApi(fixture.catalog, fixture.dataDir);
    const list = await api.client.api.listPresets({});
    expect(list.map((p) => p.name)).toEqual(['demo', 'paper']);
    expect(list[0]!.config).toEqual(presets.demo);
    expect(list[1]!.config).toEqual(presets.paper);
    for (const preset of list) expect(preset.description).toMatch(/\S/);
    expect(list.map((p) => p.segHeads)).toEqual([['c2f-tcn'], ['c2f-tcn', 'asformer', 'ltcontext']]);
    api.client.close();
  });
});

describe('listPipelineOutlines', () => {
  it('says what “Pretrain & evaluate” runs with each preset, quick check or not, as the pipeline resolves it', async () => {
    const api = serveApi(fixture.catalog, fixture.dataDir);
    const list = await api.client.api.listPipelineOutlines({});
    expect(list.map((o) => [o.preset, o.quick])).toEqual([['demo', false], ['demo', true], ['paper', false], ['paper', true]]);
    const demo = list.find((o) => o.preset === 'demo' && !o.quick)!;
    const quick = list.find((o) => o.preset === 'demo' && o.quick)!;
    // The full demo pipeline trains the preset's lengths; quick its own, which the form showed nowhere before.
    expect(demo.step1).toEqual({ steps: presets.demo.step1.steps, batchPairs: presets.demo.step1.batchPairs });
    expect(demo.step2.steps).toBe(presets.demo.step2.steps);
    expect(quick.step1.steps).toBeLessThan(demo.step1.steps);
    expect(quick.step2.steps).toBeLessThan(demo.step2.steps);
    expect(quick.step2FromRandomSteps).toBeLessThan(demo.step2FromRandomSteps);
    expect(quick.heads).toEqual([{ head: 'c2f-tcn', epochs: 1 }]);
    expect(demo.heads[0]!.epochs).toBeGreaterThan(1);
    expect(list.find((o) => o.preset === 'paper' && !o.quick)!.heads.map((h) => h.head)).toEqual(['c2f-tcn', 'asformer', 'ltcontext']);
    api.client.close();
  });

  it('applies a saved sampling config as the pipeline does: its batches, unless quick sets its own', async () => {
    const api = serveApi(fixture.catalog, fixture.dataDir);
    const config = { preset: 'demo', overrides: { sampling: { window: 20, stride: 10, scaleMin: 0.5, scaleMax: 2, clipsPerSet: 4 }, step1: { batchPairs: 48 }, step2: { batchGroups: 12 } }, views: null };
    const samplingConfigId = fixture.catalog.saveSamplingConfig(fixture.datasetId, 'batches', config);
    const list = await api.client.api.listPipelineOutlines({ datasetId: fixture.datasetId, samplingConfigId });
    expect(list.find((o) => o.preset === 'demo' && !o.quick)).toMatchObject({ step1: { batchPairs: 48 }, step2: { batchGroups: 12 } });
    expect(list.find((o) => o.preset === 'demo' && o.quick)!.step1.batchPairs).not.toBe(48);
    await expect(api.client.api.listPipelineOutlines({ samplingConfigId })).rejects.toThrow(/both or neither/);
    api.client.close();
  });
});

describe('training methods', () => {
  it.each([
    ['startPretrain', { datasetId: 1, step: 1, preset: 'demo' }],
    ['startPipeline', { preset: 'demo' }],
    ['checkRun', { pipeline: { preset: 'demo' } }],
    ['controlRun', { runId: 1, action: 'pause' }],
    ['listRuns', {}],
    ['updateRun', { runId: 1, name: 'x' }],
    ['getRun', { runId: 1 }],
    ['runMetrics', { runId: 1 }],
    ['listEvaluations', { runId: 1 }],
    ['getReport', { runId: 1 }],
    ['listReports', {}],
  ])('%s says training is not available when the process has no training side', async (method, args) => {
    const api = serveApi(fixture.catalog, fixture.dataDir);
    const error = await api.outcome(method, args);
    expect(error).toBeInstanceOf(RemoteError);
    expect((error as Error).message).toBe(`${method}: training is not available in this process`);
    api.client.close();
  });

  it('are answered by the training side when one is given', async () => {
    const api = serveApi(fixture.catalog, fixture.dataDir, {
      runs: {
        startPretrain: () => ({ runId: 7 }),
        startPipeline: () => ({ runId: 8 }),
        checkRun: () => ({ problems: [] }),
        controlRun: () => {
          throw new Error('unused');
        },
        listRuns: () => [],
        updateRun: () => {
          throw new Error('unused');
        },
        getRun: () => {
          throw new Error('unused');
        },
        runMetrics: () => [{ step: 1, name: 'loss', value: 2 }],
        listEvaluations: () => [],
        getReport: () => ({ runId: 7, htmlPath: null, data: null, problem: null }),
        listReports: () => [],
      },
    });
    expect(await api.client.api.startPretrain({ datasetId: 1, step: 1, preset: 'demo' })).toEqual({ runId: 7 });
    expect(await api.client.api.runMetrics({ runId: 7 })).toEqual([{ step: 1, name: 'loss', value: 2 }]);
    api.client.close();
  });
});
