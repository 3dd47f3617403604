// The pre-training loop of one run, as a plain function of (request, context, control) so that it runs the same
// in a worker thread, in the CLI and in tests. It checks everything first (prepareTraining: nothing is written on
// bad input), then records the run in the catalog (kind 'pretrain-step1' / 'pretrain-step2', resolved config,
// seed, backend and the loader's report with the precision that runs), writes a checkpoint at step 0, every
// checkpointEvery steps, at the end and on cancel, logs every step's metrics in batches, and ends the run 'completed', 'cancelled' or 'failed'
// (with the error). A resumed run continues the same run id from its latest checkpoint with the same batches.
import { dirname, join } from 'node:path';
import type { RunStatus } from '../../../contract/api';
import { ArgumentError } from '../../../contract/errors';
import type { Catalog } from '../../catalog/Catalog';
import { precisionInUse, type BackendReport } from '../../../native/tfBackend';
import type { GroupBatch } from '../sampling/groupSampler';
import type { PairBatch } from '../sampling/pairSampler';
import type { ClipSampler } from '../sampling/clipSampler';
import { importEncoderTensors } from '../weights/encoderWeights';
import { removeInterruptedWrites } from './atomicFile';
import {
  restoreCheckpoint,
  runFolder,
  saveCheckpoint,
  sidecarPathOf,
  type CheckpointSidecar,
  type SavedCheckpoint,
} from './checkpoint';
import { metricValues, MetricsLog } from './metricsLog';
import { prepareTraining, type PreparedTraining, type TrainingCatalog, type TrainingRequest } from './prepareTraining';
import { betweenSteps, TrainingControl } from './trainingControl';
import { Pace, type TrainingEvent, type TrainingOutcome } from './trainingEvents';
import { trainGroupStep, trainPairStep, type StepMetrics } from './trainingStep';
import { createTrainingState, disposeTrainingState, stepSettings, type TrainingState } from './trainingState';

export type TrainingContext = {
  catalog: TrainingCatalog & Pick<Catalog, 'createRun' | 'setRunStatus' | 'addRunMetrics' | 'addCheckpoint'>;
  dataDir: string;
  /** The active TF.js backend and why it was chosen (stored with the run). */
  backend: BackendReport;
  onEvent?: (event: TrainingEvent) => void;
  /** Steps between metric writes (default 10); checkpoints and the end of the run also write. */
  metricsEvery?: number;
  /** Seconds on a monotonic clock (default performance.now); for clips/s and the ETA. */
  now?: () => number;
  /** The pipeline run that starts this run (recorded with it, so the runs list groups it under the pipeline). */
  parentRunId?: number;
};

