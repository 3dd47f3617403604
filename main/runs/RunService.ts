// The training side of the API (contract/api.ts: startPretrain, startPipeline, checkRun, controlRun, listRuns,
// updateRun, getRun, runMetrics, listEvaluations, getReport): checks a run's datasets (main/pipeline/preflight.ts) and
// refuses it while errors remain, starts pre-training runs and one-click pipelines in worker threads, turns their
// events into the contract's run.progress / run.status / pipeline.progress / catalog.changed events,
// steers the runs this process is running (a pipeline's training runs are steered through the pipeline), and
// reads runs, metrics, evaluations and reports from the catalog and the data folder.
import type { ApiArgs, RunStatus, RunSummary } from '../../contract/api';
import { ArgumentError, ConflictError, NotFoundError, RemoteError } from '../../contract/errors';
import type { JsonValue } from '../../contract/schema';
import type { BackendName } from '../../native/tfBackend';
import type { Emit, RunMethods } from '../api/apiContext';
import type { Catalog } from '../catalog/Catalog';
import type { TrainingEvent } from '../engine/training/trainingEvents';
import type { PipelineEvent, PipelineRequest } from '../pipeline/runPipeline';
import type { PortEndpoint } from '../worker/messagePortTransport';
import { PipelineController } from '../worker/PipelineController';
import { TrainingController } from '../worker/TrainingController';
import { runSamplingConfig, storedSamplingConfig } from '../engine/sampling/savedSampling';
import { mixDatasetNames, storedMix } from '../engine/training/datasetMix';
import { pipelineProblems, pretrainProblems, refuseOnErrors, type PretrainCheck } from '../pipeline/preflight';
import { datasetNames, pretrainRequest, type NewTrainingRequest } from './pretrainRequest';
import { reportInfo, reportSummary } from './reportFiles';

export type RunServiceOptions = {
  catalog: Catalog;
  dataDir: string;
  /** Delivers an event to every connected client. */
  emit: Emit;
  /** The built worker entries (default: worker.js and pipeline.js beside the bundle, i.e. out/main/). */
  workerFiles?: { training?: string; pipeline?: string };
  /** Make the workers, or ports to worker sides run in-process (tests); replaces workerFiles. */
  spawn?: { training?: () => PortEndpoint; pipeline?: () => PortEndpoint };
  /** Train with exactly this TF.js backend (default: the fastest that loads, chosen in each worker). */
  backend?: BackendName;
};

export type RunService = RunMethods & {
  /** Stops every worker at once; their runs keep their status and resume later from their latest checkpoint. */
  shutdown(): Promise<void>;
};

/** A worker this process steers: one pre-training run, or one pipeline with the training runs it starts. */
interface Job {
  /** Each resolves once the worker has the request. */
  pause(): Promise<void>;
  resume(): Promise<void>;
  cancel(): Promise<void>;
  terminate(): Promise<void>;
}

interface JobOutcome {
  runId: number;
  status: RunStatus;
  error?: string;
}

interface Launchable<Event> extends Job {
  readonly done: Promise<JobOutcome>;
  onEvent(listener: (event: Event) => void): () => void;
}

const TERMINAL: ReadonlySet<RunStatus> = new Set(['completed', 'failed', 'cancelled']);
/** The dataset the one-click pipeline uses when none is named: the generated demo (`evgap demo`). */
export const DEFAULT_PIPELINE_DATASET = 'demo';

