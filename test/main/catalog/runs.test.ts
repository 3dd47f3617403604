// The Catalog's experiment side: runs with their config and status timestamps, metric series, checkpoints and
// evaluation results, each round-tripped through the file.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ArgumentError, NotFoundError } from '../../../contract/errors';
import { Catalog } from '../../../main/catalog/Catalog';
import { sampleSpec, useTempDir } from './fixtures/catalogFixtures';

const tempDir = useTempDir();
let catalog: Catalog;
let datasetId: number;

beforeEach(() => {
  const dir = tempDir();
  catalog = Catalog.open(join(dir, 'catalog.sqlite'));
  datasetId = catalog.importDataset(sampleSpec(join(dir, 'data')));
});
afterEach(() => catalog.close());

const config = { preset: 'demo', step1: { lr: 5e-4, batch: 200 }, aux: [0.2, 0.2] };

describe('runs', () => {
  it('stores the resolved config and backend report and lists runs newest first', () => {
    const first = catalog.createRun({ datasetId, kind: 'pretrain', config, seed: 42, backend: 'tfjs-node-gpu', backendReport: { gpu: 'H200' } });
    const second = catalog.createRun({ datasetId: null, kind: 'evaluate', config: [1, 2], seed: null, backend: null });
    expect(catalog.getRun(first)).toEqual({
      id: first,
      datasetId,
      kind: 'pretrain',
      status: 'queued',
      backend: 'tfjs-node-gpu',
      seed: 42,
      startedAt: null,
      finishedAt: null,
      config,
      backendReport: { gpu: 'H200' },
      error: null,
    });
    expect(catalog.getRun(second)).toMatchObject({ datasetId: null, config: [1, 2], backendReport: null });
    expect(catalog.listRuns().map((r) => r.id)).toEqual([second, first]);
    expect(catalog.listRuns(datasetId).map((r) => r.id)).toEqual([first]);
  });

  it('refuses an unknown dataset, an empty kind, a fractional seed and an unserializable config', () => {
    expect(() => catalog.createRun({ datasetId: 999, kind: 'pretrain', config, seed: null, backend: null })).toThrow(NotFoundError);
    expect(() => catalog.createRun({ datasetId, kind: '', config, seed: null, backend: null })).toThrow('kind: expected a non-empty name');
    expect(() => catalog.createRun({ datasetId, kind: 'x', config, seed: 0.5, backend: null })).toThrow('seed: expected an integer, got 0.5');
    expect(() => catalog.createRun({ datasetId, kind: 'x', config: undefined, seed: null, backend: null })).toThrow(ArgumentError);
    expect(catalog.listRuns()).toEqual([]);
  });

  it('sets started_at once on running and finished_at on a terminal status, with its error', () => {
    const id = catalog.createRun({ datasetId, kind: 'pretrain', config, seed: 1, backend: 'cpu' });
    catalog.setRunStatus(id, 'running');
    const started = catalog.getRun(id).startedAt;
    expect(started).toMatch(/^\d{4}-\d\d-\d\dT/);
    catalog.setRunStatus(id, 'paused');
    catalog.setRunStatus(id, 'running');
    expect(catalog.getRun(id)).toMatchObject({ status: 'running', startedAt: started, finishedAt: null });
    catalog.setRunStatus(id, 'failed', { error: 'loss became NaN at step 12' });
    const failed = catalog.getRun(id);
    expect(failed).toMatchObject({ status: 'failed', error: 'loss became NaN at step 12', startedAt: started });
    expect(failed.finishedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(() => catalog.setRunStatus(id + 1, 'running')).toThrow(NotFoundError);
    expect(() => catalog.setRunStatus(id, 'exploded' as 'running')).toThrow(ArgumentError);
  });
});

describe('run metrics', () => {
  it('round-trips series ordered by name and step, filters by name, and keeps NaN', () => {
    const id = catalog.createRun({ datasetId, kind: 'pretrain', config, seed: 1, backend: null });
    catalog.addRunMetrics(id, [
      { step: 2, name: 'loss', value: 0.5 },
      { step: 1, name: 'loss', value: 0.75 },
      { step: 1, name: 'gradNorm', value: 3 },
      { step: 3, name: 'loss', value: Number.NaN },
      { step: 1, name: 'logitScale', value: Number.POSITIVE_INFINITY },
    ]);
    expect(catalog.runMetrics(id)).toEqual([
      { step: 1, name: 'gradNorm', value: 3 },
      { step: 1, name: 'logitScale', value: Number.POSITIVE_INFINITY },
      { step: 1, name: 'loss', value: 0.75 },
      { step: 2, name: 'loss', value: 0.5 },
      { step: 3, name: 'loss', value: Number.NaN },
    ]);
    expect(catalog.runMetrics(id, ['gradNorm', 'missing'])).toEqual([{ step: 1, name: 'gradNorm', value: 3 }]);
    expect(catalog.runMetrics(id, [])).toEqual([]);
  });

  it('replaces a step logged again (a resumed run)', () => {
    const id = catalog.createRun({ datasetId, kind: 'pretrain', config, seed: 1, backend: null });
    catalog.addRunMetrics(id, [{ step: 5, name: 'loss', value: 1 }]);
    catalog.addRunMetrics(id, [{ step: 5, name: 'loss', value: 0.9 }]);
    expect(catalog.runMetrics(id)).toEqual([{ step: 5, name: 'loss', value: 0.9 }]);
  });

  it('writes a batch all or nothing', () => {
    const id = catalog.createRun({ datasetId, kind: 'pretrain', config, seed: 1, backend: null });
    expect(() =>
      catalog.addRunMetrics(id, [
        { step: 1, name: 'loss', value: 1 },
        { step: -1, name: 'loss', value: 1 },
      ]),
    ).toThrow('rows[1].step: expected an integer >= 0, got -1');
    expect(catalog.runMetrics(id)).toEqual([]);
    expect(() => catalog.addRunMetrics(id + 1, [{ step: 1, name: 'loss', value: 1 }])).toThrow(NotFoundError);
  });
});

describe('checkpoints and evaluation results', () => {
  it('round-trips checkpoints in step order with their meta', () => {
    const id = catalog.createRun({ datasetId, kind: 'pretrain', config, seed: 1, backend: null });
    const late = catalog.addCheckpoint(id, { step: 200, path: 'runs/1/step-200', meta: { loss: 0.4 } });
    const early = catalog.addCheckpoint(id, { step: 100, path: 'runs/1/step-100' });
    const listed = catalog.listCheckpoints(id);
    expect(listed.map(({ createdAt: _, ...rest }) => rest)).toEqual([
      { id: early, step: 100, path: 'runs/1/step-100', meta: null },
      { id: late, step: 200, path: 'runs/1/step-200', meta: { loss: 0.4 } },
    ]);
    expect(listed[0]!.createdAt).toMatch(/Z$/);
    expect(() => catalog.addCheckpoint(id + 1, { step: 1, path: 'x' })).toThrow(NotFoundError);
    expect(() => catalog.listCheckpoints(id + 1)).toThrow(NotFoundError);
  });

  it('stores evaluation results per task, view and variant', () => {
    const id = catalog.createRun({ datasetId, kind: 'evaluate', config, seed: 1, backend: null });
    const resultId = catalog.addEvaluationResult({ runId: id, task: 'tas', view: 'C10118', variant: 'EVGAP*', metric: 'F1@25', value: 31.2, meta: { folds: 1 } });
    catalog.addEvaluationResult({ runId: id, task: 'retrieval', metric: 'R@1 ego→exo', value: 0.12 });
    expect(() => catalog.addEvaluationResult({ runId: id + 1, task: 'tas', metric: 'Edit', value: 1 })).toThrow(NotFoundError);
    expect(() => catalog.addEvaluationResult({ runId: id, task: '', metric: 'Edit', value: 1 })).toThrow('task: expected a non-empty name');
    const raw = new Database(catalog.file, { readonly: true });
    const rows = raw.prepare('SELECT id, run_id, task, view, variant, metric, value, meta FROM evaluation_results ORDER BY id').all();
    raw.close();
    expect(rows).toEqual([
      { id: resultId, run_id: id, task: 'tas', view: 'C10118', variant: 'EVGAP*', metric: 'F1@25', value: 31.2, meta: '{"folds":1}' },
      { id: resultId + 1, run_id: id, task: 'retrieval', view: null, variant: null, metric: 'R@1 ego→exo', value: 0.12, meta: 'null' },
    ]);
  });
});
