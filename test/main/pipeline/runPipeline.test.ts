// The one-click pipeline end to end on a small demo in quick mode (fixed seeds): the run row comes first, stages
// run in order, every table is a catalog row and a report file. Orderings are asserted only where the demo's
// design guarantees them with a margin: raw features of two cameras are dominated by independent per-camera
// nuisance, so raw cross-view retrieval sits at chance, while step 1 learns the shared map that removes it
// (test/main/demo/features.test.ts shows one linear map suffices), so even a short step 1 lifts Recall@10 well
// above the raw features' (measured over seeds 1, 2, 5, 9: raw 24.1 at chance 29.9; step 1 45–61, step 2 44–59;
// asserted: more than 10 points above raw). Segmentation and anticipation heads get a few epochs here: no
// ordering is asserted for them.
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArgumentError, NotFoundError } from '../../../contract/errors';
import { loadBackend, type BackendReport } from '../../../native/tfBackend';
import { TrainingControl } from '../../../main/engine/training/trainingControl';
import { pipelineStages, runPipeline, type PipelineEvent, type PipelineOutcome, type PipelineRequest } from '../../../main/pipeline/runPipeline';
import type { ReportData } from '../../../main/report/reportData';
import { createPipelineFixture, type PipelineFixture } from './pipelineFixture';

const timeout = 900_000;
let backend: BackendReport;

/** Quick settings with a step 1 long enough to align the small demo's cameras. */
const request = (dataset: string, extra: Partial<PipelineRequest> = {}): PipelineRequest => ({
  dataset,
  preset: 'demo',
  quick: true,
  seed: 3,
  settings: { training: { step1: { steps: 60, checkpointEvery: 60, batchPairs: 32 }, step2: { steps: 10, checkpointEvery: 10, batchGroups: 10 } } },
  ...extra,
});

beforeAll(async () => {
  backend = await loadBackend();
});

