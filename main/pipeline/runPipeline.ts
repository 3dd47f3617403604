// The one-click pipeline: pre-training step 1 → step 2 (from step 1's last checkpoint) → cross-view retrieval →
// temporal action segmentation with novel views (and single- vs two-view) → anticipation → ablation → report.
// Everything the request names is checked first (dataset, held-out views, settings, that training can sample a
// batch); only then is a run of kind 'pipeline' created, so the caller learns its id from the first stage event.
// The pre-training runs are runs of their own (their ids are in the report). Each evaluation stage writes its
// catalog rows only once it has finished, so a failed or cancelled stage leaves nothing half written; the
// pipeline run then ends 'failed' (with the error) or 'cancelled', keeping what earlier stages saved.
import { ArgumentError } from '../../contract/errors';
import type { Catalog } from '../catalog/Catalog';
import type { BackendReport } from '../../native/tfBackend';
import type { Encoder } from '../engine/encoder/encoder';
import { presets, resolveConfig, type ConfigOverrides, type EvgapConfig, type PresetName } from '../engine/config';
import { prepareTraining, type TrainingRequest } from '../engine/training/prepareTraining';
import { runTraining } from '../engine/training/runTraining';
import { betweenSteps, TrainingControl } from '../engine/training/trainingControl';
import type { TrainingEvent } from '../engine/training/trainingEvents';
import { reportFolder, writeReport } from '../report/writeReport';
import { reportFormat, reportVersion, type ReportData, type StageTiming } from '../report/reportData';
import { anticipationStage } from './anticipationStage';
import { inspectDataset, loadEvaluationData, resolveHeldOutViews, type EvaluationData } from './evaluationData';
import { buildEncoder, encoderWeights, type EncoderWeights } from './pipelineEncoders';
import { ablationRows, anticipationRows, retrievalRows, segmentationRows, type ResultRow } from './resultRows';
import { retrievalStage } from './retrievalStage';
import { ablationStage, segmentationStage, type HeadContext } from './segmentationStage';
import { encoderModeLabel, pipelineSettings, type PipelineSettings, type PipelineSettingsOverrides } from './settings';

export type PipelineRequest = {
  /** Dataset name in the catalog. */
  dataset: string;
  preset: PresetName;
  /** Tiny settings (a few steps and epochs) to check the whole pipeline quickly. */
  quick?: boolean;
  /** Views held out in the novel-view evaluation (default: the first two ego and the first two exo cameras by name). */
  heldOutViews?: string[];
  /** Seeds pre-training and every head (default: the preset's seed). */
  seed?: number;
  /** Changes to the preset's pipeline settings (training lengths, heads); stored with the run. */
  settings?: PipelineSettingsOverrides;
};

export const pipelineStages = ['pretrain-step1', 'pretrain-step2', 'retrieval', 'segmentation', 'anticipation', 'ablation', 'report'] as const;
export type PipelineStage = (typeof pipelineStages)[number];

export type PipelineEvent =
  /** `stage` is one of pipelineStages; fraction is the part of that stage done, 0..1. */
  | { type: 'stage'; runId: number; stage: string; stageIndex: number; stages: number; message: string; fraction: number }
  | { type: 'training'; event: TrainingEvent };

export type PipelineOutcome = {
  runId: number;
  status: 'completed' | 'failed' | 'cancelled';
  /** <dataDir>/runs/<runId>/report (written only when the pipeline completed). */
  reportDir: string;
  error?: string;
};

export type PipelineContext = {
  catalog: Catalog;
  dataDir: string;
  backend: BackendReport;
  onEvent?: (event: PipelineEvent) => void;
  control?: TrainingControl;
  /** Seconds on a monotonic clock (default performance.now), for the stage timings in the report. */
  now?: () => number;
};

export const PIPELINE_RUN_KIND = 'pipeline';

/** The pipeline was cancelled through its control. */
class PipelineCancelled extends Error {
  override name = 'PipelineCancelled';
}

/** A pre-training run of the pipeline ended without completing. */
export class PipelineStageError extends Error {
  override name = 'PipelineStageError';
}

