// @vitest-environment jsdom
// The Training screen's state (TrainingState.svelte.ts) on provenance: a pipeline's runs grouped under it and opened
// with a run of theirs, names and tags saved and shown everywhere the run is, a saved sampling config chosen for new
// runs (its batch sizes in the form, its id sent with every start, "Pretrain & evaluate"'s outline asked again with
// it), the outline following "quick check", and Compare: two runs' differing config fields and final metrics, a
// pipeline's from its own runs, kept live while a compared run trains; the checks before a start (errors keep it
// from starting, the unlabeled-class fix applied and checked again), a second run and a cancel asked first, and a
// failed run's reason in the error banner.
import { flushSync } from 'svelte';
import { describe, expect, it, vi } from 'vitest';
import type { PipelineOutline, PresetInfo, RunDetail, RunProblem, RunSummary, SamplingConfigInfo } from '../../../contract/api';
import type { JsonValue } from '../../../contract/schema';
import { StudioState } from '../../../renderer/src/lib/StudioState.svelte';
import { trainingStateOf, type TrainingState } from '../../../renderer/src/screens/training/TrainingState.svelte';
import { fakeStudioClient } from '../fakeStudioClient';

/** Waits for what TrainingState loads when it connects: the presets, the runs and what the pipeline runs. */
const loaded = (training: TrainingState) =>
  vi.waitFor(() => {
    expect(training.presets).not.toHaveLength(0);
    expect(training.runs).not.toBeNull();
    expect(training.pipelineOutline).not.toBeNull();
  });

const summary = (id: number, extra: Partial<RunSummary> = {}): RunSummary => ({
  id,
  datasetId: 1,
  kind: 'pretrain-step1',
  status: 'completed',
  backend: 'wasm',
  seed: 1,
  startedAt: null,
  finishedAt: null,
  name: null,
  tags: [],
  parentRunId: null,
  quick: false,
  error: null,
  ...extra,
});

/** A preset's resolved config as listPresets answers it (the fields the form edits, and a few more). */
const demo = {
  encoder: { inputDim: 2048, modelDim: 64, layers: 2, heads: 4, ffDim: 128, tokens: 20 },
  sampling: { window: 20, stride: 10, scaleMin: 0.5, scaleMax: 2, clipsPerSet: 10 },
  step1: { batchPairs: 64, lr: 5e-4, logitScaleInit: 1, auxWeight: 0.2, steps: 300 },
  step2: { batchGroups: 16, lr: 1e-4, weightDecay: 0.01, bias: 'learnable', logitScaleInit: 10, auxWeight: 0.2, steps: 150 },
  training: { precision: 'fp32' },
  seed: 1,
};
const demoConfig = demo as JsonValue;
const detailOf = (run: RunSummary, config: JsonValue = demoConfig): RunDetail => ({ ...run, config, backendReport: null, error: null, checkpoints: [], mix: null, samplingConfig: null });

const outline = (quick: boolean, batchPairs = 64): PipelineOutline => ({
  preset: 'demo',
  quick,
  step1: { steps: quick ? 24 : 300, batchPairs: quick ? 32 : batchPairs },
  step2: { steps: quick ? 12 : 150, batchGroups: 16 },
  step2FromRandomSteps: quick ? 6 : 150,
  heads: [{ head: 'c2f-tcn', epochs: quick ? 1 : 12 }],
  anticipationEpochs: quick ? 2 : 30,
});

const saved: SamplingConfigInfo = {
  id: 5,
  datasetId: 1,
  name: 'long clips',
  createdAt: '',
  preset: 'demo',
  settings: { window: 40, stride: 10, scaleMin: 0.5, scaleMax: 2, clipsPerSet: 8, batchPairs: 48, batchGroups: 12, views: ['e1', 'v1'] },
  problem: null,
};

