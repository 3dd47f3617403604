// The Training screen's state: presets and the settings typed over them, the backend that will run, the runs
// list, the opened run (its curves from history, then live from run.progress), the one-click pipeline's progress,
// and the two runs compared. One instance per page (trainingStateOf), so switching tabs keeps the live feed and
// the pipeline's stages; every failure goes to the page's error banner in words.
import type {
  BackendInfo,
  PresetInfo,
  RunAction,
  RunDetail,
  RunStatus,
  RunSummary,
} from '../../../../contract/api';
import type { StudioState } from '../../lib/StudioState.svelte';
import { applyPipelineEvent, type PipelineProgress } from './pipelineProgress';
import { compareAtCommonSteps, comparisonChart, type ComparedRun, type ComparisonAxis } from './runComparison';
import { curvesFromPoints, emptyCurves, mergeCurves, withStep, type CurveSet } from './runCurves';
import { isActive, plannedSteps, runLabel } from './runFormat';
import { trainingCharts } from './trainingCharts';
import { overridesFromValues, valuesFromPreset, withInputDim, type SettingValues } from './trainingSettings';

export type PresetName = 'demo' | 'paper';

/** The latest run.progress of a run. */
export interface RunProgress {
  step: number;
  totalSteps: number;
  loss: number;
  clipsPerSecond: number;
  etaSeconds: number;
}

const states = new WeakMap<StudioState, TrainingState>();

/**
 * The page's one TrainingState, made (and connected to the API's events) on first use. It is made in its own
 * effect root, not in the component that first asks for it: its derived values must outlive that component.
 */
export function trainingStateOf(studio: StudioState): TrainingState {
  const known = states.get(studio);
  if (known) return known;
  let state!: TrainingState;
  $effect.root(() => {
    state = new TrainingState(studio);
  });
  states.set(studio, state);
  state.connect();
  return state;
}

export class TrainingState {
  presets = $state.raw<PresetInfo[]>([]);
  presetName = $state<PresetName>('demo');
  values = $state<SettingValues>({});
  backend = $state.raw<BackendInfo | null>(null);
  /** null until the first answer. */
  runs = $state.raw<RunSummary[] | null>(null);
  /** Why the runs could not be listed (the error banner has the details). */
  runsError = $state<string | null>(null);
  /** The dataset new runs train on. */
  datasetId = $state<number | null>(null);
  /** Its per-frame feature size F (the encoder's input size), null until known. */
  featureDim = $state<number | null>(null);
  /** The completed step-1 run that step 2 starts from. */
  initRunId = $state<number | null>(null);
  /** Tiny settings for the pipeline (a check that everything runs, in about a minute). */
  quickPipeline = $state(false);
  /** What is being started right now (its button waits). */
  starting = $state<'step1' | 'step2' | 'pipeline' | null>(null);

  selectedRunId = $state<number | null>(null);
  selectedRun = $state.raw<RunDetail | null>(null);
  curves = $state.raw<CurveSet>(emptyCurves);
  progress = $state.raw<Record<number, RunProgress>>({});
  pipeline = $state.raw<PipelineProgress | null>(null);
  /** The pipeline run started from this page, if any. */
  pipelineRunId = $state<number | null>(null);

  compareIds = $state<[number | null, number | null]>([null, null]);
  compareAxis = $state<ComparisonAxis>('step');
  #compared = $state.raw<[ComparedRun | null, ComparedRun | null]>([null, null]);

  readonly charts = $derived(trainingCharts(this.curves));
  readonly preset = $derived(this.presets.find((p) => p.name === this.presetName) ?? null);
  readonly validation = $derived(this.preset ? overridesFromValues(this.preset.config, this.values) : null);
  readonly completedStep1Runs = $derived(
    (this.runs ?? []).filter((r) => r.kind === 'pretrain-step1' && r.status === 'completed' && (this.datasetId === null || r.datasetId === this.datasetId)),
  );
  readonly comparison = $derived.by(() => {
    const [a, b] = this.#compared;
    if (!a || !b) return null;
    return { chart: comparisonChart(a, b, this.compareAxis), summary: compareAtCommonSteps(a.points, b.points), a, b };
  });

  readonly #studio: StudioState;
  #selectRequest = 0;
  #datasetRequest = 0;
  #compareRequests: [number, number] = [0, 0];
  /** After "Pretrain & evaluate", each pre-training run the pipeline starts is opened as it starts. */
  #followPipeline = false;