export async function runPipeline(request: PipelineRequest, context: PipelineContext): Promise<PipelineOutcome> {
  const { catalog, dataDir, backend } = context;
  const control = context.control ?? new TrainingControl();
  const now = context.now ?? (() => performance.now() / 1000);
  const plan = await planPipeline(request, catalog);
  const runId = catalog.createRun({
    datasetId: plan.datasetId,
    kind: PIPELINE_RUN_KIND,
    config: { request: { ...request, heldOutViews: plan.heldOutViews, seed: plan.seed }, settings: plan.settings, engine: plan.config },
    seed: plan.seed,
    backend: backend.backend,
    backendReport: backend,
  });
  catalog.setRunStatus(runId, 'running');
  const reportDir = reportFolder(dataDir, runId);
  const started = now();
  const timings: StageTiming[] = [];
  let current: PipelineStage = pipelineStages[0];
  let stageStarted = started;
  const emit = (event: PipelineEvent) => context.onEvent?.(event);
  const progress = (message: string, fraction: number) =>
    emit({ type: 'stage', runId, stage: current, stageIndex: pipelineStages.indexOf(current), stages: pipelineStages.length, message, fraction });
  const enter = async (stage: PipelineStage, message: string) => {
    timings.push({ stage: current, seconds: now() - stageStarted });
    current = stage;
    stageStarted = now();
    progress(message, 0);
    await checkControl();
  };
  const checkControl = async () => {
    await betweenSteps();
    if (control.paused) {
      catalog.setRunStatus(runId, 'paused');
      await control.whilePaused();
      if (!control.cancelled) catalog.setRunStatus(runId, 'running');
    }
    if (control.cancelled) throw new PipelineCancelled(`cancelled during ${current}`);
  };
  const saveRows = (rows: readonly ResultRow[]) => {
    for (const row of rows) catalog.addEvaluationResult({ runId, ...row });
  };
  const train = async (trainingRequest: TrainingRequest, label: string) => {
    const outcome = await runTraining(
      trainingRequest,
      {
        catalog,
        dataDir,
        backend,
        onEvent: (event) => {
          emit({ type: 'training', event });
          if (event.type === 'progress') progress(`${label}: step ${event.step}/${event.totalSteps}, loss ${event.loss.toFixed(4)}`, event.step / event.totalSteps);
        },
      },
      control,
    );
    if (outcome.status === 'cancelled') throw new PipelineCancelled(`${label} (run ${outcome.runId}) was cancelled`);
    if (outcome.status === 'failed' || outcome.checkpoint === null) {
      throw new PipelineStageError(`${label} (run ${outcome.runId}) failed: ${outcome.error ?? 'no checkpoint was written'}`);
    }
    return { runId: outcome.runId, weights: await encoderWeights(plan.config.encoder, outcome.checkpoint) };
  };

  let data: EvaluationData | undefined;
  try {
    progress(`pre-training step 1 on ${plan.datasetName}`, 0);
    await checkControl();
    const common = { mode: 'new', dataset: plan.datasetName, preset: request.preset, overrides: plan.overrides } as const;
    const step1 = await train({ ...common, step: 1 }, 'step 1');
    await enter('pretrain-step2', `pre-training step 2 from run ${step1.runId}`);
    const step2 = await train({ ...common, step: 2, init: { runId: step1.runId } }, 'step 2');

    await enter('retrieval', 'cross-view retrieval on the test scenes');
    data = loadEvaluationData(catalog, plan.datasetName);
    const evaluation: HeadContext = {
      data,
      settings: plan.settings.segmentation,
      encoders: { step1: step1.weights, step2: step2.weights },
      seed: plan.seed,
      between: async (done, total, what) => {
        progress(what, done / total);
        await checkControl();
      },
    };
    const retrieval = withEncoders([step1.weights, step2.weights], ([one, two]) =>
      retrievalStage(data!, plan.config, { step1: one!, step2: two! }, (done, total, what) => progress(what, done / total)),
    );
    saveRows(retrievalRows(retrieval));

    await enter('segmentation', `novel views ${plan.heldOutViews.join(', ')}, then single- and two-view inputs`);
    const segmentation = await segmentationStage(evaluation, plan.heldOutViews);
    saveRows(segmentationRows(segmentation));

    await enter('anticipation', 'Ego, Exo and Ego+Exo inputs, Base vs +EVGAP');
    const anticipation = await anticipationStage(evaluation, plan.settings.anticipation);
    saveRows(anticipationRows(anticipation.rows));

    await enter('ablation', `pre-training step 2 from a random init (${plan.settings.step2FromRandomSteps} steps) for +step2`);
    const fromRandom = await train(
      { ...common, step: 2, overrides: { ...plan.overrides, step2: { ...plan.overrides.step2, steps: plan.settings.step2FromRandomSteps, checkpointEvery: plan.settings.step2FromRandomSteps } } },
      'step 2 from random init',
    );
    evaluation.encoders.step2FromRandom = fromRandom.weights;
    const ablation = await ablationStage(evaluation, segmentation);
    saveRows(ablationRows(ablation));

    await enter('report', 'writing the report');
    const lossCurve = (id: number, label: string) => ({
      runId: id,
      label,
      points: catalog.runMetrics(id, ['loss']).map((row) => ({ step: row.step, loss: row.value })),
    });
    const report: ReportData = {
      format: reportFormat,
      version: reportVersion,
      runId,
      dataset: plan.datasetName,
      preset: request.preset,
      quick: request.quick === true,
      seed: plan.seed,
      createdAt: new Date().toISOString(),
      backend: backend.details,
      runs: { step1: step1.runId, step2: step2.runId, step2FromRandom: fromRandom.runId },
      encoderMode: encoderModeLabel(plan.settings.segmentation.encoderMode),
      settings: plan.settings,
      losses: [lossCurve(step1.runId, 'Step 1 (pairs)'), lossCurve(step2.runId, 'Step 2 (groups)'), lossCurve(fromRandom.runId, 'Step 2 from random init (ablation)')],
      retrieval,
      segmentation: { notes: segmentation.notes, singleView: segmentation.singleView, twoView: segmentation.twoView },
      novelView: { heldOutViews: plan.heldOutViews, rows: segmentation.novelView },
      anticipation,
      ablation: {
        notes: [
          '+random: a randomly initialized encoder trained end to end with the head',
          `+step1: the step-1 encoder; +step2: step 2 alone, from a random init (run ${fromRandom.runId}, ${plan.settings.step2FromRandomSteps} steps); +step1+step2: the step-2 encoder initialized from step 1`,
          `+step1, +step2, +step1+step2 features: ${encoderModeLabel(plan.settings.segmentation.encoderMode)}; Base and +step1+step2 are the segmentation table's rows`,
        ],
        rows: ablation,
      },
      timings,
      wallSeconds: now() - started,
    };
    await writeReport(reportDir, report);
    progress(`report written to ${reportDir}`, 1);
    catalog.setRunStatus(runId, 'completed');
    return { runId, status: 'completed', reportDir };
  } catch (error) {
    if (error instanceof PipelineCancelled) {
      catalog.setRunStatus(runId, 'cancelled');
      return { runId, status: 'cancelled', reportDir, error: error.message };
    }
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    catalog.setRunStatus(runId, 'failed', { error: `${current}: ${message}` });
    return { runId, status: 'failed', reportDir, error: `${current}: ${message}` };
  } finally {
    data?.store.close();
  }
}

