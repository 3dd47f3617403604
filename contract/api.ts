// The API contract: the only thing the renderer knows of the main side. A method map (argument schemas here,
// result types in ApiResults) plus typed events. Plain, structured-clonable data only.

import type { Contract, Implementation, Remote } from './rpc';
import type { ReportData, ReportSummary } from './report';
import { configFieldLimits, numericFieldSchema, presetNameSchema, seedLimit, type PresetName } from './evgapConfig';
import { runLabelLimits } from './runLabels';
import { array, bool, int, json, num, object, oneOf, optional, str, type Infer, type JsonValue, type Schema } from './schema';

export type Role = 'ego' | 'exo';
export type SegmentSource = 'imported' | 'manual';
export type RunStatus = 'queued' | 'running' | 'paused' | 'completed' | 'failed' | 'cancelled';
/** The temporal-action-segmentation heads the pipeline can train (the publication's Table 2), default first. */
export const segmentationHeadNames = ['c2f-tcn', 'asformer', 'ltcontext'] as const;
export type SegmentationHeadName = (typeof segmentationHeadNames)[number];
/** The heads as the publication's Table 2 names them. */
export const segmentationHeadLabels: Readonly<Record<SegmentationHeadName, string>> = { 'c2f-tcn': 'C2F-TCN', asformer: 'ASFormer', ltcontext: 'LTContext' };
/** The most seeds a pipeline repeats its heads (and, if asked, pre-training) over: `evgap pipeline --seeds N`. */
export const MAX_PIPELINE_SEEDS = 20;

export interface AppInfo {
  version: string;
  dataDir: string;
  catalogPath: string;
  catalogVersion: number;
  transport: 'electron' | 'host' | 'memory';
}

export interface DatasetSummary {
  id: number;
  name: string;
  root: string;
  format: string;
  createdAt: string;
  sceneCount: number;
  viewCount: number;
  trackCount: number;
  segmentCount: number;
  runCount: number;
}

export interface SceneSummary {
  id: number;
  datasetId: number;
  name: string;
  /** Which split the scene belongs to (held-out scenes for evaluation are 'test' or 'val'). */
  split: 'train' | 'val' | 'test' | null;
  egoCount: number;
  exoCount: number;
  /** Longest view's duration in seconds (video if present, else feature track). */
  durationS: number;
  segmentCount: number;
  runCount: number;
}

export interface TrackInfo {
  id: number;
  /** Paths are relative to the dataset root. */
  featurePath: string | null;
  /** [T, F] ('TF') or [F, T] ('FT') as the file stores it. */
  featureLayout: 'TF' | 'FT' | null;
  featureDtype: 'float32' | 'float16' | null;
  featureDim: number | null;
  /** Frames per second of the track's time axis (the video's rate; for a per-frame track also its rows' rate). */
  featureFps: number | null;
  /**
   * A windowed track (one feature per window of frames, e.g. Ego-Exo4D's omnivore_video) gives both: the frames
   * between window starts and the frames a window spans; its features come at featureFps / featureStrideFrames per
   * second. null for a per-frame track.
   */
  featureStrideFrames: number | null;
  featureWindowFrames: number | null;
  /** Frames the track covers (for a per-frame track, its rows). */
  frameCount: number | null;
  videoPath: string | null;
  videoFps: number | null;
  videoDurationS: number | null;
  videoWidth: number | null;
  videoHeight: number | null;
}

export interface ViewInfo {
  id: number;
  sceneId: number;
  name: string;
  role: Role;
  cameraId: string | null;
  /** Scene time t (frames) maps to this view's frame t + syncOffsetFrames. */
  syncOffsetFrames: number;
  track: TrackInfo | null;
}

export interface SegmentInfo {
  id: number;
  startFrame: number;
  /** Exclusive. */
  endFrame: number;
  label: string;
  verb: string | null;
  object: string | null;
  source: SegmentSource;
}

export interface RunSummary {
  id: number;
  datasetId: number | null;
  kind: string;
  status: RunStatus;
  backend: string | null;
  seed: number | null;
  startedAt: string | null;
  finishedAt: string | null;
  /** What the researcher called the run (contract/runLabels.ts); null: unnamed. */
  name: string | null;
  /** Its tags, sorted. */
  tags: string[];
  /** The pipeline run that started this pre-training run; null for a run started on its own. */
  parentRunId: number | null;
  /** A quick check (tiny settings; its numbers mean nothing): a quick pipeline and the runs it started. */
  quick: boolean;
  /** Why the run failed (its latest status's reason); null otherwise. */
  error: string | null;
}

