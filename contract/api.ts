// The API contract: the only thing the renderer knows of the main side. A method map (argument schemas here,
// result types in ApiResults) plus typed events. Plain, structured-clonable data only.

import { int, object, optional, str, type Infer, type Schema } from './schema';

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

const id = () => int({ min: 1 });

/** Argument schema of every method; the main side checks each call against it before running it. */
export const apiArgs = {
  appInfo: object({}),
  listDatasets: object({}),
  getDataset: object({ datasetId: id() }),
  listScenes: object({ datasetId: id(), search: optional(str({ maxLength: 200 })) }),
  getScene: object({ sceneId: id() }),
  setSyncOffset: object({ viewId: id(), offsetFrames: int({ min: -1_000_000, max: 1_000_000 }) }),
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
}

/** The contract as callable functions: what the renderer gets and what the main side implements. */
export type Api = { [M in ApiMethod]: (args: ApiArgs<M>) => Promise<ApiResults[M]> };

/** What an implementation provides: may answer synchronously. */
export type ApiImpl = { [M in ApiMethod]: (args: ApiArgs<M>) => ApiResults[M] | Promise<ApiResults[M]> };

export interface ApiEvents {
  /** Something in the catalog changed; listeners re-query what they show. */
  'catalog.changed': { datasetId: number | null; sceneId: number | null; what: string };
}
export type ApiEvent = keyof ApiEvents;

export const apiMethods = Object.keys(apiArgs) as ApiMethod[];
export const apiEvents: ApiEvent[] = ['catalog.changed'];

export function isApiMethod(name: unknown): name is ApiMethod {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(apiArgs, name);
}