type PipelinePlan = {
  datasetId: number;
  datasetName: string;
  heldOutViews: string[];
  seed: number;
  settings: PipelineSettings;
  overrides: ConfigOverrides;
  config: EvgapConfig;
};

/** Checks the request and the dataset; throws before anything is written. */
async function planPipeline(request: PipelineRequest, catalog: Catalog): Promise<PipelinePlan> {
  if (request === null || typeof request !== 'object') throw new ArgumentError('expected a pipeline request object');
  if (request.preset !== 'demo' && request.preset !== 'paper') {
    throw new ArgumentError(`expected preset 'demo' or 'paper', got ${JSON.stringify(request.preset)}`);
  }
  if (request.quick !== undefined && typeof request.quick !== 'boolean') throw new ArgumentError(`expected quick to be true or false, got ${JSON.stringify(request.quick)}`);
  const seed = request.seed ?? presets[request.preset].seed;
  if (!Number.isInteger(seed) || seed < 0) throw new ArgumentError(`expected seed to be an integer >= 0, got ${seed}`);
  const facts = inspectDataset(catalog, request.dataset);
  const heldOutViews = resolveHeldOutViews(facts, request.heldOutViews);
  const settings = pipelineSettings(request.preset, request.quick === true, request.settings);
  const overrides: ConfigOverrides = { ...settings.training, encoder: { ...settings.training.encoder, inputDim: facts.featureDim }, seed };
  const config = resolveConfig(request.preset, overrides);
  // Training checks that the dataset yields batches; doing it now keeps a bad dataset from creating any run.
  const prepared = await prepareTraining({ mode: 'new', step: 2, dataset: facts.datasetName, preset: request.preset, overrides }, catalog);
  prepared.store.close();
  return { datasetId: facts.datasetId, datasetName: facts.datasetName, heldOutViews, seed, settings, overrides, config };
}

/** Runs `use` with live encoders of the weights, disposed afterwards. */
function withEncoders<T>(weights: readonly EncoderWeights[], use: (encoders: Encoder[]) => T): T {
  const encoders: Encoder[] = [];
  try {
    for (const w of weights) encoders.push(buildEncoder(w));
    return use(encoders);
  } finally {
    for (const encoder of encoders) encoder.dispose();
  }
}