function setup() {
  const runs = [
    summary(14, { kind: 'pretrain-step1' }),
    summary(13, { kind: 'pretrain-step2', parentRunId: 10, quick: true }),
    summary(11, { kind: 'pretrain-step1', parentRunId: 10, quick: true }),
    summary(10, { kind: 'pipeline', quick: true }),
  ];
  const configs = new Map<number, JsonValue>([
    [14, { ...demo, step1: { ...demo.step1, lr: 1e-3 } }],
    [10, { request: { dataset: 'demo', preset: 'demo', quick: true }, engine: { ...demo, step1: { ...demo.step1, steps: 24 } } }],
  ]);
  const outlineCalls: unknown[] = [];
  const client = fakeStudioClient({
    appInfo: async () => ({ version: '0', dataDir: '/d', catalogPath: '/d/c', catalogVersion: 60, transport: 'host' }),
    listDatasets: async () => [],
    listPresets: async (): Promise<PresetInfo[]> => [{ name: 'demo', description: 'd', config: demoConfig, segHeads: ['c2f-tcn'] }],
    backendInfo: async () => ({ backend: 'wasm', tried: [], details: 'wasm' }),
    listRuns: async () => runs,
    listPipelineOutlines: async (args) => {
      outlineCalls.push(args);
      return [outline(false, args.samplingConfigId === undefined ? 64 : 48), outline(true)];
    },
    listScenes: async () => [],
    listSamplingConfigs: async () => [saved, { ...saved, id: 6, name: 'old', settings: null, problem: 'unreadable' }],
    getRun: async ({ runId }) => detailOf(runs.find((r) => r.id === runId)!, configs.get(runId) ?? demoConfig),
    runMetrics: async ({ runId }) =>
      [1, 2, 3].map((step) => ({ step, name: 'loss', value: runId + 1 / step })),
    listEvaluations: async ({ runId }) => [{ runId, task: 'retrieval', view: 'mean', variant: 'step2', metric: 'ego2exo.R@1', value: 70, seed: 1 }],
    updateRun: async ({ runId, name, addTags, removeTags }) => {
      const run = runs.find((r) => r.id === runId)!;
      const tags = [...new Set([...run.tags, ...(addTags ?? [])])].filter((t) => !(removeTags ?? []).includes(t)).sort();
      Object.assign(run, { tags, ...(name !== undefined && { name: name === '' ? null : name }) });
      return { ...run };
    },
    startPretrain: async () => ({ runId: 20 }),
    startPipeline: async () => ({ runId: 21 }),
    checkRun: async () => ({ problems: [] }),
    controlRun: async ({ runId }) => ({ ...runs.find((r) => r.id === runId)!, status: 'cancelled' }),
  });
  const studio = new StudioState(client);
  const training = trainingStateOf(studio);
  return { client, studio, training, runs, outlineCalls };
}

describe('TrainingState: runs grouped, named and tagged', () => {
  it('folds a pipeline’s runs under it and opens them with one of its runs', async () => {
    const { training } = setup();
    await loaded(training);
    expect(training.rows.map((r) => [r.run.id, r.depth])).toEqual([[14, 0], [10, 0]]);
    training.toggleExpanded(10, true);
    expect(training.rows.map((r) => [r.run.id, r.depth])).toEqual([[14, 0], [10, 0], [11, 1], [13, 1]]);
    training.toggleExpanded(10, false);
    await training.selectRun(13, true);
    expect(training.expanded.has(10)).toBe(true);
    expect(training.selectedRun).toMatchObject({ id: 13, parentRunId: 10, quick: true });
  });

  it('saves a name and tags and shows them in the list, the open run and the tag filter', async () => {
    const { training, client } = setup();
    await loaded(training);
    await training.selectRun(14, true);
    expect(await training.updateLabels(14, { name: 'lr 1e-3', addTags: ['sweep'] })).toBe(true);
    expect(client.api.updateRun).toHaveBeenCalledWith({ runId: 14, name: 'lr 1e-3', addTags: ['sweep'] });
    expect(training.runs!.find((r) => r.id === 14)).toMatchObject({ name: 'lr 1e-3', tags: ['sweep'] });
    expect(training.selectedRun).toMatchObject({ name: 'lr 1e-3', tags: ['sweep'] });
    training.tagFilter = 'sweep';
    expect(training.rows.map((r) => r.run.id)).toEqual([14]);
    // Removing the filter's last tag shows every run again.
    await training.updateLabels(14, { removeTags: ['sweep'] });
    expect(training.tagFilter).toBeNull();
    expect(training.rows.map((r) => r.run.id)).toEqual([14, 10]);
  });
});

