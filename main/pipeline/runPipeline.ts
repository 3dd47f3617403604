// The one-click pipeline: pre-training step 1 (on the dataset, or on several datasets mixed in every batch) → step 2
// (on the dataset's groups, from step 1's last checkpoint) → cross-view retrieval →
// temporal action segmentation with novel views (and single- vs two-view) → anticipation → ablation → report.
// Everything the request names is checked first (dataset, held-out views, settings, seeds, every problem of the
// datasets as main/pipeline/preflight.ts lists them, that training can sample a batch); only then is a run of kind 'pipeline' created, so the caller learns its id from the first
// stage event. The pre-training runs are runs of their own (their ids are in the report), each recording the
// pipeline run as its parent.
// Spread: with `seeds` N the downstream heads (segmentation, novel view, anticipation, ablation) are trained N
// times, with the seeds seed, seed + 1, …, seed + N − 1, every head of one seed with that seed (so the rows of a
// table are paired per seed); with `seedsPretrain` pre-training (and so retrieval) is repeated with the same seeds,
// each seed's heads reading its own encoders. Stages run one after another, each over all seeds; the report shows
// mean ± std over the seeds and marks each Δ significant or not (main/report/seedStatistics.ts). Within a stage
// the heads are independent jobs: they train several at once on worker threads where the head worker is built
// (main/worker/chooseHeadRunner.ts), with the same numbers as one after another.
// Each stage writes one seed's catalog rows in one transaction once that seed has finished the stage, so a failed
// or cancelled stage leaves nothing half written; the pipeline run then ends 'failed' (with the stage and the
// error) or 'cancelled', keeping what was saved, and its report is written with the tables finished so far,
// marked with that status (on cancellation only when some table has numbers).
// Given pre-training runs (`runs`: runs of the catalog, e.g. imported from a PyTorch job) are evaluated as they
// are: nothing is pre-trained again, and the ablation's '+step2' row needs a given step-2-from-random run.
import { MAX_CLASS_NAME_LENGTH, MAX_PIPELINE_SEEDS, type RunSamplingConfig } from '../../contract/api';
import { seedLimit } from '../../contract/evgapConfig';
import { ArgumentError } from '../../contract/errors';
import type { ReportStatus, StageTiming } from '../../contract/report';
import type { Catalog } from '../catalog/Catalog';
import { precisionInUse, type BackendReport } from '../../native/tfBackend';
import type { Encoder } from '../engine/encoder/encoder';
import { precisions, presetNames, presets, resolveConfig, type ConfigOverrides, type EncoderConfig, type EvgapConfig, type Precision, type PresetName } from '../engine/config';
import { withSavedSampling } from '../engine/sampling/savedSampling';
import { requireOneFeatureDim, type MixShare } from '../engine/training/datasetMix';
import { prepareTraining, type TrainingRequest } from '../engine/training/prepareTraining';
import { runTraining } from '../engine/training/runTraining';
import { betweenSteps, TrainingControl } from '../engine/training/trainingControl';
import type { TrainingEvent } from '../engine/training/trainingEvents';
import { reportFolder, writeReport } from '../report/writeReport';
import { anticipationStage } from './anticipationStage';
import { inspectDataset, loadEvaluationData, resolveHeldOutViews, type EvaluationData } from './evaluationData';
import { pipelineReport, type StageResults } from './pipelineReport';
import { pipelineProblems, refuseOnErrors } from './preflight';
import { buildEncoder, encoderWeights, type EncoderWeights } from './pipelineEncoders';
import { ablationRows, anticipationRows, retrievalRows, segmentationRows, type ResultRow } from './resultRows';
import { retrievalStage } from './retrievalStage';
import { ablationStage, segmentationStage, type HeadContext } from './segmentationStage';
import type { HeadRunner } from './headRunner';
import { chooseHeadRunner } from '../worker/chooseHeadRunner';
import type { HeadWorkerOpen } from '../worker/headContract';
import type { BackendName } from '../../native/tfBackend';
import { pipelineSettings, type PipelineSettings, type PipelineSettingsOverrides } from './settings';

