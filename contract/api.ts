// The API contract: the only thing the renderer knows of the main side. A method map (argument schemas here,
// result types in ApiResults) plus typed events. Plain, structured-clonable data only.

import { array, bool, int, json, num, object, oneOf, optional, str, type Infer, type JsonValue, type Schema } from './schema';

export type Role = 'ego' | 'exo';
export type SegmentSource = 'imported' | 'manual';
export type RunStatus = 'queued' | 'running' | 'paused' | 'completed' | 'failed' | 'cancelled';

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
  featureFps: number | null;
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

/** Cross-view feature similarity of one ego/exo pair over time and candidate offsets (the sync check strip). */
export interface SyncProfile {
  egoViewId: number;
  exoViewId: number;
  /** Candidate offsets of the exo view relative to its current offset, in frames. */
  offsets: number[];
  /** Scene frame at the centre of each time bin. */
  binFrames: number[];
  /** similarity[o][b]: mean cosine similarity at offsets[o] in time bin b (z-scored features). */
  similarity: number[][];
  /** Mean over bins, one per offset. */
  meanByOffset: number[];
  /** The best candidate, as an absolute sync offset for the exo view. */
  suggestedOffset: number;
  /** How far the best candidate stands out (peak minus median over offsets, in standard deviations). */
  confidence: number;
  /** What was correlated: the raw feature tracks, or a trained encoder's embeddings. */
  source: 'features' | 'embeddings';
}

export interface SyncSuggestion {
  viewId: number;
  viewName: string;
  currentOffset: number;
  suggestedOffset: number;
  confidence: number;
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

export interface BackendInfo {
  backend: string;
  tried: { name: string; ok: boolean; reason?: string }[];
  details: string;
}

export interface PresetInfo {
  name: string;
  description: string;
  /** The resolved configuration (encoder, sampling, step1, step2, seed). */
  config: JsonValue;
}

export interface RunDetail extends RunSummary {
  config: JsonValue;
  backendReport: JsonValue;
  error: string | null;
  checkpoints: { id: number; step: number; path: string; createdAt: string }[];
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
}

export interface ReportInfo {
  runId: number;
  /** URL path of the HTML report (relative to the app; open it in a new window or the system browser). */
  htmlPath: string | null;
  /** The report's data: tables as the publication lays them out. */
  data: JsonValue;
}

export type RunAction = 'pause' | 'resume' | 'cancel';

const id = () => int({ min: 1 });

/** Argument schema of every method; the main side checks each call against it before running it. */
export const apiArgs = {
  appInfo: object({}),
  listDatasets: object({}),
  getDataset: object({ datasetId: id() }),
  listScenes: object({ datasetId: id(), search: optional(str({ maxLength: 200 })) }),
  getScene: object({ sceneId: id() }),
  setSyncOffset: object({ viewId: id(), offsetFrames: int({ min: -1_000_000, max: 1_000_000 }) }),
  listVocabulary: object({ datasetId: id() }),
  addVocabularyLabel: object({
    datasetId: id(),
    label: str({ minLength: 1, maxLength: 200 }),
    verb: optional(str({ maxLength: 100 })),
    object: optional(str({ maxLength: 100 })),
  }),
  saveSegments: object({
    sceneId: id(),
    segments: array(
      object({
        startFrame: int({ min: 0 }),
        endFrame: int({ min: 1 }),
        label: str({ minLength: 1, maxLength: 200 }),
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
  }),
  exportAnnotations: object({ sceneId: id(), format: oneOf('assembly101-coarse', 'mstcn') }),
  syncProfile: object({
    egoViewId: id(),
    exoViewId: id(),
    maxOffset: int({ min: 1, max: 600 }),
    bins: optional(int({ min: 1, max: 400 })),
  }),
  suggestSyncOffsets: object({ sceneId: id(), maxOffset: int({ min: 1, max: 600 }) }),
  samplingPreview: object({
    datasetId: id(),
    sceneId: optional(id()),
    settings: object({
      window: int({ min: 1, max: 10_000 }),
      stride: int({ min: 1, max: 100_000 }),
      scaleMin: num({ exclusiveMin: 0, max: 100 }),
      scaleMax: num({ exclusiveMin: 0, max: 100 }),
      clipsPerSet: int({ min: 1, max: 10_000 }),
      batchPairs: int({ min: 2, max: 100_000 }),
      batchGroups: int({ min: 2, max: 100_000 }),
      views: optional(array(str({ minLength: 1, maxLength: 100 }), { maxLength: 1_000 })),
    }),
  }),
  saveSamplingConfig: object({ datasetId: id(), name: str({ minLength: 1, maxLength: 100 }), config: json() }),
  backendInfo: object({}),
  listPresets: object({}),
  startPretrain: object({
    datasetId: id(),
    step: int({ min: 1, max: 2 }),
    preset: oneOf('demo', 'paper'),
    overrides: optional(json()),
    initRunId: optional(id()),
    steps: optional(int({ min: 1, max: 10_000_000 })),
  }),
  startPipeline: object({ datasetId: optional(id()), preset: oneOf('demo', 'paper'), quick: optional(bool()) }),
  controlRun: object({ runId: id(), action: oneOf('pause', 'resume', 'cancel') }),
  listRuns: object({ datasetId: optional(id()) }),
  getRun: object({ runId: id() }),
  runMetrics: object({ runId: id(), names: optional(array(str({ minLength: 1, maxLength: 100 }), { maxLength: 200 })) }),
  listEvaluations: object({ runId: id() }),
  getReport: object({ runId: id() }),
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
  suggestSyncOffsets: SyncSuggestion[];
  samplingPreview: SamplingPreview;
  saveSamplingConfig: { id: number };
  backendInfo: BackendInfo;
  listPresets: PresetInfo[];
  startPretrain: { runId: number };
  startPipeline: { runId: number };
  controlRun: RunSummary;
  listRuns: RunSummary[];
  getRun: RunDetail;
  runMetrics: MetricPoint[];
  listEvaluations: EvaluationRow[];
  getReport: ReportInfo;
}

/** The contract as callable functions: what the renderer gets and what the main side implements. */
export type Api = { [M in ApiMethod]: (args: ApiArgs<M>) => Promise<ApiResults[M]> };

/** What an implementation provides: may answer synchronously. */
export type ApiImpl = { [M in ApiMethod]: (args: ApiArgs<M>) => ApiResults[M] | Promise<ApiResults[M]> };

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

export function isApiMethod(name: unknown): name is ApiMethod {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(apiArgs, name);
}