describe('TrainingState: the saved sampling config and what “Pretrain & evaluate” runs', () => {
  it('shows the quick check’s own lengths when it is ticked', async () => {
    const { training } = setup();
    await loaded(training);
    expect(training.pipelineOutline).toMatchObject({ quick: false, step1: { steps: 300 } });
    training.quickPipeline = true;
    flushSync();
    expect(training.pipelineOutline).toMatchObject({ quick: true, step1: { steps: 24 }, step2: { steps: 12 } });
  });

  it('lists the dataset’s saved configs, puts the chosen one’s batches in the form and sends it with every start', async () => {
    const { training, client, outlineCalls } = setup();
    await loaded(training);
    await training.chooseDataset(1);
    await vi.waitFor(() => expect(training.samplingConfigs.map((c) => c.name)).toEqual(['long clips', 'old']));
    training.chooseSamplingConfig(5);
    await vi.waitFor(() => expect(training.pipelineOutline!.step1.batchPairs).toBe(48));
    expect(training.values['step1.batchPairs']).toBe('48');
    expect(training.values['step2.batchGroups']).toBe('12');
    expect(outlineCalls.at(-1)).toEqual({ datasetId: 1, samplingConfigId: 5 });
    expect(training.pipelineOutline!.step1.batchPairs).toBe(48);

    await training.startStep(1);
    expect(client.api.startPretrain).toHaveBeenCalledWith(expect.objectContaining({ samplingConfigId: 5, overrides: expect.objectContaining({ step1: { batchPairs: 48 } }) }));
    await training.startPipeline();
    expect(client.api.startPipeline).toHaveBeenCalledWith(expect.objectContaining({ datasetId: 1, samplingConfigId: 5 }));

    // Back to the preset's sampling: its batches again, nothing sent.
    training.chooseSamplingConfig(null);
    expect(training.values['step1.batchPairs']).toBe(String(demo.step1.batchPairs));
    await training.startStep(1);
    expect(client.api.startPretrain).toHaveBeenLastCalledWith(expect.not.objectContaining({ samplingConfigId: expect.anything() }));
  });
});

describe('TrainingState: checks and questions before a run', () => {
  const gap = (scene: string): RunProblem => ({
    severity: 'error',
    dataset: 'demo',
    scene,
    message: '20 frames of the annotated range [0, 100) in no segment: frames 60–79',
    fix: { text: "fill gaps with class 'unlabeled'", unlabeledClass: 'unlabeled' },
  });

  it('shows the problems and does not start while errors remain; the fix sets the unlabeled class and checks again', async () => {
    const { training, client } = setup();
    await loaded(training);
    await training.chooseDataset(1);
    client.api.checkRun.mockImplementation(async ({ pipeline }) => ({ problems: pipeline?.unlabeledClass === undefined ? [gap('s1'), gap('s2')] : [] }));

    await training.startPipeline();
    expect(client.api.startPipeline).not.toHaveBeenCalled();
    expect(training.check).toMatchObject({ what: 'pipeline', refused: true, problems: [{ scene: 's1' }, { scene: 's2' }] });

    await training.applyFix(training.check!.problems[0]!.fix!);
    expect(training.unlabeledClass).toBe('unlabeled');
    expect(client.api.checkRun).toHaveBeenLastCalledWith({ pipeline: expect.objectContaining({ datasetId: 1, unlabeledClass: 'unlabeled' }) });
    expect(training.check).toBeNull();

    await training.startPipeline();
    expect(client.api.startPipeline).toHaveBeenCalledWith(expect.objectContaining({ datasetId: 1, unlabeledClass: 'unlabeled' }));
  });

  it('starts despite warnings, keeping them shown', async () => {
    const { training, client } = setup();
    await loaded(training);
    await training.chooseDataset(1);
    const warning: RunProblem = { severity: 'warning', dataset: 'demo', scene: 's1', message: 'view v3 has no feature track', fix: null };
    client.api.checkRun.mockResolvedValue({ problems: [warning] });
    await training.startStep(1);
    expect(client.api.checkRun).toHaveBeenCalledWith({ pretrain: expect.objectContaining({ datasetId: 1, step: 1 }) });
    expect(client.api.startPretrain).toHaveBeenCalled();
    expect(training.check).toEqual({ what: 'step1', problems: [warning], refused: false });
  });

  it('asks before starting a second run while one runs, and before cancelling', async () => {
    const { training, client, runs } = setup();
    await loaded(training);
    await training.chooseDataset(1);
    runs[0]!.status = 'running';
    await training.loadRuns();

    const declined = training.startPipeline();
    expect(training.confirmation).toMatchObject({ title: 'A run is in progress — start a second one?' });
    expect(training.confirmation!.message).toContain('Run #14 pretrain-step1 (running) is not finished');
    training.answer(false);
    await declined;
    expect(client.api.startPipeline).not.toHaveBeenCalled();

    const accepted = training.startPipeline();
    training.answer(true);
    await accepted;
    expect(client.api.startPipeline).toHaveBeenCalledTimes(1);

    const cancel = training.control(14, 'cancel');
    expect(training.confirmation).toMatchObject({ title: 'Cancel run #14?', danger: true });
    training.answer(false);
    await cancel;
    expect(client.api.controlRun).not.toHaveBeenCalled();
    const confirmed = training.control(14, 'cancel');
    training.answer(true);
    await confirmed;
    expect(client.api.controlRun).toHaveBeenCalledWith({ runId: 14, action: 'cancel' });
  });

  it('puts the reason of a failed run started here in the error banner', async () => {
    const { training, client, studio } = setup();
    await loaded(training);
    await training.chooseDataset(1);
    await training.startPipeline();
    client.emit('run.status', { runId: 21, kind: 'pipeline', status: 'failed', error: 'segmentation: ArgumentError: scene s1: frame 60 is in no segment' });
    await vi.waitFor(() =>
      expect(studio.error).toMatchObject({ title: '“Pretrain & evaluate” (run 21) failed', message: expect.stringContaining('frame 60 is in no segment') }),
    );
  });
});