export interface SceneDetail {
  scene: SceneSummary;
  datasetName: string;
  views: ViewInfo[];
  segments: SegmentInfo[];
}

export interface DatasetDetail {
  dataset: DatasetSummary;
  scenes: SceneSummary[];
  runs: RunSummary[];
}


export interface VocabularyLabel {
  label: string;
  verb: string | null;
  object: string | null;
}

/** A segment as the annotation editor saves it (no id: a save replaces the scene's whole segment list). */
export interface SegmentDraft {
  startFrame: number;
  endFrame: number;
  label: string;
  verb?: string | null;
  object?: string | null;
  source?: SegmentSource;
}

export type AnnotationFormat = 'assembly101-coarse' | 'mstcn';

export interface AnnotationFile {
  fileName: string;
  text: string;
}

/** Limits of sync offsets and of the sync estimate's candidate range, in frames. */
export const syncLimits = {
  /** Largest offset magnitude the catalog takes (a view further off shows nothing of any scene). */
  offsetFrames: 1_000_000,
  /** Candidate offsets of a sync estimate run ± this many frames around each view's offset, at most. */
  maxOffset: 600,
  /** The sync estimate moves a view only when the features make another offset this many times as likely as its
   * current one (the prior odds of the current offset; main/sync/syncEstimate.ts). */
  moveOdds: 5,
} as const;

/** Used when no view says its frame rate (a scene of feature tracks without fps). */
export const fallbackFps = 30;

/** Frame rate a scene's frames are counted in: the first view's video rate, else its feature rate, else fallbackFps. */
export function sceneFps(views: readonly Pick<ViewInfo, 'track'>[]): number {
  const tracks = views.map((v) => v.track);
  return tracks.find((t) => t?.videoFps)?.videoFps ?? tracks.find((t) => t?.featureFps)?.featureFps ?? fallbackFps;
}

/** The sync estimate's candidate range when none is asked for: two seconds of frames either way. */
export function defaultSyncRange(fps: number): number {
  return Math.max(1, Math.min(syncLimits.maxOffset, Math.round(2 * fps)));
}

/** One view's offset from a scene's sync estimate. */
export interface SyncSuggestion {
  viewId: number;
  viewName: string;
  currentOffset: number;
  /** The current offset unless another is much more probable: equal to it means "in sync". */
  suggestedOffset: number;
  /** The joint fit's offset before rounding (frames; may be fractional); null when no pair with a clear correlation
   * peak links the view to the others (it sees too little of what they see). */
  estimatedOffset: number | null;
  /** Probability (0–1) that the suggested offset is the right one. */
  confidence: number;
  /** Probability (0–1) that the current offset is the right one. */
  currentConfidence: number;
}

/** A scene's sync estimate (main/sync/syncEstimate.ts): a suggestion for every view, fitted jointly. */
export interface SyncEstimate {
  sceneId: number;
  /** Suggestions stay within ± this many frames of each view's offset. */
  maxOffset: number;
  /** The anchor: the view in the middle of the fit, which keeps its offset (the scene's time is where most views put it). */
  reference: { viewId: number; viewName: string; offset: number };
  /** One per view of the scene, in the scene's order. */
  suggestions: SyncSuggestion[];
}

/** Cross-view feature similarity of one ego/exo pair over time and candidate offsets (the sync heat map). */
export interface SyncProfile {
  egoViewId: number;
  exoViewId: number;
  /** Candidate offsets of the exo view relative to its current offset (the ego view kept at its own), in frames. */
  offsets: number[];
  /** Scene frame at the centre of each time bin. */
  binFrames: number[];
  /** similarity[o][b]: similarity at offsets[o] in time bin b (appearance cosine or structure correlation). */
  similarity: number[][];
  /** Mean over bins (weighted by their frames), one per offset. */
  meanByOffset: number[];
  /** The scene's estimate this pair is part of: the same computation as suggestSyncOffsets. */
  estimate: SyncEstimate;
  /** What was correlated: the raw feature tracks, or a trained encoder's embeddings. */
  source: 'features' | 'embeddings';
}

export interface SamplingSettingsInput {
  window: number;
  stride: number;
  scaleMin: number;
  scaleMax: number;
  clipsPerSet: number;
  batchPairs: number;
  batchGroups: number;
  /** View names that take part (all when absent). */
  views?: string[];
}