export async function runTraining(
  request: TrainingRequest,
  context: TrainingContext,
  control: TrainingControl = new TrainingControl(),
): Promise<TrainingOutcome> {
  const { catalog, backend } = context;
  const metricsEvery = context.metricsEvery ?? 10;
  if (!Number.isInteger(metricsEvery) || metricsEvery < 1) throw new ArgumentError(`expected metricsEvery >= 1, got ${metricsEvery}`);
  const prepared = await prepareTraining(request, catalog);
  const { config, step } = prepared;
  const precision = precisionInUse(config.training.precision, backend);
  const runId =
    prepared.resume?.runId ??
    catalog.createRun({
      datasetId: prepared.datasetId,
      kind: prepared.kind,
      config: { ...config, ...(prepared.mix !== null && { mix: prepared.mix }), ...(prepared.samplingConfig !== null && { samplingConfig: prepared.samplingConfig }) },
      seed: config.seed,
      backend: backend.backend,
      backendReport: { ...backend, precision },
      parentRunId: context.parentRunId ?? null,
    });
  const emit = (event: TrainingEvent) => context.onEvent?.(event);
  const setStatus = (status: RunStatus, error?: string) => {
    catalog.setRunStatus(runId, status, error === undefined ? {} : { error });
    emit({ type: 'status', runId, status });
  };
  const now = context.now ?? (() => performance.now() / 1000);
  const totalSteps = stepSettings(config, step).steps;
  const checkpointEvery = stepSettings(config, step).checkpointEvery;
  // A resumed run keeps writing beside its checkpoints, even if the data folder was given another path since.
  const folder = prepared.resume ? dirname(prepared.resume.path) : runFolder(context.dataDir, runId);
  const metrics = new MetricsLog(catalog, runId);
  const initializedFrom: CheckpointSidecar['initializedFrom'] = prepared.resume
    ? prepared.resume.checkpoint.sidecar.initializedFrom
    : prepared.init && { runId: prepared.init.runId, step: prepared.init.step };
  let state: TrainingState | undefined;
  const written: { latest: SavedCheckpoint | null } = { latest: prepared.resume && resumedCheckpoint(prepared.resume) };

  const checkpoint = async (current: TrainingState) => {
    metrics.flush();
    const sampler = prepared.sampler.state();
    const saved = await saveCheckpoint(folder, current, { runId, kind: prepared.kind, sampler, initializedFrom });
    catalog.addCheckpoint(runId, {
      step: saved.step,
      path: saved.path,
      meta: { sidecar: saved.sidecarPath, optimizer: saved.optimizerPath, sampler },
    });
    written.latest = saved;
    emit({ type: 'checkpoint', runId, step: saved.step, path: saved.path });
  };

  try {
    state = createTrainingState(config, step);
    if (prepared.resume) {
      await removeInterruptedWrites(folder); // what a crash mid-checkpoint left
      restoreCheckpoint(state, prepared.resume.checkpoint, prepared.resume.path);
    } else if (prepared.init) {
      importEncoderTensors(state.encoder, prepared.init.weights, prepared.init.path);
    }
    const startStep = state.updates;
    setStatus('running');
    emit({
      type: 'started',
      runId,
      kind: prepared.kind,
      startStep,
      totalSteps,
      resumed: prepared.resume !== null,
      backend,
      precision,
      warnings: prepared.warnings,
      mix: prepared.mix,
    });
    if (!prepared.resume) await checkpoint(state);

    const pace = new Pace();
    while (state.updates < totalSteps) {
      await betweenSteps();
      if (control.paused) {
        metrics.flush();
        setStatus('paused');
        await control.whilePaused();
        if (!control.cancelled) setStatus('running');
      }
      if (control.cancelled) break;
      const started = now();
      const result = trainOneStep(state, prepared.sampler);
      const seconds = Math.max(now() - started, 1e-9);
      pace.record(seconds, result.clips);
      const values = metricValues(result, result.clips / seconds);
      metrics.add(state.updates, values);
      emit({
        type: 'progress',
        runId,
        step: state.updates,
        totalSteps,
        loss: result.loss,
        metrics: values,
        clipsPerSecond: pace.clipsPerSecond,
        etaSeconds: pace.etaSeconds(totalSteps - state.updates),
      });
      if (state.updates % checkpointEvery === 0 || state.updates === totalSteps) await checkpoint(state);
      else if (state.updates % metricsEvery === 0) metrics.flush();
    }
    if (control.cancelled) {
      if (written.latest?.step !== state.updates) await checkpoint(state);
      setStatus('cancelled');
      return outcome(runId, 'cancelled', state.updates, written.latest);
    }
    setStatus('completed');
    return outcome(runId, 'completed', state.updates, written.latest);
  } catch (error) {
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    try {
      metrics.flush();
    } finally {
      setStatus('failed', message);
    }
    return { ...outcome(runId, 'failed', state?.updates ?? 0, written.latest), error: message };
  } finally {
    if (state !== undefined) disposeTrainingState(state);
    prepared.store.close();
  }
}

function trainOneStep(state: TrainingState, sampler: ClipSampler<PairBatch> | ClipSampler<GroupBatch>): StepMetrics {
  return state.step === 1
    ? trainPairStep(state, (sampler as ClipSampler<PairBatch>).next())
    : trainGroupStep(state, (sampler as ClipSampler<GroupBatch>).next());
}

function resumedCheckpoint(resume: NonNullable<PreparedTraining['resume']>): SavedCheckpoint {
  const { sidecar } = resume.checkpoint;
  return {
    step: sidecar.step,
    path: resume.path,
    sidecarPath: sidecarPathOf(resume.path),
    optimizerPath: join(dirname(resume.path), sidecar.optimizer),
  };
}

function outcome(runId: number, status: TrainingOutcome['status'], step: number, latest: SavedCheckpoint | null): TrainingOutcome {
  return { runId, status, step, checkpoint: latest?.path ?? null };
}