describe('runPipeline, quick mode on a small demo', () => {
  let fixture: PipelineFixture;
  const events: PipelineEvent[] = [];
  let outcome: PipelineOutcome;
  let report: ReportData;

  beforeAll(async () => {
    fixture = await createPipelineFixture();
    outcome = await runPipeline(request(fixture.dataset), { catalog: fixture.catalog, dataDir: fixture.dataDir, backend, onEvent: (e) => events.push(e) });
    report = JSON.parse(readFileSync(join(outcome.reportDir, 'report.json'), 'utf8')) as ReportData;
  }, timeout);
  afterAll(() => fixture.cleanup());

  it('creates the pipeline run first and completes it', () => {
    expect(outcome).toMatchObject({ status: 'completed', reportDir: join(fixture.dataDir, 'runs', String(outcome.runId), 'report') });
    expect(events[0]).toMatchObject({ type: 'stage', runId: outcome.runId, stage: 'pretrain-step1', stageIndex: 0, stages: pipelineStages.length });
    expect(fixture.catalog.getRun(outcome.runId)).toMatchObject({ kind: 'pipeline', status: 'completed', error: null });
    const pretrainRuns = fixture.catalog.listRuns().filter((run) => run.kind.startsWith('pretrain-'));
    expect(pretrainRuns.map((run) => run.status)).toEqual(['completed', 'completed', 'completed']);
    expect(report.runs).toEqual({ step1: expect.any(Number), step2: expect.any(Number), step2FromRandom: expect.any(Number) });
  });

  it('runs the stages in order and forwards the training events', () => {
    const order = [...new Set(events.flatMap((e) => (e.type === 'stage' ? [e.stage] : [])))];
    expect(order).toEqual([...pipelineStages]);
    const fractions = events.flatMap((e) => (e.type === 'stage' ? [e.fraction] : []));
    expect(fractions.every((f) => f >= 0 && f <= 1)).toBe(true);
    expect(events.some((e) => e.type === 'training' && e.event.type === 'progress')).toBe(true);
  });

  it('stores every result as a catalog row of the pipeline run, by task, view and variant', () => {
    const rows = fixture.catalog.listEvaluationResults(outcome.runId);
    const tasks = new Set(rows.map((r) => r.task));
    expect([...tasks].sort()).toEqual(['ablation', 'anticipation', 'retrieval', 'segmentation']);
    const novel = rows.filter((r) => r.task === 'segmentation' && ['e1', 'e2', 'v1', 'v2'].includes(r.view ?? ''));
    expect(new Set(novel.map((r) => `${r.view}/${r.variant}`)).size).toBe(8);
    expect(rows.filter((r) => r.task === 'ablation' && r.metric === 'avg').map((r) => `${r.view}/${r.variant}`).sort()).toEqual(
      ['single-view', 'two-view'].flatMap((view) => ['base', 'random', 'step1', 'step1+step2', 'step2'].map((variant) => `${view}/${variant}`)).sort(),
    );
    expect(rows.filter((r) => r.task === 'anticipation' && r.metric === 'action').map((r) => `${r.view}/${r.variant}`).sort()).toEqual(
      ['ego+exo/base', 'ego+exo/evgap', 'ego/base', 'ego/evgap', 'exo/base', 'exo/evgap'],
    );
    const retrievalMean = rows.find((r) => r.task === 'retrieval' && r.view === 'mean' && r.variant === 'step2' && r.metric === 'ego2exo.R@1');
    expect(retrievalMean?.value).toBe(report.retrieval!.mean.find((m) => m.variant === 'step2')!.egoToExo.recallAt['1']);
  });

  it('holds out the first two ego and exo views by default, with Base, +EVGAP and Δ per view', () => {
    expect(report.novelView!.heldOutViews).toEqual(['e1', 'e2', 'v1', 'v2']);
    for (const row of report.novelView!.rows) expect(row.delta.avg).toBeCloseTo(row.evgap.avg! - row.base.avg!, 9);
  });

  it('lifts cross-view retrieval well above the raw features after step 1 (the demo is built for it)', () => {
    const mean = (variant: string) => report.retrieval!.mean.find((m) => m.variant === variant)!;
    const recall10 = (variant: string) => (mean(variant).egoToExo.recallAt['10']! + mean(variant).exoToEgo.recallAt['10']!) / 2;
    const chance10 = report.retrieval!.chance.egoToExo.recallAt['10']!;
    expect(recall10('raw')).toBeLessThan(chance10 + 5);
    expect(recall10('step1')).toBeGreaterThan(recall10('raw') + 10);
    // Step 2 starts from step 1 with SigLIP's initialization (main/pipeline/settings.ts): it keeps the alignment.
    expect(recall10('step2')).toBeGreaterThan(recall10('raw') + 10);
  });

  it('writes a self-contained HTML page, report.json and CSV files', () => {
    expect(readdirSync(outcome.reportDir).sort()).toEqual(
      ['ablation.csv', 'anticipation.csv', 'index.html', 'losses.csv', 'novel-view.csv', 'report.json', 'retrieval.csv', 'segmentation.csv'],
    );
    const html = readFileSync(join(outcome.reportDir, 'index.html'), 'utf8');
    expect(html).not.toMatch(/(src|href)=["']?(https?:)?\/\//);
    expect(html).not.toMatch(/<script/i);
    expect(html.match(/<svg/g)?.length).toBeGreaterThanOrEqual(5);
    expect(html).toMatch(/data-delta="(better|worse|same)"/);
    expect(report.losses.map((c) => c.points.length)).toEqual([60, 10, 10]);
    const novelCsv = readFileSync(join(outcome.reportDir, 'novel-view.csv'), 'utf8').trim().split('\r\n');
    expect(novelCsv[0]).toBe('view,role,variant,f1_10,f1_25,f1_50,edit,acc,avg');
    expect(novelCsv).toHaveLength(1 + 4 * 3);
  });
});

describe('runPipeline: bad input, cancellation and failure', () => {
  let fixture: PipelineFixture;
  beforeAll(async () => {
    fixture = await createPipelineFixture();
  }, timeout);
  afterAll(() => fixture.cleanup());

  it('rejects a held-out view the dataset does not have before writing anything', async () => {
    const runsBefore = fixture.catalog.listRuns().length;
    await expect(runPipeline(request(fixture.dataset, { heldOutViews: ['e1', 'v9'] }), { catalog: fixture.catalog, dataDir: fixture.dataDir, backend })).rejects.toThrow(
      new ArgumentError('heldOutViews: dataset demo has no view "v9" (its views: e1, e2, v1, v2, v3)'),
    );
    await expect(runPipeline(request('nope'), { catalog: fixture.catalog, dataDir: fixture.dataDir, backend })).rejects.toThrow(NotFoundError);
    expect(fixture.catalog.listRuns()).toHaveLength(runsBefore);
    expect(existsSync(join(fixture.dataDir, 'runs'))).toBe(false);
  });

  it('stops when cancelled during training: the pipeline run ends cancelled, with no results and no report', async () => {
    const control = new TrainingControl();
    const outcome = await runPipeline(request(fixture.dataset), {
      catalog: fixture.catalog,
      dataDir: fixture.dataDir,
      backend,
      control,
      onEvent: (e) => {
        if (e.type === 'training' && e.event.type === 'progress' && e.event.step === 3) control.cancel();
      },
    });
    expect(outcome.status).toBe('cancelled');
    expect(fixture.catalog.getRun(outcome.runId).status).toBe('cancelled');
    expect(fixture.catalog.listEvaluationResults(outcome.runId)).toEqual([]);
    expect(existsSync(outcome.reportDir)).toBe(false);
  }, timeout);

  it('marks the run failed with the stage and error when a stage fails, keeping the earlier stages’ rows', async () => {
    const trainScene = fixture.catalog.listScenes(fixture.catalog.findDatasetByName(fixture.dataset)!.id).find((s) => s.split === 'train')!;
    const track = fixture.catalog.getScene(trainScene.id).views.find((v) => v.name === 'e1')!.track!;
    const featureFile = fixture.catalog.trackFile(track.id, 'feature');
    const outcome = await runPipeline(request(fixture.dataset), {
      catalog: fixture.catalog,
      dataDir: fixture.dataDir,
      backend,
      // Retrieval reads only the test scenes; the segmentation heads then need the train scenes' tracks.
      onEvent: (e) => {
        if (e.type === 'stage' && e.stage === 'segmentation' && e.fraction === 0) rmSync(featureFile);
      },
    });
    expect(outcome.status).toBe('failed');
    expect(outcome.error).toMatch(/^segmentation: /);
    expect(fixture.catalog.getRun(outcome.runId)).toMatchObject({ status: 'failed', error: outcome.error });
    const tasks = new Set(fixture.catalog.listEvaluationResults(outcome.runId).map((r) => r.task));
    expect([...tasks]).toEqual(['retrieval']);
    expect(existsSync(outcome.reportDir)).toBe(false);
  }, timeout);
});