export interface SamplingPreview {
  windows: number;
  pairs: number;
  groups: number;
  pairSources: number;
  groupScenes: number;
  egoPerGroup: number;
  exoPerGroup: number;
  pairBatchesPerEpoch: number;
  groupBatchesPerEpoch: number;
  warnings: string[];
  /** The chosen scene's clip windows in scene frames (start, shortest and longest length at the scale range). */
  sceneWindows: { start: number; minLength: number; maxLength: number }[];
}

/** A saved sampling configuration's settings (the Sampling panel's "Save as sampling config"), as a run applies them. */
export interface SavedSamplingSettings {
  window: number;
  stride: number;
  scaleMin: number;
  scaleMax: number;
  clipsPerSet: number;
  batchPairs: number;
  batchGroups: number;
  /** The views that take part; null: every view. */
  views: string[] | null;
}

/** A dataset's saved sampling configuration. */
export interface SamplingConfigInfo {
  id: number;
  datasetId: number;
  name: string;
  createdAt: string;
  /** The preset the Sampling panel started from. */
  preset: string | null;
  /** null when the stored config cannot be read as one (see problem). */
  settings: SavedSamplingSettings | null;
  problem: string | null;
}

/** The saved sampling configuration a run was started with, as stored in its config (`samplingConfig`). */
export interface RunSamplingConfig {
  id: number;
  name: string;
  settings: SavedSamplingSettings;
}

/**
 * What "Pretrain & evaluate" runs with a preset, with or without "quick check" (main/pipeline/settings.ts
 * resolved): the pre-training lengths and batches, the ablation's step-2-from-random run, and the heads' epochs.
 */
export interface PipelineOutline {
  preset: PresetName;
  quick: boolean;
  step1: { steps: number; batchPairs: number };
  step2: { steps: number; batchGroups: number };
  step2FromRandomSteps: number;
  /** The segmentation heads it trains by default, each with its epochs. */
  heads: { head: SegmentationHeadName; epochs: number }[];
  anticipationEpochs: number;
}

export interface BackendInfo {
  backend: string;
  /** Every candidate tried: `reason` says in a few words why one was skipped, `detail` gives the error's full text. */
  tried: { name: string; ok: boolean; reason?: string; detail?: string }[];
  details: string;
}

export interface PresetInfo {
  name: PresetName;
  description: string;
  /** The resolved configuration (encoder, sampling, step1, step2, seed). */
  config: JsonValue;
  /** The segmentation heads "Pretrain & evaluate" trains with this preset unless others are chosen. */
  segHeads: SegmentationHeadName[];
}

/** One dataset of a step-1 run on several datasets. */
export interface DatasetMixEntry {
  datasetId: number;
  name: string;
  format: string;
  /** Distinct step-1 clip pairs of the dataset (Σ windows over its pair sources), and those sources. */
  pairs: number;
  pairSources: number;
  /** Sets of K pairs in one pass over the dataset. */
  setsPerEpoch: number;
  /** The share of each batch's pairs asked for (the shares sum to 1). */
  requested: number;
  /** The sampler's integer weight: its share of set slots is weight / Σ weights. */
  weight: number;
  /** The share of the pairs the run's batches actually draw from the dataset. */
  effective: number;
}

/** How a step-1 run on several datasets mixes them in every batch (stored in the run's config as `mix`). */
export interface DatasetMix {
  /** The mixing algorithm's version (main/engine/sampling/mixSchedule.ts). */
  version: 1;
  /** Where the requested shares come from: the request ('given') or each dataset's pair count ('pairs', the default). */
  proportionsFrom: 'given' | 'pairs';
  /** Batches over which `effective` is measured: the run's steps. */
  batches: number;
  datasets: DatasetMixEntry[];
}

export interface RunDetail extends RunSummary {
  config: JsonValue;
  backendReport: JsonValue;
  checkpoints: { id: number; step: number; path: string; createdAt: string }[];
  /** Step 1 on several datasets: the mix; null for a run on one dataset. */
  mix: DatasetMix | null;
  /** The saved sampling configuration the run was started with; null for the preset's sampling. */
  samplingConfig: RunSamplingConfig | null;
}

/** A pre-training run written as a PyTorch job folder (`evgap export job`), and how to train and bring it back. */
export interface ExportedJobInfo {
  folder: string;
  kind: string;
  steps: number;
  batchesPerEpoch: number;
  tracks: number;
  warnings: string[];
  /** The command that trains it on one machine (torchrun). */
  launch: string;
  /** The command that brings the trained run back into the catalog. */
  importCommand: string;
}

