// The job folder that hands a pre-training run to PyTorch (python/evgap_torch) and takes it back: what `evgap
// export job` writes and `evgap import run` reads. One declaration of its files, formats and versions for both
// directions; python/evgap_torch/job.py reads the same files (its JOB_VERSION must equal jobFormatVersion).
//
//   job.json              JobSpec: format and version, the app that wrote it, step, preset, the resolved config,
//                         step 1's loss setting, the datasets (name, format, root at export), init weights
//   sampling-plan.json    SamplingPlanFile: the app's sampling plan (scenes, views, offsets, frame counts, window
//                         starts, sources) and every feature track, relative to its dataset's root
//   init.safetensors      the encoder's starting weights (seeded initial weights for step 1; the step-1
//                         checkpoint for step 2)
//   launch.sh             torchrun on one machine; slurm.sbatch: an example SLURM script
//   python/evgap_torch/   the PyTorch package, so the folder is all a cluster needs besides torch and numpy
//   output/               written by training: ckpt-<step>.* (the app's checkpoint layout), metrics.jsonl, run.json
import type { Step1LossSetting } from '../../contract/api';
import type { EvgapConfig, PresetName } from '../engine/config';
import type { Resampling } from '../engine/config';
import type { PretrainStep } from '../engine/training/trainingState';

export const jobFormat = 'evgap-job';
/** Raise when the files change in a way an older evgap_torch would misread. */
export const jobFormatVersion = 1;
export const samplingPlanFormat = 'evgap-sampling-plan';
export const runRecordFormat = 'evgap-job-run';

export const jobFiles = {
  spec: 'job.json',
  plan: 'sampling-plan.json',
  init: 'init.safetensors',
  launch: 'launch.sh',
  slurm: 'slurm.sbatch',
  readme: 'README.md',
  python: 'python',
  output: 'output',
} as const;

/** Files training writes into output/. */
export const outputFiles = { metrics: 'metrics.jsonl', run: 'run.json' } as const;

export type JobDataset = { name: string; format: string; root: string };

export type JobSpec = {
  format: typeof jobFormat;
  version: number;
  createdBy: { app: string; version: string };
  createdAt: string;
  step: PretrainStep;
  kind: 'pretrain-step1' | 'pretrain-step2';
  preset: PresetName;
  seed: number;
  config: EvgapConfig;
  step1Loss: Step1LossSetting;
  datasets: JobDataset[];
  /** weights: file in the job folder; from: the step-1 checkpoint a step-2 job starts from (in the exporting catalog). */
  init: { weights: string; from: { runId: number; step: number } | null };
  samplingPlan: string;
  output: string;
  /** Scenes or views the sampler leaves out, and why (as the app would warn). */
  warnings: string[];
};

/** A view that takes part, with its feature track (an index into SamplingPlanFile.tracks). */
export type PlanView = { name: string; viewId: number; syncOffsetFrames: number; timeScale: number; frameCount: number; track: number };

export type PlanScene = {
  dataset: string;
  sceneId: number;
  name: string;
  pairOnly: boolean;
  /** First window start (scene time) and the number of window starts t_i = start + i·stride. */
  start: number;
  windows: number;
  /** The participating views, by name, as the sampler orders them. */
  ego: PlanView[];
  exo: PlanView[];
};

export type PlanTrack =
  | { dataset: string; trackId: number; frames: number; dim: number; path: string; layout: 'TF' | 'FT'; dtype: 'float32' | 'float16' }
  | { dataset: string; trackId: number; frames: number; dim: number; lmdb: { environment: string; keyPrefix: string } };

export type SamplingPlanFile = {
  format: typeof samplingPlanFormat;
  version: number;
  step: PretrainStep;
  seed: number;
  sampling: { window: number; stride: number; scaleMin: number; scaleMax: number; resample: Resampling; clipsPerSet: number };
  /** B: pairs (step 1) or groups (step 2) per global batch. */
  batchSize: number;
  batchesPerEpoch: number;
  /** F of every track. */
  dim: number;
  scenes: PlanScene[];
  /** Step 1: one ego and one exo view of a scene (indices into its ego and exo lists). */
  pairSources: { scene: number; ego: number; exo: number }[];
  /** Step 2: indices of the group scenes, with M ego and N exo views each. */
  groupScenes: number[];
  tracks: PlanTrack[];
};

/** output/run.json, written by the training processes: the status and, per launch, where it ran. */
export type JobRunRecord = {
  format: typeof runRecordFormat;
  version: number;
  engine: string;
  status: 'running' | 'completed' | 'failed';
  step: number;
  totalSteps: number;
  error: string | null;
  launches: Record<string, unknown>[];
};
