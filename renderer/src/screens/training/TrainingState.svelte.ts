// The Training screen's state: presets and the settings typed over them, the backend that will run, the datasets
// step 1 trains on (one, or several mixed in every batch, with their shares), the dataset's saved sampling config
// chosen for new runs, what "Pretrain & evaluate" will run (quick check or not), the runs list (a pipeline's runs
// grouped under it, filtered by tag, names and tags edited), the opened run (its curves from history, then live
// from run.progress), the one-click pipeline's progress, and the runs compared (RunCompareState). Before a run
// starts its datasets are checked (checkRun): the problems wait in `check` with their fixes, and errors keep it
// from starting; starting a second run while one runs, and cancelling one, wait for the page's confirmation
// (`confirmation`). One instance per page (trainingStateOf), so switching tabs keeps the live feed and the
// pipeline's stages; every failure (a failed run's reason too) goes to the page's error banner in words.
import type {
  ApiArgs,
  BackendInfo,
  ExportedJobInfo,
  PipelineOutline,
  PresetInfo,
  RunAction,
  RunDetail,
  RunProblem,
  RunProblemFix,
  RunStatus,
  RunSummary,
  SamplingConfigInfo,
  Step1LossSetting,
  SegmentationHeadName,
} from '../../../../contract/api';
import { segmentationHeadNames } from '../../../../contract/api';
import type { PresetName } from '../../../../contract/evgapConfig';
import type { StudioState } from '../../lib/StudioState.svelte';
import { applyPipelineEvent, type PipelineProgress } from './pipelineProgress';
import { RunCompareState } from './RunCompareState.svelte';
import { curvesFromPoints, emptyCurves, mergeCurves, withStep, type CurveSet } from './runCurves';
import { runRows } from './runGroups';
import { isActive } from './runFormat';
import { mixArguments, type MixArguments, type MixChoice } from './mixForm';
import { trainingCharts } from './trainingCharts';
import { formatSetting, overridesFromValues, valuesFromPreset, withInputDim, type SettingValues } from './trainingSettings';

/** The latest run.progress of a run. */
export interface RunProgress {
  step: number;
  totalSteps: number;
  loss: number;
  clipsPerSecond: number;
  etaSeconds: number;
}

/** What a start button starts. */
export type StartKind = 'step1' | 'step2' | 'pipeline';

/** The checks of the last start: what was to start and every problem of its datasets. */
export interface RunCheck {
  what: StartKind;
  problems: RunProblem[];
  /** Whether errors among them kept the run from starting. */
  refused: boolean;
}

/** A question the page asks before going on (ConfirmDialog answers it). */
export interface Confirmation {
  title: string;
  message: string;
  confirmLabel: string;
  danger: boolean;
  answer: (yes: boolean) => void;
}