export interface MetricPoint {
  step: number;
  name: string;
  value: number;
}

export interface EvaluationRow {
  runId: number;
  task: string;
  view: string | null;
  variant: string | null;
  metric: string;
  value: number;
  /** The seed that produced the value (a pipeline repeated over seeds has a row per seed); null when not recorded. */
  seed: number | null;
}

export interface ReportInfo {
  runId: number;
  /** URL path of the HTML report (relative to the app; open it in a new window or the system browser). */
  htmlPath: string | null;
  /** The report's typed tables (contract/report.ts); null without a report, or when it cannot be read (see problem). */
  data: ReportData | null;
  /** Why there is a report.json but no data (a report written by another version of the app). */
  problem: string | null;
}

export type RunAction = 'pause' | 'resume' | 'cancel';

/** The class the fix for annotation gaps gives the frames of an annotated range that no segment covers. */
export const DEFAULT_UNLABELED_CLASS = 'unlabeled';
/** The longest class name (a segment label: saveSegments' limit). */
export const MAX_CLASS_NAME_LENGTH = 200;

/** How a run-check problem can be fixed: what to do, and the setting that does it when there is one. */
export interface RunProblemFix {
  /** What to do, for people (e.g. "fill gaps with class 'unlabeled'"). */
  text: string;
  /** Set startPipeline's `unlabeledClass` (the CLI's --unlabeled-class) to this class: gaps then take it. */
  unlabeledClass?: string;
}

/**
 * Something a run's datasets would stumble over (main/pipeline/preflight.ts checks them before anything is written
 * or trained): an 'error' refuses the run; a 'warning' is something the run works around (views left out, …).
 */
export interface RunProblem {
  severity: 'error' | 'warning';
  dataset: string;
  /** The scene concerned; null for a problem of the whole dataset. */
  scene: string | null;
  message: string;
  fix: RunProblemFix | null;
}

/** Step 1's loss in a distributed job: over each process's own pairs, or over the gathered global batch. */
export type Step1LossSetting = 'local' | 'gathered';
export const step1LossSettings: readonly Step1LossSetting[] = ['local', 'gathered'];

const id = () => int({ min: 1 });

/** The most datasets one step-1 run mixes. */
export const MAX_MIXED_DATASETS = 16;
const mixShares = () => array(object({ datasetId: id(), proportion: num({ exclusiveMin: 0, max: 1e9 }) }), { maxLength: MAX_MIXED_DATASETS });

const startPretrainArgs = object({
  datasetId: id(),
  step: int({ min: 1, max: 2 }),
  preset: presetNameSchema(),
  overrides: optional(json()),
  initRunId: optional(id()),
  steps: optional(numericFieldSchema(configFieldLimits.step1.steps)),
  /** Step 1 on several datasets: the others, whose pairs are mixed with datasetId's in every batch. */
  extraDatasetIds: optional(array(id(), { maxLength: MAX_MIXED_DATASETS - 1 })),
  /** Each dataset's share of the pairs (datasetId's and every extra one; any positive scale); default: pair counts. */
  mix: optional(mixShares()),
  /** A saved sampling configuration of the dataset: its window, stride, scales, clips per set, batch sizes and
   * views apply under `overrides`, and its name is stored with the run. */
  samplingConfigId: optional(id()),
});

const startPipelineArgs = object({
  datasetId: optional(id()),
  preset: presetNameSchema(),
  quick: optional(bool()),
  /** Step 1 trains on these datasets (default: the evaluated dataset alone); step 2 and evaluation stay on datasetId. */
  pretrainDatasetIds: optional(array(id(), { maxLength: MAX_MIXED_DATASETS })),
  /** Their shares of step 1's pairs; default: pair counts. */
  mix: optional(mixShares()),
  /** Segmentation heads to train and compare (default: C2F-TCN only). */
  segHeads: optional(array(oneOf(...segmentationHeadNames), { maxLength: segmentationHeadNames.length })),
  /** How many seeds the downstream heads are repeated with (seed, seed + 1, …; default 1): mean ± std in the report. */
  seeds: optional(int({ min: 1, max: MAX_PIPELINE_SEEDS })),
  /** Repeat pre-training with every seed too (default: pre-train once). */
  seedsPretrain: optional(bool()),
  /** A saved sampling configuration of the dataset, applied to pre-training (on top of quick's lengths). */
  samplingConfigId: optional(id()),
  /** The class of frames that no segment covers in the scenes the heads train and test on (the fix for annotation
   * gaps; added to the class list); without it such frames refuse the run. */
  unlabeledClass: optional(str({ minLength: 1, maxLength: MAX_CLASS_NAME_LENGTH })),
});