export function createRunService(options: RunServiceOptions): RunService {
  const { catalog, dataDir, emit } = options;
  /** The runs live in this process, each with the job that runs it. */
  const live = new Map<number, Job>();
  const jobs = new Set<Job>();
  /** Runs whose final status has been announced, so the end of their job does not announce it again. */
  const announced = new Set<number>();
  const identities = new Map<number, { kind: string; datasetId: number | null }>();
  const backend = options.backend === undefined ? {} : { backend: options.backend };
  let stopping = false;

  const identity = (runId: number) => {
    let known = identities.get(runId);
    if (known === undefined) {
      const run = catalog.getRun(runId);
      known = { kind: run.kind, datasetId: run.datasetId };
      identities.set(runId, known);
    }
    return known;
  };
  const announceStatus = (runId: number, status: RunStatus, error: string | null) => {
    if (TERMINAL.has(status)) announced.add(runId);
    emit('run.status', { runId, kind: identity(runId).kind, status, error });
  };
  const catalogChanged = (runId: number) =>
    emit('catalog.changed', { datasetId: identity(runId).datasetId, sceneId: null, what: 'runs' });
  const datasetName = (datasetId: number) => {
    const dataset = catalog.listDatasets().find((d) => d.id === datasetId);
    if (dataset === undefined) throw new NotFoundError(`datasetId: no dataset with id ${datasetId} in the catalog`);
    return dataset.name;
  };
  const workerOptions = (job: 'training' | 'pipeline') => {
    const spawn = options.spawn?.[job];
    const workerFile = options.workerFiles?.[job];
    return spawn !== undefined ? { spawn } : workerFile !== undefined ? { workerFile } : {};
  };
  /** The saved sampling config of the pipeline's dataset (named, as the default 'demo' may be). */
  const pipelineSamplingConfig = (dataset: string, samplingConfigId: number) => {
    const found = catalog.findDatasetByName(dataset);
    if (found === undefined) throw new NotFoundError(`datasetId: no dataset named ${JSON.stringify(dataset)} in the catalog`);
    return runSamplingConfig(catalog, found.id, samplingConfigId);
  };
  const refuseWhenStopping = (method: string) => {
    if (stopping) throw new RemoteError(`${method}: the app is shutting down`);
  };

  /** A startPipeline call as the pipeline's request (datasets by name, checked to exist). */
  function pipelineRequest(args: ApiArgs<'startPipeline'>): PipelineRequest {
    const dataset = args.datasetId === undefined ? DEFAULT_PIPELINE_DATASET : datasetName(args.datasetId);
    const name = datasetNames(catalog);
    const pretrainDatasets = args.pretrainDatasetIds?.map((id, i) => name(id, `pretrainDatasetIds[${i}]`));
    const mix = args.mix?.map((share, i) => ({ dataset: name(share.datasetId, `mix[${i}].datasetId`), proportion: share.proportion }));
    if (mix !== undefined) mixDatasetNames(pretrainDatasets?.[0] ?? dataset, pretrainDatasets?.slice(1), mix);
    return {
      dataset,
      preset: args.preset,
      ...(args.quick === undefined ? {} : { quick: args.quick }),
      ...(pretrainDatasets && { pretrainDatasets }),
      ...(mix && { mix }),
      ...(args.segHeads === undefined || args.segHeads.length === 0 ? {} : { settings: { segmentation: { heads: args.segHeads } } }),
      ...(args.seeds === undefined ? {} : { seeds: args.seeds }),
      ...(args.seedsPretrain === undefined ? {} : { seedsPretrain: args.seedsPretrain }),
      ...(args.samplingConfigId !== undefined && { samplingConfig: pipelineSamplingConfig(dataset, args.samplingConfigId) }),
      ...(args.unlabeledClass !== undefined && { unlabeledClass: args.unlabeledClass }),
    };
  }

  /** A training run's event, from a pre-training worker or a pipeline's training stage. */
  function forwardTraining(event: TrainingEvent, job: Job): void {
    const { runId } = event;
    if (event.type === 'status') {
      if (TERMINAL.has(event.status)) {
        if (live.get(runId) === job) live.delete(runId);
        announceStatus(runId, event.status, catalog.getRun(runId).error);
        catalogChanged(runId);
      } else {
        live.set(runId, job);
        announceStatus(runId, event.status, null);
      }
    } else if (event.type === 'started') {
      live.set(runId, job);
      catalogChanged(runId);
    } else if (event.type === 'progress') {
      const { step, totalSteps, loss, metrics, clipsPerSecond, etaSeconds } = event;
      emit('run.progress', { runId, step, totalSteps, loss, metrics, clipsPerSecond, etaSeconds });
    }
  }

  /**
   * Follows a started job: `route` forwards its events and calls `started` with the job's own run id once it is
   * known. Resolves with that id; rejects with the error that kept the job from starting.
   */
  function launch<Event>(job: Launchable<Event>, route: (event: Event, started: (runId: number) => void) => void) {
    jobs.add(job);
    return new Promise<{ runId: number }>((resolve, reject) => {
      let ownRunId: number | null = null;
      const started = (runId: number) => {
        if (ownRunId !== null) return;
        ownRunId = runId;
        live.set(runId, job);
        resolve({ runId });
      };
      // Events still in flight from a worker being stopped are dropped: the catalog may be closing.
      job.onEvent((event) => {
        if (!stopping) route(event, started);
      });
      job.done
        .then(
          (outcome) => {
            started(outcome.runId);
            if (!announced.has(outcome.runId)) {
              announceStatus(outcome.runId, outcome.status, outcome.error ?? null);
              catalogChanged(outcome.runId);
            }
          },
          (error: unknown) => {
            if (ownRunId === null) reject(error);
            else if (!stopping) failRunsOf(job, error instanceof Error ? error.message : String(error));
          },
        )
        .finally(() => {
          jobs.delete(job);
          for (const [runId, owner] of live) if (owner === job) live.delete(runId);
        });
    });
  }

  /** A worker that died mid-run (not at shutdown) leaves its runs 'failed' with the reason, resumable. */
  function failRunsOf(job: Job, reason: string): void {
    for (const [runId, owner] of live) {
      if (owner !== job || TERMINAL.has(catalog.getRun(runId).status)) continue;
      catalog.setRunStatus(runId, 'failed', { error: reason });
      announceStatus(runId, 'failed', reason);
      catalogChanged(runId);
    }
  }

  return {
    startPretrain(args) {
      refuseWhenStopping('startPretrain');
      const request = pretrainRequest(args, catalog);
      refuseOnErrors(pretrainProblems(catalog, pretrainCheck(request)), `step-${request.step} pre-training`);
      const controller = TrainingController.start({ request, dataDir, ...backend }, workerOptions('training'));
      return launch<TrainingEvent>(controller, (event, started) => {
        forwardTraining(event, controller);
        if (event.type === 'started') started(event.runId);
      });
    },

    checkRun({ pretrain, pipeline }) {
      if ((pretrain === undefined) === (pipeline === undefined)) {
        throw new ArgumentError('checkRun: expected exactly one of pretrain (startPretrain\'s arguments) or pipeline (startPipeline\'s)');
      }
      if (pretrain !== undefined) return { problems: pretrainProblems(catalog, pretrainCheck(pretrainRequest(pretrain, catalog))) };
      return { problems: pipelineProblems(catalog, pipelineRequest(pipeline!)) };
    },

    startPipeline(args) {
      refuseWhenStopping('startPipeline');
      const request = pipelineRequest(args);
      refuseOnErrors(pipelineProblems(catalog, request), 'the pipeline');
      const controller = PipelineController.start({ request, dataDir, ...backend }, workerOptions('pipeline'));
      let announcedStart = false;
      return launch<PipelineEvent>(controller, (event, started) => {
        if (event.type === 'training') return forwardTraining(event.event, controller);
        const { runId, stage, stageIndex, stages, message, fraction } = event;
        if (!announcedStart) {
          announcedStart = true;
          started(runId);
          announceStatus(runId, catalog.getRun(runId).status, null);
          catalogChanged(runId);
        }
        emit('pipeline.progress', { runId, stage, stageIndex, stages, message, fraction });
      });
    },

    async controlRun({ runId, action }) {
      const run = catalog.getRun(runId);
      const job = live.get(runId);
      if (job === undefined) throw new ConflictError(`run ${runId} is not running here (status ${run.status})`);
      await job[action]();
      return summary(catalog.getRun(runId));
    },

    listRuns({ datasetId, tag }) {
      return catalog.listRuns(datasetId, tag);
    },

    updateRun({ runId, ...change }) {
      const run = catalog.updateRunLabels(runId, change);
      catalogChanged(runId);
      return run;
    },

    getRun({ runId }) {
      const run = catalog.getRun(runId);
      const checkpoints = catalog.listCheckpoints(runId).map(({ id, step, path, createdAt }) => ({ id, step, path, createdAt }));
      const request = (run.config as { request?: unknown } | null)?.request;
      return {
        ...summary(run),
        config: run.config as JsonValue,
        backendReport: run.backendReport as JsonValue,
        error: run.error,
        checkpoints,
        mix: storedMix(run.config),
        // A pre-training run stores it beside its config; a pipeline in its request.
        samplingConfig: storedSamplingConfig(run.config) ?? storedSamplingConfig(request),
      };
    },

    runMetrics({ runId, names }) {
      return catalog.runMetrics(runId, names);
    },

    listEvaluations({ runId }) {
      return catalog.listEvaluationResults(runId);
    },

    getReport({ runId }) {
      catalog.getRun(runId);
      return reportInfo(dataDir, runId);
    },

    listReports({ datasetId }) {
      return catalog.listRuns(datasetId).flatMap((run) => {
        const summary = reportSummary(dataDir, run);
        return summary === null ? [] : [summary];
      });
    },

    async shutdown() {
      stopping = true;
      const running = [...jobs];
      await Promise.allSettled(running.map((job) => job.terminate()));
      live.clear();
    },
  };
}

/** What the checks read of a pre-training request: its step and datasets. */
function pretrainCheck(request: NewTrainingRequest): PretrainCheck {
  return { step: request.step, dataset: request.dataset, ...(request.extraDatasets && { extraDatasets: request.extraDatasets }) };
}

function summary(run: RunSummary): RunSummary {
  const { id, datasetId, kind, status, backend, seed, startedAt, finishedAt, name, tags, parentRunId, quick, error } = run;
  return { id, datasetId, kind, status, backend, seed, startedAt, finishedAt, name, tags, parentRunId, quick, error };
}