const startLabels: Record<StartKind, string> = { step1: 'Pretrain step 1', step2: 'Pretrain step 2', pipeline: '“Pretrain & evaluate”' };

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
  /** Step 1 (alone or in the pipeline) on several datasets: the ones besides `datasetId`, and the shares typed. */
  mix = $state<MixChoice>({ extraDatasetIds: [], shares: {} });
  /** Tiny settings for the pipeline (a check that everything runs, in about a minute). */
  quickPipeline = $state(false);
  /** The segmentation heads "Pretrain & evaluate" trains (the preset's by default). */
  segHeads = $state<SegmentationHeadName[]>([]);
  /** How many seeds "Pretrain & evaluate" repeats the heads with (1 to MAX_PIPELINE_SEEDS): mean ± std in the report. */
  pipelineSeeds = $state(1);
  /** Repeat pre-training with every seed too. */
  seedsPretrain = $state(false);
  /** The class "Pretrain & evaluate" gives frames that no segment covers (the fix for annotation gaps); null: none. */
  unlabeledClass = $state<string | null>(null);
  /** What is being started right now (its button waits). */
  starting = $state<StartKind | null>(null);
  /** The checks of the last start (shown with their fixes until dismissed or the next start); null: none shown. */
  check = $state.raw<RunCheck | null>(null);
  /** The question the page waits on; null: none. */
  confirmation = $state.raw<Confirmation | null>(null);
  /** A PyTorch job folder is being written. */
  exporting = $state(false);
  /** The last PyTorch job written from this page, with the commands that train it and bring it back. */
  exportedJob = $state.raw<ExportedJobInfo | null>(null);

  selectedRunId = $state<number | null>(null);
  selectedRun = $state.raw<RunDetail | null>(null);
  curves = $state.raw<CurveSet>(emptyCurves);
  progress = $state.raw<Record<number, RunProgress>>({});
  pipeline = $state.raw<PipelineProgress | null>(null);
  /** The pipeline run started from this page, if any. */
  pipelineRunId = $state<number | null>(null);

  /** The runs list shows only runs with this tag (a pipeline's runs follow it); null: every run. */
  tagFilter = $state<string | null>(null);
  /** The pipelines whose runs are shown under them. */
  expanded = $state.raw<ReadonlySet<number>>(new Set());
  /** The chosen dataset's saved sampling configs, and the one new runs start with (null: the preset's sampling). */
  samplingConfigs = $state.raw<SamplingConfigInfo[]>([]);
  samplingConfigId = $state<number | null>(null);
  /** What "Pretrain & evaluate" runs with each preset, quick or not (with the chosen sampling config). */
  pipelineOutlines = $state.raw<PipelineOutline[]>([]);

  readonly charts = $derived(trainingCharts(this.curves));
  readonly preset = $derived(this.presets.find((p) => p.name === this.presetName) ?? null);
  readonly validation = $derived(this.preset ? overridesFromValues(this.preset.config, this.values) : null);
  readonly mixArgs = $derived(this.datasetId === null ? ({ ok: true } as MixArguments) : mixArguments(this.datasetId, this.mix));
  readonly completedStep1Runs = $derived(
    (this.runs ?? []).filter((r) => r.kind === 'pretrain-step1' && r.status === 'completed' && (this.datasetId === null || r.datasetId === this.datasetId)),
  );
  readonly rows = $derived(runRows(this.runs ?? [], this.expanded, this.tagFilter));
  /** Runs running or paused (one at a time unless the researcher confirms a second). */
  readonly activeRuns = $derived((this.runs ?? []).filter((r) => r.status === 'running' || r.status === 'paused'));
  readonly samplingConfig = $derived(this.samplingConfigs.find((c) => c.id === this.samplingConfigId) ?? null);
  /** What "Pretrain & evaluate" will run with the chosen preset and quick check. */
  readonly pipelineOutline = $derived(this.pipelineOutlines.find((o) => o.preset === this.presetName && o.quick === this.quickPipeline) ?? null);
  readonly compare: RunCompareState;

  readonly #studio: StudioState;
  #selectRequest = 0;
  #datasetRequest = 0;
  #outlineRequest = 0;
  /** After "Pretrain & evaluate", each pre-training run the pipeline starts is opened as it starts. */
  #followPipeline = false;
  /** Runs started from this page: their failure is reported in the error banner. */
  #startedHere = new Set<number>();

  constructor(studio: StudioState) {
    this.#studio = studio;
    this.compare = new RunCompareState(() => this.#api, () => this.runs ?? [], (what, error) => studio.report(what, error));
  }

  get #api() {
    return this.#studio.client.api;
  }

  /** Loads presets, backend and runs, and follows the run and pipeline events for the page's lifetime. */
  connect(): void {
    const { client } = this.#studio;
    client.on('run.progress', (event) => this.#onProgress(event));
    client.on('run.status', (event) => void this.#onStatus(event.runId, event.kind, event.status, event.error));
    client.on('pipeline.progress', (event) => {
      this.pipeline = applyPipelineEvent(this.pipeline, event);
    });
    client.on('catalog.changed', ({ datasetId, what }) => {
      if (what === 'samplingConfig' && datasetId === this.datasetId) void this.#loadSamplingConfigs();
    });
    let connection: string | null = null;
    client.onConnection((state) => {
      if (connection === 'reconnecting' && state === 'open') void this.refresh();
      connection = state;
    });
    void this.refresh();
  }

  async refresh(): Promise<void> {
    await Promise.all([this.#loadPresets(), this.#loadBackend(), this.loadRuns(), this.#loadOutlines()]);
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
    const mix = this.mixArgs;
    if (step === 1 && !mix.ok) {
      this.#studio.report('Step 1 not started', new Error(`dataset shares: ${mix.error}`));
      return;
    }
    const what = step === 1 ? 'step1' : 'step2';
    if (!(await this.#confirmSecondRun(what))) return;
    const args = this.#pretrainArgs(step)!;
    this.starting = what;
    this.#followPipeline = false;
    try {
      await this.#attempt(`Could not start pre-training step ${step}`, async () => {
        if (!(await this.#checked(what, { pretrain: args }))) return;
        const { runId } = await this.#api.startPretrain(args);
        this.#startedHere.add(runId);
        await this.loadRuns();
        await this.selectRun(runId);
      });
    } finally {
      this.starting = null;
    }
  }

  /** Checks the run "Pretrain & evaluate" or a step would start (no start): the problems go to `check`. */
  async recheck(): Promise<void> {
    const what = this.check?.what;
    if (what === undefined) return;
    const args = what === 'pipeline' ? this.#pipelineArgs() : this.#pretrainArgs(what === 'step1' ? 1 : 2);
    if (args === null) return;
    await this.#attempt('Could not check the run’s datasets', async () => {
      await this.#checked(what, what === 'pipeline' ? { pipeline: args as ApiArgs<'startPipeline'> } : { pretrain: args as ApiArgs<'startPretrain'> });
    });
  }

  /** Applies a problem's fix (the unlabeled class for annotation gaps), then checks again. */
  async applyFix(fix: RunProblemFix): Promise<void> {
    if (fix.unlabeledClass === undefined) return;
    this.unlabeledClass = fix.unlabeledClass;
    await this.recheck();
  }

  /** Sets or clears (null or blank) the class of frames in no segment for "Pretrain & evaluate". */
  setUnlabeledClass(name: string | null): void {
    const trimmed = name?.trim() ?? '';
    this.unlabeledClass = trimmed === '' ? null : trimmed;
  }

  dismissCheck(): void {
    this.check = null;
  }

  /** Answers the open question (ConfirmDialog's buttons). */
  answer(yes: boolean): void {
    const open = this.confirmation;
    this.confirmation = null;
    open?.answer(yes);
  }

  /** Asks a question in the page; resolves with the answer. A question still open is answered no. */
  #ask(question: Omit<Confirmation, 'answer'>): Promise<boolean> {
    this.answer(false);
    return new Promise((resolve) => {
      this.confirmation = { ...question, answer: resolve };
    });
  }

  /** While a run runs or is paused, asks before starting another; true: go on. */
  async #confirmSecondRun(what: StartKind): Promise<boolean> {
    const active = this.activeRuns;
    if (active.length === 0) return true;
    const names = active.map((r) => `#${r.id} ${r.kind} (${r.status})`).join(', ');
    return this.#ask({
      title: 'A run is in progress — start a second one?',
      message: `${active.length === 1 ? 'Run' : 'Runs'} ${names} ${active.length === 1 ? 'is' : 'are'} not finished. ${startLabels[what]} would run beside ${active.length === 1 ? 'it' : 'them'}, sharing this machine.`,
      confirmLabel: 'Start a second run',
      danger: false,
    });
  }

  /**
   * Checks the run's datasets; the problems go to `check` (shown until the next start when there are any).
   * Returns whether the run may start (no errors).
   */
  async #checked(what: StartKind, args: ApiArgs<'checkRun'>): Promise<boolean> {
    const { problems } = await this.#api.checkRun(args);
    const refused = problems.some((p) => p.severity === 'error');
    this.check = problems.length === 0 ? null : { what, problems, refused };
    return !refused;
  }

  /** The arguments "Pretrain step N" starts with, or null (reported) when the form cannot start it. */
  #pretrainArgs(step: 1 | 2): ApiArgs<'startPretrain'> | null {
    const validation = this.validation;
    if (!validation || this.datasetId === null || Object.keys(validation.errors).length > 0) return null;
    const mix = this.mixArgs;
    return {
      datasetId: this.datasetId,
      step,
      preset: this.presetName,
      overrides: withInputDim(this.preset!.config, validation.overrides, this.featureDim),
      ...(step === 2 && this.initRunId !== null ? { initRunId: this.initRunId } : {}),
      ...(step === 1 && mix.ok ? { ...(mix.extraDatasetIds && { extraDatasetIds: mix.extraDatasetIds }), ...(mix.mix && { mix: mix.mix }) } : {}),
      ...this.#samplingArgs(),
    };
  }

  /**
   * Writes the run "Pretrain step 1/2" would start, with the typed settings, as a PyTorch job folder (in the data
   * folder's jobs/ unless `out` names one); step 2 starts from the chosen step-1 run.
   */
  async exportJob(step: 1 | 2, options: { step1Loss: Step1LossSetting; out: string }): Promise<void> {
    const validation = this.validation;
    if (!validation || this.datasetId === null) return;
    const invalid = Object.entries(validation.errors);
    if (invalid.length > 0) {
      this.#studio.report('Job not exported', new Error(invalid.map(([field, message]) => `${field}: ${message}`).join('; ')));
      return;
    }
    if (step === 2 && this.initRunId === null) {
      this.#studio.report('Job not exported', new Error('a step-2 job starts from a completed step-1 run: train or import step 1 first'));
      return;
    }
    this.exporting = true;
    try {
      await this.#attempt(`Could not export the step-${step} job`, async () => {
        const out = options.out.trim();
        this.exportedJob = await this.#api.exportJob({
          datasetId: this.datasetId!,
          step,
          preset: this.presetName,
          overrides: withInputDim(this.preset!.config, validation.overrides, this.featureDim),
          ...(step === 2 ? { initRunId: this.initRunId! } : { step1Loss: options.step1Loss }),
          ...(out === '' ? {} : { out }),
          ...this.#samplingArgs(),
        });
      });
    } finally {
      this.exporting = false;
    }
  }

  /** Adds a dataset to step 1's mix, or takes it out. */
  toggleMixDataset(datasetId: number, included: boolean): void {
    const others = this.mix.extraDatasetIds.filter((id) => id !== datasetId);
    this.mix.extraDatasetIds = included ? [...others, datasetId] : others;
  }

  /** Chooses the dataset new runs train on, reads its feature size from one of its views and its saved sampling configs. */
  async chooseDataset(datasetId: number): Promise<void> {
    this.datasetId = datasetId;
    this.toggleMixDataset(datasetId, false);
    this.featureDim = null;
    this.samplingConfigs = [];
    this.chooseSamplingConfig(null);
    void this.#loadSamplingConfigs();
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
    const mix = this.mixArgs;
    if (!mix.ok) {
      this.#studio.report('“Pretrain & evaluate” not started', new Error(`dataset shares: ${mix.error}`));
      return;
    }
    if (!(await this.#confirmSecondRun('pipeline'))) return;
    const args = this.#pipelineArgs()!;
    this.starting = 'pipeline';
    let started = false;
    try {
      await this.#attempt('Could not start “Pretrain & evaluate”', async () => {
        if (!(await this.#checked('pipeline', { pipeline: args }))) return;
        // The pipeline's first events can arrive before the call's answer: be ready for them first.
        this.pipeline = null;
        this.#followPipeline = true;
        const { runId } = await this.#api.startPipeline(args);
        this.pipelineRunId = runId;
        this.#startedHere.add(runId);
        started = true;
        await this.loadRuns();
      });
    } finally {
      this.starting = null;
      if (!started) this.#followPipeline = false;
    }
  }

  /** The arguments "Pretrain & evaluate" starts with, or null when the dataset shares are not valid. */
  #pipelineArgs(): ApiArgs<'startPipeline'> | null {
    const mix = this.mixArgs;
    if (!mix.ok) return null;
    return {
      ...(this.datasetId === null ? {} : { datasetId: this.datasetId }),
      preset: this.presetName,
      ...(this.quickPipeline ? { quick: true } : {}),
      ...(this.segHeads.length > 0 ? { segHeads: [...this.segHeads] } : {}),
      ...(mix.extraDatasetIds && this.datasetId !== null ? { pretrainDatasetIds: [this.datasetId, ...mix.extraDatasetIds] } : {}),
      ...(mix.mix ? { mix: mix.mix } : {}),
      ...(this.pipelineSeeds > 1 ? { seeds: this.pipelineSeeds, ...(this.seedsPretrain ? { seedsPretrain: true } : {}) } : {}),
      ...(this.datasetId === null ? {} : this.#samplingArgs()),
      ...(this.unlabeledClass === null ? {} : { unlabeledClass: this.unlabeledClass }),
    };
  }

  /** Pauses, resumes or (once confirmed) cancels a run. */
  async control(runId: number, action: RunAction): Promise<void> {
    if (action === 'cancel') {
      const run = this.runs?.find((r) => r.id === runId);
      const yes = await this.#ask({
        title: `Cancel run #${runId}?`,
        message: `${run ? `${run.kind} run #${runId}` : `Run #${runId}`} stops after its current step${run?.kind === 'pipeline' ? ', with the runs it started' : ''}; what it saved so far stays.`,
        confirmLabel: 'Cancel the run',
        danger: true,
      });
      if (!yes) return;
    }
    await this.#attempt(`Could not ${action} run ${runId}`, async () => {
      const run = await this.#api.controlRun({ runId, action });
      this.#updateRun(run);
    });
  }

  /**
   * Chooses the saved sampling config new runs start with (null: the preset's sampling): its batch sizes go into the
   * form, so the form shows what will run; its window, stride, scales, clips per set and views apply on the main side.
   */
  chooseSamplingConfig(samplingConfigId: number | null): void {
    this.samplingConfigId = samplingConfigId;
    if (this.preset) this.#resetValues(this.preset);
    void this.#loadOutlines();
  }

  /** Shows a pipeline's runs under it, or hides them. */
  toggleExpanded(pipelineRunId: number, open: boolean): void {
    const next = new Set(this.expanded);
    if (open) next.add(pipelineRunId);
    else next.delete(pipelineRunId);
    this.expanded = next;
  }

  /** Names a run ('' clears the name) and adds or removes tags; the list, the open run and Compare follow. */
  async updateLabels(runId: number, change: { name?: string; addTags?: string[]; removeTags?: string[] }): Promise<boolean> {
    let saved = false;
    await this.#attempt(`Could not change run ${runId}’s name or tags`, async () => {
      const run = await this.#api.updateRun({ runId, ...change });
      if (this.runs) this.runs = this.runs.map((r) => (r.id === run.id ? run : r));
      if (this.selectedRun?.id === run.id) this.selectedRun = { ...this.selectedRun, name: run.name, tags: run.tags };
      this.compare.relabel(run);
      if (this.tagFilter !== null && !(this.runs ?? []).some((r) => r.tags.includes(this.tagFilter!))) this.tagFilter = null;
      saved = true;
    });
    return saved;
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
      // A pipeline's run opens with its pipeline's runs shown.
      if (detail.parentRunId !== null && !this.expanded.has(detail.parentRunId)) this.toggleExpanded(detail.parentRunId, true);
    });
  }

  #onProgress(event: { runId: number; step: number; totalSteps: number; loss: number; metrics: Record<string, number>; clipsPerSecond: number; etaSeconds: number }): void {
    const { runId, step, totalSteps, loss, clipsPerSecond, etaSeconds } = event;
    this.progress = { ...this.progress, [runId]: { step, totalSteps, loss, clipsPerSecond, etaSeconds } };
    if (runId === this.selectedRunId) this.curves = withStep(this.curves, step, event.metrics);
    if (this.compare.has(runId) && Number.isFinite(loss)) this.compare.onProgress(event);
  }

  async #onStatus(runId: number, kind: string, status: RunStatus, error: string | null): Promise<void> {
    if (status === 'failed' && this.#startedHere.has(runId)) {
      this.#studio.report(kind === 'pipeline' ? `“Pretrain & evaluate” (run ${runId}) failed` : `Run ${runId} (${kind}) failed`, new Error(error ?? 'no reason was given'));
    }
    const known = this.runs?.find((r) => r.id === runId);
    if (known) this.#updateRun({ ...known, status });
    await this.loadRuns();
    if (runId === this.selectedRunId) await this.selectRun(runId);
    else if (this.#followPipeline && status === 'running' && kind.startsWith('pretrain')) await this.selectRun(runId);
    if (this.compare.has(runId) && !isActive(status)) await this.compare.load(runId);
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
        this.presetName = preset.name;
        this.#resetValues(preset);
      }
    });
  }

  async #loadBackend(): Promise<void> {
    await this.#attempt('Could not find out which training backend will run', async () => {
      this.backend = await this.#api.backendInfo({});
    });
  }

  /** Adds or removes a segmentation head of "Pretrain & evaluate", keeping the heads in their canonical order. */
  toggleSegHead(head: SegmentationHeadName, on: boolean): void {
    const chosen = new Set(this.segHeads);
    if (on) chosen.add(head);
    else chosen.delete(head);
    this.segHeads = segmentationHeadNames.filter((name) => chosen.has(name));
  }

  #resetValues(preset: PresetInfo): void {
    this.segHeads = [...(preset.segHeads ?? [])];
    try {
      const values = valuesFromPreset(preset.config);
      const saved = this.samplingConfig?.settings;
      // The chosen sampling config's batch sizes, as the run will use them.
      if (saved) Object.assign(values, { 'step1.batchPairs': formatSetting(saved.batchPairs), 'step2.batchGroups': formatSetting(saved.batchGroups) });
      this.values = values;
    } catch (error) {
      this.#studio.report(`The preset “${preset.name}” cannot be edited`, error);
    }
  }

  /** The chosen saved sampling config, as the start methods take it. */
  #samplingArgs(): { samplingConfigId?: number } {
    return this.samplingConfigId === null ? {} : { samplingConfigId: this.samplingConfigId };
  }

  async #loadSamplingConfigs(): Promise<void> {
    const datasetId = this.datasetId;
    if (datasetId === null) return;
    await this.#attempt('Could not list the saved sampling configs', async () => {
      const configs = await this.#api.listSamplingConfigs({ datasetId });
      if (datasetId !== this.datasetId) return;
      this.samplingConfigs = configs;
      if (this.samplingConfigId !== null && !configs.some((c) => c.id === this.samplingConfigId && c.settings !== null)) this.chooseSamplingConfig(null);
      else if (this.samplingConfigId !== null && this.preset) this.#resetValues(this.preset);
    });
  }

  async #loadOutlines(): Promise<void> {
    const request = ++this.#outlineRequest;
    const samplingConfigId = this.samplingConfigId;
    const datasetId = this.datasetId;
    await this.#attempt('Could not read what “Pretrain & evaluate” runs', async () => {
      const outlines = await this.#api.listPipelineOutlines(samplingConfigId === null || datasetId === null ? {} : { datasetId, samplingConfigId });
      if (request === this.#outlineRequest) this.pipelineOutlines = outlines;
    });
  }

  /** Puts a failure in the page's error banner. */
  reportError(what: string, error: unknown): void {
    this.#studio.report(what, error);
  }

  async #attempt(what: string, work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (error) {
      this.#studio.report(what, error);
    }
  }
}