/** Argument schema of every method; the main side checks each call against it before running it. */
export const apiArgs = {
  appInfo: object({}),
  listDatasets: object({}),
  getDataset: object({ datasetId: id() }),
  listScenes: object({ datasetId: id(), search: optional(str({ maxLength: 200 })) }),
  getScene: object({ sceneId: id() }),
  setSyncOffset: object({ viewId: id(), offsetFrames: int({ min: -syncLimits.offsetFrames, max: syncLimits.offsetFrames }) }),
  listVocabulary: object({ datasetId: id() }),
  addVocabularyLabel: object({
    datasetId: id(),
    label: str({ minLength: 1, maxLength: MAX_CLASS_NAME_LENGTH }),
    verb: optional(str({ maxLength: 100 })),
    object: optional(str({ maxLength: 100 })),
  }),
  saveSegments: object({
    sceneId: id(),
    segments: array(
      object({
        startFrame: int({ min: 0 }),
        endFrame: int({ min: 1 }),
        label: str({ minLength: 1, maxLength: MAX_CLASS_NAME_LENGTH }),
        verb: optional(str({ maxLength: 100 })),
        object: optional(str({ maxLength: 100 })),
        source: optional(oneOf('imported', 'manual')),
      }),
      { maxLength: 100_000 },
    ),
  }),
  importAnnotations: object({
    sceneId: id(),
    format: oneOf('assembly101-coarse', 'mstcn'),
    text: str({ maxLength: 50_000_000 }),
    /** Only read and check the file: answer the segments it holds (ids 0) and save nothing. */
    dryRun: optional(bool()),
  }),
  exportAnnotations: object({ sceneId: id(), format: oneOf('assembly101-coarse', 'mstcn') }),
  syncProfile: object({ egoViewId: id(), exoViewId: id(), maxOffset: int({ min: 1, max: syncLimits.maxOffset }) }),
  suggestSyncOffsets: object({ sceneId: id(), maxOffset: int({ min: 1, max: syncLimits.maxOffset }) }),
  samplingPreview: object({
    datasetId: id(),
    sceneId: optional(id()),
    settings: object({
      window: numericFieldSchema(configFieldLimits.sampling.window),
      stride: numericFieldSchema(configFieldLimits.sampling.stride),
      scaleMin: numericFieldSchema(configFieldLimits.sampling.scaleMin),
      scaleMax: numericFieldSchema(configFieldLimits.sampling.scaleMax),
      clipsPerSet: numericFieldSchema(configFieldLimits.sampling.clipsPerSet),
      batchPairs: numericFieldSchema(configFieldLimits.step1.batchPairs),
      batchGroups: numericFieldSchema(configFieldLimits.step2.batchGroups),
      views: optional(array(str({ minLength: 1, maxLength: 100 }), { maxLength: 1_000 })),
    }),
  }),
  saveSamplingConfig: object({ datasetId: id(), name: str({ minLength: 1, maxLength: 100 }), config: json() }),
  /** The dataset's saved sampling configurations, by name. */
  listSamplingConfigs: object({ datasetId: id() }),
  backendInfo: object({}),
  listPresets: object({}),
  /** What "Pretrain & evaluate" runs with each preset, with and without "quick check" (and with a saved sampling config of the dataset). */
  listPipelineOutlines: object({ datasetId: optional(id()), samplingConfigId: optional(id()) }),
  startPretrain: startPretrainArgs,
  startPipeline: startPipelineArgs,
  /** Checks the datasets of the run that startPretrain or startPipeline would start (give exactly one): every problem, with its fix. */
  checkRun: object({ pretrain: optional(startPretrainArgs), pipeline: optional(startPipelineArgs) }),
  /** Writes the run startPretrain would start as a PyTorch job folder (default: <data>/jobs/<dataset>-step<k>-<time>). */
  exportJob: object({
    datasetId: id(),
    step: int({ min: 1, max: 2 }),
    preset: presetNameSchema(),
    overrides: optional(json()),
    initRunId: optional(id()),
    steps: optional(numericFieldSchema(configFieldLimits.step1.steps)),
    seed: optional(numericFieldSchema(seedLimit)),
    step1Loss: optional(oneOf(...step1LossSettings)),
    out: optional(str({ minLength: 1, maxLength: 4096 })),
    /** A saved sampling configuration of the dataset, applied as startPretrain applies it. */
    samplingConfigId: optional(id()),
  }),
  controlRun: object({ runId: id(), action: oneOf('pause', 'resume', 'cancel') }),
  /** Newest first; every run, the dataset's, or those with the tag. */
  listRuns: object({ datasetId: optional(id()), tag: optional(str({ minLength: 1, maxLength: runLabelLimits.tagLength })) }),
  /** Names a run (an empty name clears it) and adds or removes tags (contract/runLabels.ts says what is allowed). */
  updateRun: object({
    runId: id(),
    name: optional(str({ maxLength: runLabelLimits.nameLength })),
    addTags: optional(array(str({ minLength: 1, maxLength: runLabelLimits.tagLength }), { maxLength: runLabelLimits.tagsPerRun })),
    removeTags: optional(array(str({ minLength: 1, maxLength: runLabelLimits.tagLength }), { maxLength: 1_000 })),
  }),
  getRun: object({ runId: id() }),
  runMetrics: object({ runId: id(), names: optional(array(str({ minLength: 1, maxLength: 100 }), { maxLength: 200 })) }),
  listEvaluations: object({ runId: id() }),
  getReport: object({ runId: id() }),
  /** The runs that have a report (pipelines, completed or stopped with partial results), newest first. */
  listReports: object({ datasetId: optional(id()) }),
} satisfies Record<string, Schema<unknown>>;