export type PipelineRequest = {
  /** Dataset name in the catalog: step 2, every evaluation and (unless pretrainDatasets says otherwise) step 1. */
  dataset: string;
  /** Step 1 trains on these datasets, mixed in every batch (e.g. Assembly101 and Charades-Ego); default: `dataset`. */
  pretrainDatasets?: string[];
  /** Step 1 on several datasets: each one's share of the pairs; default: in proportion to their pair counts. */
  mix?: MixShare[];
  preset: PresetName;
  /** Tiny settings (a few steps and epochs) to check the whole pipeline quickly. */
  quick?: boolean;
  /** Views held out in the novel-view evaluation (default: the first two ego and the first two exo cameras by name). */
  heldOutViews?: string[];
  /** Seeds pre-training and every head (default: the preset's); the first of the seeds when there are several. */
  seed?: number;
  /** How many seeds the downstream heads are trained with: seed, seed + 1, … (default 1, at most MAX_PIPELINE_SEEDS). */
  seeds?: number;
  /** Repeat pre-training with every seed too (default: pre-train once, with the first seed). */
  seedsPretrain?: boolean;
  /** Changes to the preset's pipeline settings (training lengths, heads); stored with the run. */
  settings?: PipelineSettingsOverrides;
  /**
   * Evaluate these completed pre-training runs instead of pre-training: step 1, step 2, and optionally a step-2 run
   * from a random init for the ablation's '+step2' row (left out of the ablation without it).
   */
  runs?: GivenRuns;
  /** Precision of every pre-training run's matrix products (default the config's, fp32). */
  precision?: Precision;
  /** A saved sampling configuration of the dataset for pre-training: its window, stride, scales, clips per set and
   *  views apply, and its batch sizes where the pipeline's settings set none (quick keeps its small batches). */
  samplingConfig?: RunSamplingConfig;
  /** The class of frames no segment covers in the scenes the heads train and test on (added to the class list);
   *  without it such gaps refuse the pipeline (main/pipeline/preflight.ts offers it as the fix). */
  unlabeledClass?: string;
};

export type GivenRuns = { step1: number; step2: number; step2FromRandom?: number };

export const pipelineStages = ['pretrain-step1', 'pretrain-step2', 'retrieval', 'segmentation', 'anticipation', 'ablation', 'report'] as const;
export type PipelineStage = (typeof pipelineStages)[number];

export type PipelineEvent =
  /** `stage` is one of pipelineStages; fraction is the part of that stage done, 0..1. */
  | { type: 'stage'; runId: number; stage: string; stageIndex: number; stages: number; message: string; fraction: number }
  | { type: 'training'; event: TrainingEvent };

