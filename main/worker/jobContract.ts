// The contract between a controller and the worker thread that runs one long job (a pre-training run, a one-click
// pipeline), spoken with contract/rpc over the worker's MessagePort (messagePortTransport.ts). `start` runs the job
// and answers with its outcome once it has ended, whatever its status, or with the error that kept it from starting
// (bad input, no backend) as its class; while it runs, `pause`, `resume` and `cancel` steer it at its safe points
// (a training run: between two optimizer steps) and `status` says where it stands. Its events arrive as 'job.event'.
// The training and pipeline workers are this contract with their own start request, events and outcome.
import type { Contract } from '../../contract/rpc';
import { int, json, object, oneOf, optional, str, type Infer, type Schema } from '../../contract/schema';
import { backendNames } from '../cli/backendFlag';
import type { TrainingRequest } from '../engine/training/prepareTraining';
import type { TrainingEvent, TrainingOutcome } from '../engine/training/trainingEvents';
import type { PipelineEvent, PipelineOutcome, PipelineRequest } from '../pipeline/runPipeline';

/** Where a job stands, as the worker sees it when it answers. */
export interface JobState {
  started: boolean;
  /** A pause was asked for and not yet lifted by resume or cancel. */
  paused: boolean;
  cancelled: boolean;
  /** The job is waiting at a safe point (a training run: between two steps) until resume or cancel. */
  held: boolean;
}

const control = { pause: object({}), resume: object({}), cancel: object({}), status: object({}) };

export type JobContract<Start, Event, Outcome> = Contract<
  { start: Schema<Start> } & typeof control,
  { start: Outcome; pause: JobState; resume: JobState; cancel: JobState; status: JobState },
  { 'job.event': Event }
>;

function jobContract<Start, Event, Outcome>(start: Schema<Start>): JobContract<Start, Event, Outcome> {
  return { args: { start, ...control } };
}

/**
 * Plain JSON data typed as the job's request: what it means is checked by the job itself (prepareTraining,
 * runPipeline), which refuses bad input with an ArgumentError naming the field.
 */
function request<T>(): Schema<T> {
  const plain = json({ maxDepth: 8 });
  return { describe: plain.describe, check: (value, path) => plain.check(value, path) as unknown as T };
}

/** What every job's start names besides its request. */
const jobSettings = {
  /** The data folder; the worker opens its own connection to the catalog in it (SQLite connections are per thread). */
  dataDir: str({ minLength: 1, maxLength: 4096 }),
  /** Use exactly this TF.js backend; default: the fastest that loads. */
  backend: optional(oneOf(...backendNames)),
};

const trainingStart = object({
  request: request<TrainingRequest>(),
  ...jobSettings,
  /** Steps between metric writes (see runTraining). */
  metricsEvery: optional(int({ min: 1 })),
});
export type TrainingStart = Infer<typeof trainingStart>;
export const trainingJobContract = jobContract<TrainingStart, TrainingEvent, TrainingOutcome>(trainingStart);

const pipelineStart = object({ request: request<PipelineRequest>(), ...jobSettings });
export type PipelineStart = Infer<typeof pipelineStart>;
export const pipelineJobContract = jobContract<PipelineStart, PipelineEvent, PipelineOutcome>(pipelineStart);