export type ApiMethod = keyof typeof apiArgs;
export type ApiArgs<M extends ApiMethod> = Infer<(typeof apiArgs)[M]>;

export interface ApiResults {
  appInfo: AppInfo;
  listDatasets: DatasetSummary[];
  getDataset: DatasetDetail;
  listScenes: SceneSummary[];
  getScene: SceneDetail;
  setSyncOffset: ViewInfo;
  listVocabulary: VocabularyLabel[];
  addVocabularyLabel: VocabularyLabel[];
  saveSegments: SegmentInfo[];
  importAnnotations: SegmentInfo[];
  exportAnnotations: AnnotationFile;
  syncProfile: SyncProfile;
  suggestSyncOffsets: SyncEstimate;
  samplingPreview: SamplingPreview;
  saveSamplingConfig: { id: number };
  listSamplingConfigs: SamplingConfigInfo[];
  backendInfo: BackendInfo;
  listPresets: PresetInfo[];
  listPipelineOutlines: PipelineOutline[];
  startPretrain: { runId: number };
  startPipeline: { runId: number };
  checkRun: { problems: RunProblem[] };
  exportJob: ExportedJobInfo;
  controlRun: RunSummary;
  listRuns: RunSummary[];
  updateRun: RunSummary;
  getRun: RunDetail;
  runMetrics: MetricPoint[];
  listEvaluations: EvaluationRow[];
  getReport: ReportInfo;
  listReports: ReportSummary[];
}


export interface ApiEvents {
  /** Something in the catalog changed; listeners re-query what they show. */
  'catalog.changed': { datasetId: number | null; sceneId: number | null; what: string };
  /** A training step finished (sent every few steps): the live charts' feed. */
  'run.progress': {
    runId: number;
    step: number;
    totalSteps: number;
    loss: number;
    /** Every metric of the step by name: loss, aux.layer{l}, logit_scale, bias, grad_norm, lr, clips_per_s. */
    metrics: Record<string, number>;
    clipsPerSecond: number;
    etaSeconds: number;
  };
  /** A run changed status (started, paused, resumed, completed, failed, cancelled). */
  'run.status': { runId: number; kind: string; status: RunStatus; error: string | null };
  /** The one-click pipeline moved to another stage or made progress within one. */
  'pipeline.progress': { runId: number; stage: string; stageIndex: number; stages: number; message: string; fraction: number };
}
export type ApiEvent = keyof ApiEvents;

export const apiMethods = Object.keys(apiArgs) as ApiMethod[];
export const apiEvents: ApiEvent[] = ['catalog.changed', 'run.progress', 'run.status', 'pipeline.progress'];

/** The API as one contract for contract/rpc.ts: the method schemas above, results and events as types. */
export const apiContract: Contract<typeof apiArgs, ApiResults, ApiEvents> = { args: apiArgs };
export type ApiContract = typeof apiContract;

/** The contract as callable functions: what the renderer gets. */
export type Api = Remote<ApiContract>;

/** What the main side implements: may answer synchronously. */
export type ApiImpl = Implementation<ApiContract>;