export type PipelineOutcome = {
  runId: number;
  status: 'completed' | 'failed' | 'cancelled';
  /** <dataDir>/runs/<runId>/report: the report when it completed, the partial one when it stopped after some results. */
  reportDir: string;
  /** Whether a report (complete or partial) was written to reportDir. */
  reportWritten: boolean;
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
  /** What trains the downstream heads (default main/worker/chooseHeadRunner.ts: worker threads where built). */
  headRunner?: (data: EvaluationData, open: HeadWorkerOpen) => HeadRunner;
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

/** A pre-training run's encoder at its last checkpoint (its weights are read when a stage needs them). */
type Pretrained = { runId: number; encoder: EncoderConfig; checkpoint: string };

/** The encoders of one pre-training seed, as far as they were made. */
type SeedEncoders = { step1?: Pretrained; step2?: Pretrained; step2FromRandom?: Pretrained | null };

export async function runPipeline(request: PipelineRequest, context: PipelineContext): Promise<PipelineOutcome> {
  const { catalog, dataDir, backend } = context;
  const control = context.control ?? new TrainingControl();
  const now = context.now ?? (() => performance.now() / 1000);
  const plan = await planPipeline(request, catalog);
  const { seeds, pretrainingSeeds } = plan;
  const runId = catalog.createRun({
    datasetId: plan.datasetId,
    kind: PIPELINE_RUN_KIND,
    config: {
      request: { ...request, heldOutViews: plan.heldOutViews, seed: plan.seed, seeds: seeds.length, seedsPretrain: pretrainingSeeds.length > 1 },
      seeds,
      pretrainingSeeds,
      settings: plan.settings,
      engine: plan.config,
    },
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
  const saveRows = (rows: readonly ResultRow[]) => catalog.addEvaluationResults(rows.map((row) => ({ runId, ...row })));
  /** "seed 4 (2/3): " before a message when there are several seeds. */
  const seedPrefix = (seed: number, all: readonly number[]) => (all.length > 1 ? `seed ${seed} (${all.indexOf(seed) + 1}/${all.length}): ` : '');
  const train = async (trainingRequest: TrainingRequest, label: string, seedIndex: number, seedCount: number): Promise<Pretrained> => {
    const outcome = await runTraining(
      trainingRequest,
      {
        catalog,
        dataDir,
        backend,
        parentRunId: runId,
        onEvent: (event) => {
          emit({ type: 'training', event });
          if (event.type === 'progress') {
            progress(`${label}: step ${event.step}/${event.totalSteps}, loss ${event.loss.toFixed(4)}`, (seedIndex + event.step / event.totalSteps) / seedCount);
          }
        },
      },
      control,
    );
    if (outcome.status === 'cancelled') throw new PipelineCancelled(`${label} (run ${outcome.runId}) was cancelled`);
    if (outcome.status === 'failed' || outcome.checkpoint === null) {
      throw new PipelineStageError(`${label} (run ${outcome.runId}) failed: ${outcome.error ?? 'no checkpoint was written'}`);
    }
    return { runId: outcome.runId, encoder: plan.config.encoder, checkpoint: outcome.checkpoint };
  };
  /** A given run's encoder, at its last checkpoint. */
  const given = (givenRunId: number): Pretrained => ({
    runId: givenRunId,
    encoder: (catalog.getRun(givenRunId).config as EvgapConfig).encoder,
    checkpoint: catalog.listCheckpoints(givenRunId).at(-1)!.path,
  });
  const load = (pretrained: Pretrained): Promise<EncoderWeights> => encoderWeights(pretrained.encoder, pretrained.checkpoint);

  const encoders = new Map<number, SeedEncoders>(pretrainingSeeds.map((seed) => [seed, {}]));
  /** The encoders a heads' seed reads: its own when pre-training is repeated, else the one pre-training's. */
  const encodersOf = (seed: number) => encoders.get(pretrainingSeeds.includes(seed) ? seed : pretrainingSeeds[0]!)!;
  const results: StageResults = { retrieval: [], segmentation: [], anticipation: [], ablation: [] };
  const runs = plan.givenRuns;
  const report = async (status: ReportStatus, error: string | null): Promise<void> => {
    const data = pipelineReport({
      runId,
      status,
      failedStage: status === 'completed' ? null : current,
      error,
      dataset: plan.datasetName,
      step1Datasets: [plan.step1.dataset, ...(plan.step1.extraDatasets ?? [])],
      preset: request.preset,
      quick: request.quick === true,
      seeds,
      pretrainingSeeds,
      backend: `${backend.details}; precision: ${precisionInUse(plan.config.training.precision, backend).note}`,
      pretrained: pretrainingSeeds.map((seed) => {
        const e = encoders.get(seed)!;
        return { seed, step1: e.step1?.runId ?? null, step2: e.step2?.runId ?? null, step2FromRandom: e.step2FromRandom?.runId ?? null };
      }),
      givenRuns: runs !== null,
      lossPoints: (lossRunId) => catalog.runMetrics(lossRunId, ['loss']).map((row) => ({ step: row.step, loss: row.value })),
      settings: plan.settings,
      heldOutViews: plan.heldOutViews,
      results,
      timings: status === 'completed' ? timings : [...timings, { stage: current, seconds: now() - stageStarted }],
      wallSeconds: now() - started,
      createdAt: new Date().toISOString(),
    });
    await writeReport(reportDir, data);
  };

  let data: EvaluationData | undefined;
  let heads: HeadRunner | undefined;
  try {
    progress(runs ? `using step-1 run ${runs.step1} (no pre-training)` : `pre-training step 1 on ${[plan.step1.dataset, ...(plan.step1.extraDatasets ?? [])].join(', ')}`, 0);
    await checkControl();
    const sampling = request.samplingConfig && { samplingConfig: request.samplingConfig };
    const common = (seed: number) => ({ mode: 'new', dataset: plan.datasetName, preset: request.preset, overrides: { ...plan.overrides, seed }, ...sampling }) as const;
    for (const [i, seed] of pretrainingSeeds.entries()) {
      encoders.get(seed)!.step1 = runs ? given(runs.step1) : await train({ ...common(seed), ...plan.step1, step: 1 }, `${seedPrefix(seed, pretrainingSeeds)}step 1`, i, pretrainingSeeds.length);
    }
    await enter('pretrain-step2', runs ? `using step-2 run ${runs.step2} (no pre-training)` : `pre-training step 2 from step 1`);
    for (const [i, seed] of pretrainingSeeds.entries()) {
      const e = encoders.get(seed)!;
      e.step2 = runs ? given(runs.step2) : await train({ ...common(seed), step: 2, init: { runId: e.step1!.runId } }, `${seedPrefix(seed, pretrainingSeeds)}step 2`, i, pretrainingSeeds.length);
    }

    await enter('retrieval', 'cross-view retrieval on the test scenes');
    data = loadEvaluationData(catalog, plan.datasetName, request.unlabeledClass);
    for (const [i, seed] of pretrainingSeeds.entries()) {
      const e = encoders.get(seed)!;
      const weights = [await load(e.step1!), await load(e.step2!)];
      const retrieval = withEncoders(weights, ([one, two]) =>
        retrievalStage(data!, plan.config, { step1: one!, step2: two! }, (done, total, what) =>
          progress(`${seedPrefix(seed, pretrainingSeeds)}${what}`, (i + done / total) / pretrainingSeeds.length),
        ),
      );
      saveRows(retrievalRows(retrieval, seed));
      results.retrieval.push(retrieval);
    }

    /** What one seed's heads need: the data, its seed, its encoders and a pause point that reports progress. */
    const headContext = async (seed: number, withFromRandom = false): Promise<HeadContext> => {
      const e = encodersOf(seed);
      const index = seeds.indexOf(seed);
      const fromRandom = withFromRandom && e.step2FromRandom ? await load(e.step2FromRandom) : undefined;
      return {
        data: data!,
        runner: heads!,
        settings: plan.settings.segmentation,
        encoders: { step1: await load(e.step1!), step2: await load(e.step2!), ...(fromRandom && { step2FromRandom: fromRandom }) },
        seed,
        between: async (done, total, what) => {
          progress(`${seedPrefix(seed, seeds)}${what}`, (index + done / total) / seeds.length);
          await checkControl();
        },
      };
    };

    const open: HeadWorkerOpen = {
      dataDir,
      dataset: plan.datasetName,
      ...(request.unlabeledClass !== undefined && { unlabeledClass: request.unlabeledClass }),
      backend: backend.backend as BackendName,
    };
    heads = (context.headRunner ?? chooseHeadRunner)(data, open);
    const headNames = plan.settings.segmentation.heads;
    await enter(
      'segmentation',
      `novel views ${plan.heldOutViews.join(', ')}, then single- and two-view inputs, heads ${headNames.join(', ')}${seeds.length > 1 ? `, seeds ${seeds.join(', ')}` : ''}; ${heads.description}`,
    );
    for (const seed of seeds) {
      const segmentation = await segmentationStage(await headContext(seed), plan.heldOutViews);
      saveRows(segmentationRows(segmentation, headNames[0]!, seed));
      results.segmentation.push(segmentation);
    }

    await enter('anticipation', 'Ego, Exo and Ego+Exo inputs, Base vs +EVGAP');
    for (const seed of seeds) {
      const anticipation = await anticipationStage(await headContext(seed), plan.settings.anticipation);
      saveRows(anticipationRows(anticipation, seed));
      results.anticipation.push(anticipation);
    }

    await enter(
      'ablation',
      !runs
        ? `pre-training step 2 from a random init (${plan.settings.step2FromRandomSteps} steps) for +step2`
        : runs.step2FromRandom !== undefined
          ? `using step-2-from-random run ${runs.step2FromRandom} for +step2`
          : 'no step-2-from-random run given: +step2 left out',
    );
    for (const [i, seed] of pretrainingSeeds.entries()) {
      const e = encoders.get(seed)!;
      e.step2FromRandom = !runs
        ? await train(
            {
              ...common(seed),
              step: 2,
              overrides: { ...plan.overrides, seed, step2: { ...plan.overrides.step2, steps: plan.settings.step2FromRandomSteps, checkpointEvery: plan.settings.step2FromRandomSteps } },
            },
            `${seedPrefix(seed, pretrainingSeeds)}step 2 from random init`,
            i,
            pretrainingSeeds.length,
          )
        : runs.step2FromRandom !== undefined
          ? given(runs.step2FromRandom)
          : null;
    }
    for (const [i, seed] of seeds.entries()) {
      const ablation = await ablationStage(await headContext(seed, true), results.segmentation[i]!);
      saveRows(ablationRows(ablation, seed));
      results.ablation.push(ablation);
    }

    await enter('report', 'writing the report');
    await report('completed', null);
    progress(`report written to ${reportDir}`, 1);
    catalog.setRunStatus(runId, 'completed');
    return { runId, status: 'completed', reportDir, reportWritten: true };
  } catch (error) {
    const cancelled = error instanceof PipelineCancelled;
    const message = cancelled ? error.message : `${current}: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`;
    const hasTables = results.retrieval.length > 0 || results.segmentation.length > 0;
    let reportWritten = false;
    let reportError = '';
    if (!cancelled || hasTables) {
      try {
        await report(cancelled ? 'cancelled' : 'failed', message);
        reportWritten = true;
      } catch (writeError) {
        reportError = ` (the partial report could not be written: ${writeError instanceof Error ? writeError.message : String(writeError)})`;
      }
    }
    if (cancelled) {
      catalog.setRunStatus(runId, 'cancelled');
      return { runId, status: 'cancelled', reportDir, reportWritten, error: message + reportError };
    }
    catalog.setRunStatus(runId, 'failed', { error: message + reportError });
    return { runId, status: 'failed', reportDir, reportWritten, error: message + reportError };
  } finally {
    await heads?.close();
    data?.store.close();
  }
}

type PipelinePlan = {
  /** Runs to evaluate instead of pre-training, checked. */
  givenRuns: GivenRuns | null;
  datasetId: number;
  datasetName: string;
  /** Step 1's datasets: the first, the others mixed in, and their shares. */
  step1: Pick<Extract<TrainingRequest, { mode: 'new' }>, 'dataset' | 'extraDatasets' | 'mix'>;
  heldOutViews: string[];
  seed: number;
  /** The heads' seeds: seed, seed + 1, … */
  seeds: number[];
  /** The pre-training seeds: all of `seeds` with seedsPretrain, else the first. */
  pretrainingSeeds: number[];
  settings: PipelineSettings;
  overrides: ConfigOverrides;
  config: EvgapConfig;
};

/** Checks the request and the dataset; throws before anything is written. */
async function planPipeline(request: PipelineRequest, catalog: Catalog): Promise<PipelinePlan> {
  if (request === null || typeof request !== 'object') throw new ArgumentError('expected a pipeline request object');
  if (!(presetNames as readonly unknown[]).includes(request.preset)) {
    throw new ArgumentError(`expected preset ${presetNames.map((p) => `'${p}'`).join(' or ')}, got ${JSON.stringify(request.preset)}`);
  }
  if (request.quick !== undefined && typeof request.quick !== 'boolean') throw new ArgumentError(`expected quick to be true or false, got ${JSON.stringify(request.quick)}`);
  if (request.precision !== undefined && !precisions.includes(request.precision)) {
    throw new ArgumentError(`expected precision ${precisions.map((p) => `'${p}'`).join(' or ')}, got ${JSON.stringify(request.precision)}`);
  }
  const seed = request.seed ?? presets[request.preset].seed;
  if (!Number.isInteger(seed) || seed < 0) throw new ArgumentError(`expected seed to be an integer >= 0, got ${seed}`);
  const count = request.seeds ?? 1;
  if (!Number.isInteger(count) || count < 1 || count > MAX_PIPELINE_SEEDS) {
    throw new ArgumentError(`expected seeds to be an integer from 1 to ${MAX_PIPELINE_SEEDS}, got ${JSON.stringify(request.seeds)}`);
  }
  if (seed + count - 1 > seedLimit.max) throw new ArgumentError(`expected seed + seeds − 1 to be at most ${seedLimit.max}, got ${seed + count - 1}`);
  if (request.seedsPretrain !== undefined && typeof request.seedsPretrain !== 'boolean') {
    throw new ArgumentError(`expected seedsPretrain to be true or false, got ${JSON.stringify(request.seedsPretrain)}`);
  }
  if (request.seedsPretrain === true && request.runs !== undefined) {
    throw new ArgumentError('seedsPretrain: given pre-training runs cannot be repeated over seeds (leave out seedsPretrain, or the given runs)');
  }
  const unlabeled = request.unlabeledClass;
  if (unlabeled !== undefined && (typeof unlabeled !== 'string' || unlabeled.trim() === '' || unlabeled.length > MAX_CLASS_NAME_LENGTH)) {
    throw new ArgumentError(`expected unlabeledClass to be a class name of 1 to ${MAX_CLASS_NAME_LENGTH} characters, got ${JSON.stringify(unlabeled)}`);
  }
  // Every problem of the datasets at once (annotation gaps, views, feature sizes, splits), before anything is written.
  const pretrainDatasets = Array.isArray(request.pretrainDatasets) ? request.pretrainDatasets : undefined;
  refuseOnErrors(
    pipelineProblems(catalog, { dataset: request.dataset, ...(pretrainDatasets && { pretrainDatasets }), ...(unlabeled !== undefined && { unlabeledClass: unlabeled }), pretrains: request.runs === undefined }),
    'the pipeline',
  );
  const seeds = Array.from({ length: count }, (_, k) => seed + k);
  const pretrainingSeeds = request.seedsPretrain === true ? seeds : [seed];
  const facts = inspectDataset(catalog, request.dataset);
  const heldOutViews = resolveHeldOutViews(facts, request.heldOutViews);
  const settings = pipelineSettings(request.preset, request.quick === true, request.settings);
  const pipelineOverrides: ConfigOverrides = {
    ...settings.training,
    encoder: { ...settings.training.encoder, inputDim: facts.featureDim },
    ...(request.precision !== undefined && { training: { ...settings.training.training, precision: request.precision } }),
    seed,
  };
  const overrides = request.samplingConfig ? withSavedSampling(pipelineOverrides, request.samplingConfig.settings) : pipelineOverrides;
  const plan = { datasetId: facts.datasetId, datasetName: facts.datasetName, heldOutViews, seed, seeds, pretrainingSeeds, settings, overrides };
  if (request.runs !== undefined) {
    if (request.pretrainDatasets !== undefined || request.mix !== undefined || request.samplingConfig !== undefined) {
      throw new ArgumentError('runs: given pre-training runs replace pre-training, so pretrainDatasets, mix and samplingConfig cannot be given with them');
    }
    const config = checkGivenRuns(catalog, request.runs, facts.featureDim);
    return { ...plan, step1: { dataset: facts.datasetName }, givenRuns: request.runs, config };
  }
  const config = resolveConfig(request.preset, overrides);
  const step1 = step1Datasets(request, facts.datasetName);
  // The encoder reads every step-1 dataset and the evaluated one: one feature dimension for all, named if not.
  const involved = [...new Set([facts.datasetName, step1.dataset, ...(step1.extraDatasets ?? [])])];
  if (involved.length > 1) requireOneFeatureDim(catalog, involved);
  // Training checks that the datasets yield batches; doing it now keeps a bad dataset from creating any run.
  for (const check of [{ step: 1 as const, ...step1 }, { step: 2 as const, dataset: facts.datasetName }]) {
    const prepared = await prepareTraining({ mode: 'new', ...check, preset: request.preset, overrides, ...(request.samplingConfig && { samplingConfig: request.samplingConfig }) }, catalog);
    prepared.store.close();
  }
  return { ...plan, step1, givenRuns: null, config };
}

/** Step 1's datasets: `pretrainDatasets` when given (the first is the step-1 run's own), else the pipeline's dataset. */
function step1Datasets(request: PipelineRequest, dataset: string): PipelinePlan['step1'] {
  const names = request.pretrainDatasets;
  if (names === undefined) {
    if (request.mix !== undefined) throw new ArgumentError('mix: proportions need step 1 on several datasets (pretrainDatasets)');
    return { dataset };
  }
  if (!Array.isArray(names) || names.length === 0) throw new ArgumentError('pretrainDatasets: expected at least one dataset name, got none');
  const [first, ...extra] = names;
  return { dataset: first!, ...(extra.length > 0 && { extraDatasets: extra }), ...(request.mix !== undefined && { mix: request.mix }) };
}

/** Each given run is a completed pre-training run of the right step with a checkpoint and the dataset's F; returns
 *  the step-2 run's config (its sampling window and stride set the retrieval clips). */
function checkGivenRuns(catalog: Catalog, runs: GivenRuns, featureDim: number): EvgapConfig {
  if (typeof runs !== 'object' || runs === null) throw new ArgumentError('expected runs to be {step1, step2, step2FromRandom?}');
  const check = (role: string, runId: unknown, kind: string): EvgapConfig => {
    if (!Number.isInteger(runId) || (runId as number) < 1) throw new ArgumentError(`runs.${role}: expected a run id, got ${JSON.stringify(runId)}`);
    const run = catalog.getRun(runId as number);
    if (run.kind !== kind || run.status !== 'completed') {
      throw new ArgumentError(`runs.${role}: expected a completed '${kind}' run, run ${run.id} is a ${run.status} '${run.kind}' run`);
    }
    if (catalog.listCheckpoints(run.id).length === 0) throw new ArgumentError(`runs.${role}: run ${run.id} has no checkpoint`);
    const config = run.config as EvgapConfig;
    if (config.encoder.inputDim !== featureDim) {
      throw new ArgumentError(`runs.${role}: run ${run.id}'s encoder takes ${config.encoder.inputDim}-d features, the dataset has ${featureDim}-d`);
    }
    return config;
  };
  check('step1', runs.step1, 'pretrain-step1');
  const config = check('step2', runs.step2, 'pretrain-step2');
  if (runs.step2FromRandom !== undefined) check('step2FromRandom', runs.step2FromRandom, 'pretrain-step2');
  return config;
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