describe('TrainingState: Compare', () => {
  it('lays two or more runs side by side: differing config fields, final losses, a pipeline’s from its runs', async () => {
    const { training, client } = setup();
    await loaded(training);
    await training.compare.toggle(14, true);
    expect(training.compare.differences).toEqual([]); // one run: nothing to compare
    await training.compare.toggle(10, true);
    flushSync();
    expect(training.compare.runs.map((r) => r.label)).toEqual(['#14 pretrain-step1', '#10 pipeline']);
    const diff = training.compare.differences.map((d) => [d.section, d.key, d.values]);
    expect(diff).toContainEqual(['step1', 'lr', [1e-3, 5e-4]]);
    expect(diff).toContainEqual(['step1', 'steps', [300, 24]]);
    expect(diff).toContainEqual(['request', 'quick', [undefined, true]]);
    expect(diff.some(([section]) => section === 'encoder')).toBe(false);
    // The pipeline's step-1 and step-2 losses are its own runs' (11 and 13), the last step's value.
    const rows = Object.fromEntries(training.compare.metrics.map((row) => [row.label, row.values]));
    expect(rows['step 1 · loss']).toEqual([14 + 1 / 3, 11 + 1 / 3]);
    expect(rows['step 2 · loss']).toEqual([null, 13 + 1 / 3]);
    expect(rows['retrieval ego→exo R@1 · step2']).toEqual([null, 70]);
    expect(client.api.runMetrics).toHaveBeenCalledWith(expect.objectContaining({ runId: 11 }));
    expect(training.compare.chart!.labels).toEqual(['#14 pretrain-step1']);
  });

  it('keeps a compared run’s curve and final loss live while it trains, and lets runs go', async () => {
    const { training, client } = setup();
    await loaded(training);
    await training.compare.toggle(14, true);
    await training.compare.toggle(11, true);
    client.emit('run.progress', { runId: 14, step: 4, totalSteps: 10, loss: 0.5, metrics: { loss: 0.5 }, clipsPerSecond: 1, etaSeconds: 1 });
    flushSync();
    expect(training.compare.runs[0]!.loss.at(-1)).toEqual({ x: 4, y: 0.5 });
    expect(training.compare.metrics.find((r) => r.label === 'step 1 · loss')!.values[0]).toBe(0.5);
    expect(training.compare.chart!.summary.atLastCommon).toEqual({ step: 3, values: [14 + 1 / 3, 11 + 1 / 3] });
    await training.compare.toggle(11, false);
    expect(training.compare.ids).toEqual([14]);
    training.compare.clear();
    expect(training.compare.runs).toEqual([]);
  });
});