  constructor(studio: StudioState) {
    this.#studio = studio;
  }

  get #api() {
    return this.#studio.client.api;
  }

  /** Loads presets, backend and runs, and follows the run and pipeline events for the page's lifetime. */
  connect(): void {
    const { client } = this.#studio;
    client.on('run.progress', (event) => this.#onProgress(event));
    client.on('run.status', (event) => void this.#onStatus(event.runId, event.kind, event.status));
    client.on('pipeline.progress', (event) => {
      this.pipeline = applyPipelineEvent(this.pipeline, event);
    });
    let connection: string | null = null;
    client.onConnection((state) => {
      if (connection === 'reconnecting' && state === 'open') void this.refresh();
      connection = state;
    });
    void this.refresh();
  }

  async refresh(): Promise<void> {
    await Promise.all([this.#loadPresets(), this.#loadBackend(), this.loadRuns()]);
  }

  choosePreset(name: PresetName): void {
    this.presetName = name;
    const preset = this.preset;
    if (preset) this.#resetValues(preset);
  }

  resetSettings(): void {
    if (this.preset) this.#resetValues(this.preset);
  }

  async loadRuns(): Promise<void> {
    try {
      this.runs = await this.#api.listRuns({});
      this.runsError = null;
    } catch (error) {
      this.runsError = 'the runs could not be listed';
      this.#studio.report('Could not list the training runs', error);
      return;
    }
    if (this.initRunId === null || !this.completedStep1Runs.some((r) => r.id === this.initRunId)) {
      this.initRunId = this.completedStep1Runs[0]?.id ?? null;
    }
  }

  /** Starts pre-training step 1 or 2 with the typed settings; opens the new run. */
  async startStep(step: 1 | 2): Promise<void> {
    const validation = this.validation;
    if (!validation || this.datasetId === null) return;
    const invalid = Object.entries(validation.errors);
    if (invalid.length > 0) {
      this.#studio.report(`Step ${step} not started`, new Error(invalid.map(([field, message]) => `${field}: ${message}`).join('; ')));
      return;
    }
    if (step === 2 && this.initRunId === null) {
      this.#studio.report('Step 2 not started', new Error('it starts from a completed step-1 run: train step 1 first'));
      return;
    }
    this.starting = step === 1 ? 'step1' : 'step2';
    this.#followPipeline = false;
    try {
      await this.#attempt(`Could not start pre-training step ${step}`, async () => {
        const { runId } = await this.#api.startPretrain({
          datasetId: this.datasetId!,
          step,
          preset: this.presetName,
          overrides: withInputDim(this.preset!.config, validation.overrides, this.featureDim),
          ...(step === 2 ? { initRunId: this.initRunId! } : {}),
        });
        await this.loadRuns();
        await this.selectRun(runId);
      });
    } finally {
      this.starting = null;
    }
  }

  /** Chooses the dataset new runs train on and reads its feature size from one of its views. */
  async chooseDataset(datasetId: number): Promise<void> {
    this.datasetId = datasetId;
    this.featureDim = null;
    const request = ++this.#datasetRequest;
    await this.#attempt('Could not read the dataset’s feature size', async () => {
      const [scene] = await this.#api.listScenes({ datasetId });
      if (scene === undefined) return;
      const detail = await this.#api.getScene({ sceneId: scene.id });
      const featureDim = detail.views.find((view) => view.track?.featureDim != null)?.track?.featureDim ?? null;
      if (request === this.#datasetRequest) this.featureDim = featureDim;
    });
  }

  /** Runs the whole pipeline (step 1 → step 2 → evaluations → report) on the preset. */
  async startPipeline(): Promise<void> {
    this.starting = 'pipeline';
    // The pipeline's first events can arrive before the call's answer: be ready for them first.
    this.pipeline = null;
    this.#followPipeline = true;
    let started = false;
    try {
      await this.#attempt('Could not start “Pretrain & evaluate”', async () => {
        const { runId } = await this.#api.startPipeline({
          ...(this.datasetId === null ? {} : { datasetId: this.datasetId }),
          preset: this.presetName,
          ...(this.quickPipeline ? { quick: true } : {}),
        });
        this.pipelineRunId = runId;
        started = true;
        await this.loadRuns();
      });
    } finally {
      this.starting = null;
      if (!started) this.#followPipeline = false;
    }
  }

  async control(runId: number, action: RunAction): Promise<void> {
    await this.#attempt(`Could not ${action} run ${runId}`, async () => {
      const run = await this.#api.controlRun({ runId, action });
      this.#updateRun(run);
    });
  }

  /** Opens a run: its details and stored curves, then its live steps. */
  async selectRun(runId: number, byUser = false): Promise<void> {
    if (byUser) this.#followPipeline = false;
    const request = ++this.#selectRequest;
    if (this.selectedRunId !== runId) {
      this.selectedRunId = runId;
      this.selectedRun = null;
      this.curves = emptyCurves;
    }
    await this.#attempt(`Could not open run ${runId}`, async () => {
      const [detail, points] = await Promise.all([this.#api.getRun({ runId }), this.#api.runMetrics({ runId })]);
      if (request !== this.#selectRequest) return;
      this.selectedRun = detail;
      this.curves = mergeCurves(curvesFromPoints(points), this.curves);
    });
  }

  /** Chooses the run shown as A (slot 0) or B (slot 1) in the comparison; loads its loss curve. */
  async chooseCompared(slot: 0 | 1, runId: number | null): Promise<void> {
    this.compareIds[slot] = runId;
    const request = ++this.#compareRequests[slot];
    const set = (run: ComparedRun | null) => {
      const next: [ComparedRun | null, ComparedRun | null] = [...this.#compared];
      next[slot] = run;
      this.#compared = next;
    };
    if (runId === null) return set(null);
    await this.#attempt(`Could not load the loss curve of run ${runId}`, async () => {
      const [detail, points] = await Promise.all([this.#api.getRun({ runId }), this.#api.runMetrics({ runId, names: ['loss'] })]);
      if (request !== this.#compareRequests[slot]) return;
      set({ label: runLabel(detail), points: curvesFromPoints(points).loss ?? [], totalSteps: plannedSteps(detail) });
    });
  }

  #onProgress(event: { runId: number; step: number; totalSteps: number; loss: number; metrics: Record<string, number>; clipsPerSecond: number; etaSeconds: number }): void {
    const { runId, step, totalSteps, loss, clipsPerSecond, etaSeconds } = event;
    this.progress = { ...this.progress, [runId]: { step, totalSteps, loss, clipsPerSecond, etaSeconds } };
    if (runId === this.selectedRunId) this.curves = withStep(this.curves, step, event.metrics);
    const compared = this.#compared;
    if (compared.some((run, slot) => run && this.compareIds[slot] === runId) && Number.isFinite(loss)) {
      this.#compared = compared.map((run, slot) =>
        run && this.compareIds[slot] === runId ? { ...run, points: withStep({ loss: run.points }, step, { loss }).loss! } : run,
      ) as [ComparedRun | null, ComparedRun | null];
    }
  }

  async #onStatus(runId: number, kind: string, status: RunStatus): Promise<void> {
    const known = this.runs?.find((r) => r.id === runId);
    if (known) this.#updateRun({ ...known, status });
    await this.loadRuns();
    if (runId === this.selectedRunId) await this.selectRun(runId);
    else if (this.#followPipeline && status === 'running' && kind.startsWith('pretrain')) await this.selectRun(runId);
    if (runId === this.pipelineRunId && !isActive(status)) this.#followPipeline = false;
  }

  #updateRun(run: RunSummary): void {
    if (this.runs) this.runs = this.runs.map((r) => (r.id === run.id ? { ...r, status: run.status } : r));
    if (this.selectedRun?.id === run.id) this.selectedRun = { ...this.selectedRun, status: run.status };
  }

  async #loadPresets(): Promise<void> {
    await this.#attempt('Could not load the training presets', async () => {
      const presets = await this.#api.listPresets({});
      const first = this.presets.length === 0;
      this.presets = presets;
      const preset = this.preset ?? presets[0];
      if (preset && (first || Object.keys(this.values).length === 0)) {
        this.presetName = preset.name as PresetName;
        this.#resetValues(preset);
      }
    });
  }

  async #loadBackend(): Promise<void> {
    await this.#attempt('Could not find out which training backend will run', async () => {
      this.backend = await this.#api.backendInfo({});
    });
  }

  #resetValues(preset: PresetInfo): void {
    try {
      this.values = valuesFromPreset(preset.config);
    } catch (error) {
      this.#studio.report(`The preset “${preset.name}” cannot be edited`, error);
    }
  }

  async #attempt(what: string, work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (error) {
      this.#studio.report(what, error);
    }
  }
}
