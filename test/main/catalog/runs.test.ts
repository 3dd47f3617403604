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
      name: null,
      tags: [],
      parentRunId: null,
      quick: false,
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

  it('stores several seeds’ results in one transaction: all of them, or none', () => {
    const id = catalog.createRun({ datasetId, kind: 'pipeline', config, seed: 3, backend: null });
    catalog.addEvaluationResults([
      { runId: id, task: 'anticipation', view: 'ego', variant: 'base', metric: 'verb', value: 40, seed: 3 },
      { runId: id, task: 'anticipation', view: 'ego', variant: 'base', metric: 'verb', value: 44, seed: 4 },
    ]);
    expect(() =>
      catalog.addEvaluationResults([
        { runId: id, task: 'anticipation', view: 'ego', variant: 'evgap', metric: 'verb', value: 50, seed: 3 },
        { runId: id, task: 'anticipation', view: 'ego', variant: 'evgap', metric: 'verb', value: 51, seed: -1 },
      ]),
    ).toThrow('seed: expected an integer >= 0, got -1');
    expect(() => catalog.addEvaluationResults([{ runId: id + 1000, task: 'x', metric: 'y', value: 1, seed: 3 }])).toThrow(NotFoundError);
    expect(catalog.listEvaluationResults(id)).toEqual([
      { runId: id, task: 'anticipation', view: 'ego', variant: 'base', metric: 'verb', value: 40, seed: 3 },
      { runId: id, task: 'anticipation', view: 'ego', variant: 'base', metric: 'verb', value: 44, seed: 4 },
    ]);
  });
});

describe('run names, tags and pipelines', () => {
  const pipeline = (quick: boolean) => catalog.createRun({ datasetId, kind: 'pipeline', config: { request: { dataset: 'd', preset: 'demo', quick } }, seed: 1, backend: null });
  const child = (parentRunId: number) => catalog.createRun({ datasetId, kind: 'pretrain-step1', config: { step1: { steps: 24 } }, seed: 1, backend: null, parentRunId });

  it('records the pipeline that started a run and marks a quick pipeline and its runs quick', () => {
    const quick = pipeline(true);
    const quickChild = child(quick);
    const full = pipeline(false);
    const fullChild = child(full);
    const alone = catalog.createRun({ datasetId, kind: 'pretrain-step1', config, seed: 1, backend: null });
    const byId = new Map(catalog.listRuns().map((r) => [r.id, r]));
    expect([quick, quickChild, full, fullChild, alone].map((id) => [byId.get(id)!.parentRunId, byId.get(id)!.quick])).toEqual([
      [null, true],
      [quick, true],
      [null, false],
      [full, false],
      [null, false],
    ]);
    expect(catalog.getRun(quickChild)).toMatchObject({ parentRunId: quick, quick: true });
    expect(() => child(999)).toThrow(NotFoundError);
  });

  it('names a run (trimmed; empty clears) and adds and removes tags, sorted, in one change', () => {
    const id = catalog.createRun({ datasetId, kind: 'pretrain-step1', config, seed: 1, backend: null });
    expect(catalog.updateRunLabels(id, { name: '  lr sweep 5e-4 ', addTags: ['sweep', 'ICCV', 'baseline'] })).toMatchObject({ id, name: 'lr sweep 5e-4', tags: ['ICCV', 'baseline', 'sweep'] });
    expect(catalog.updateRunLabels(id, { addTags: ['sweep', 'v2'], removeTags: ['baseline', 'absent'] }).tags).toEqual(['ICCV', 'sweep', 'v2']);
    expect(catalog.getRun(id)).toMatchObject({ name: 'lr sweep 5e-4', tags: ['ICCV', 'sweep', 'v2'] });
    expect(catalog.updateRunLabels(id, { name: '' }).name).toBeNull();
    expect(catalog.updateRunLabels(id, { name: null }).name).toBeNull();
  });

  it('refuses a bad tag or name, too many tags and an unknown run, changing nothing', () => {
    const id = catalog.createRun({ datasetId, kind: 'pretrain-step1', config, seed: 1, backend: null });
    catalog.updateRunLabels(id, { name: 'kept', addTags: ['a'] });
    expect(() => catalog.updateRunLabels(id, { name: 'new', addTags: ['two words'] })).toThrow(/addTags\[0\]: expected a tag of letters, digits/);
    expect(() => catalog.updateRunLabels(id, { addTags: ['-x'] })).toThrow(ArgumentError);
    expect(() => catalog.updateRunLabels(id, { name: 'line\nbreak' })).toThrow('name: expected a name on one line');
    expect(() => catalog.updateRunLabels(id, { name: 'x'.repeat(121) })).toThrow('name: expected a name of at most 120 characters, got 121');
    expect(() => catalog.updateRunLabels(id, { addTags: Array.from({ length: 16 }, (_, i) => `t${i}`) })).toThrow(/at most 16 tags on a run, run \d+ would have 17/);
    expect(() => catalog.updateRunLabels(999, { name: 'x' })).toThrow(NotFoundError);
    expect(catalog.getRun(id)).toMatchObject({ name: 'kept', tags: ['a'] });
  });

  it('lists the runs with a tag, of a dataset or all', () => {
    const a = catalog.createRun({ datasetId, kind: 'pretrain-step1', config, seed: 1, backend: null });
    const b = catalog.createRun({ datasetId: null, kind: 'pretrain-step1', config, seed: 1, backend: null });
    catalog.updateRunLabels(a, { addTags: ['sweep'] });
    catalog.updateRunLabels(b, { addTags: ['sweep', 'other'] });
    expect(catalog.listRuns(undefined, 'sweep').map((r) => r.id)).toEqual([b, a]);
    expect(catalog.listRuns(datasetId, 'sweep').map((r) => r.id)).toEqual([a]);
    expect(catalog.listRuns(undefined, 'other').map((r) => r.id)).toEqual([b]);
    expect(catalog.listRuns(undefined, 'Sweep')).toEqual([]);
  });
});

describe('saved sampling configs', () => {
  it('lists a dataset’s saved configs by name with their stored config', () => {
    catalog.saveSamplingConfig(datasetId, 'wide', { preset: 'demo', overrides: { sampling: { window: 30 } }, views: null });
    catalog.saveSamplingConfig(datasetId, 'narrow', { preset: 'demo', overrides: {}, views: ['e1'] });
    expect(catalog.listSamplingConfigs(datasetId).map((c) => [c.name, c.config])).toEqual([
      ['narrow', { preset: 'demo', overrides: {}, views: ['e1'] }],
      ['wide', { preset: 'demo', overrides: { sampling: { window: 30 } }, views: null }],
    ]);
    expect(() => catalog.listSamplingConfigs(999)).toThrow(NotFoundError);
  });
});
