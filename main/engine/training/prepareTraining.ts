// Everything a training run checks before it writes anything: the config (preset + overrides, or the stored
// config of a resumed run, which must not change), the step-1 run a step-2 run starts from (a completed
// 'pretrain-step1' run with the same encoder config), the dataset (present, ego and exo views, feature files of the
// config's dimension) and that a batch can be made at all. Step 1 may train on several datasets at once (their
// pairs mixed in every batch, datasetMix.ts); step 2 needs a dataset with groups. Any problem is an ArgumentError,
// NotFoundError or ConflictError thrown here, before a run row or file exists.
import type { DatasetMix, RunSamplingConfig } from '../../../contract/api';
import { ArgumentError, ConflictError, NotFoundError } from '../../../contract/errors';
import type { Catalog } from '../../catalog/Catalog';
import { FeatureStore } from '../../features/FeatureStore';
import { resolveConfig, upgradeStoredConfig, validateConfig, type ConfigOverrides, type EvgapConfig, type PresetName } from '../config';
import type { ClipSampler } from '../sampling/clipSampler';
import { createGroupSampler, type GroupBatch } from '../sampling/groupSampler';
import { createMixedPairSampler, planMix } from '../sampling/mixedPairSampler';
import type { SamplingPlan } from '../sampling/plan';
import { createPairSampler, type PairBatch } from '../sampling/pairSampler';
import { storedSamplingConfig, withSavedSampling } from '../sampling/savedSampling';
import { samplerSettings, type SamplerSettings } from '../sampling/settings';
import type { FeatureTrackLocation } from '../../features/FeatureStore';
import type { Float32Tensor } from '../weights/safetensors';
import { readCheckpoint, readCheckpointWeights, type CheckpointContents } from './checkpoint';
import { mixDatasetNames, mixRecord, mixWeightsFor, requireOneFeatureDim, storedMix, type MixShare } from './datasetMix';
import { loadTrainingData, type TrainingData } from './trainingData';
import { runKind, type PretrainStep } from './trainingState';

export type TrainingRequest =
  | {
      mode: 'new';
      step: PretrainStep;
      /** Dataset name in the catalog (the run's dataset). */
      dataset: string;
      /** Step 1 only: more datasets whose pairs are mixed with `dataset`'s in every batch (features of one dimension). */
      extraDatasets?: string[];
      /** Step 1 on several datasets: each dataset's share of the pairs (all of them); default: their pair counts. */
      mix?: MixShare[];
      /** Default 'demo'. */
      preset?: PresetName;
      overrides?: ConfigOverrides;
      /** Step 2: the completed step-1 run whose encoder it starts from, and which checkpoint (default: the last). */
      init?: { runId: number; checkpointStep?: number };
      /** A saved sampling configuration: its settings apply under `overrides`, its views choose the views sampled. */
      samplingConfig?: RunSamplingConfig;
    }
  | {
      mode: 'resume';
      runId: number;
      /** When given, must resolve to the stored config exactly: a resumed run never changes its config. */
      preset?: PresetName;
      overrides?: ConfigOverrides;
    };

export type TrainingCatalog = Pick<
  Catalog,
  'findDatasetByName' | 'listDatasets' | 'listScenes' | 'getScene' | 'trackFile' | 'getRun' | 'listCheckpoints'
>;

export type PreparedTraining = {
  step: PretrainStep;
  kind: string;
  config: EvgapConfig;
  datasetId: number;
  store: FeatureStore;
  sampler: ClipSampler<PairBatch> | ClipSampler<GroupBatch>;
  warnings: string[];
  /** A resumed run: its id and the checkpoint it continues from. */
  resume: { runId: number; checkpoint: CheckpointContents; path: string } | null;
  /** A step-2 run's starting encoder: the step-1 checkpoint's weights. */
  init: { runId: number; step: number; weights: Map<string, Float32Tensor>; path: string } | null;
  /** Step 1 on several datasets: the mix, stored in the run's config as `mix`; null for one dataset. */
  mix: DatasetMix | null;
  /** The saved sampling configuration the run uses, stored in its config as `samplingConfig`; null for none. */
  samplingConfig: RunSamplingConfig | null;
};

const kinds: Record<string, PretrainStep> = { 'pretrain-step1': 1, 'pretrain-step2': 2 };

export async function prepareTraining(request: TrainingRequest, catalog: TrainingCatalog): Promise<PreparedTraining> {
  if (request.mode === 'resume') return prepareResume(request, catalog);
  if (request.mode !== 'new') throw new ArgumentError(`expected mode 'new' or 'resume', got ${JSON.stringify((request as { mode: unknown }).mode)}`);
  if (request.step !== 1 && request.step !== 2) throw new ArgumentError(`expected step 1 or 2, got ${String(request.step)}`);
  const names = mixDatasetNames(request.dataset, request.extraDatasets, request.mix);
  if (names.length > 1 && request.step !== 1) {
    throw new ArgumentError(`step 2 trains on the groups of one dataset; several datasets (${names.join(', ')}) take part in step 1 only`);
  }
  // Checked first, from the catalog: the encoder reads every dataset of the mix with one input size.
  if (names.length > 1) requireOneFeatureDim(catalog, names);
  const samplingConfig = request.samplingConfig ?? null;
  const overrides = samplingConfig === null ? (request.overrides ?? {}) : withSavedSampling(request.overrides ?? {}, samplingConfig.settings);
  const config = resolveConfig(request.preset ?? 'demo', withDatasetInputDim(overrides, catalog, request.dataset));
  if (request.init !== undefined && request.step !== 2) {
    throw new ArgumentError('init: only a step-2 run starts from a step-1 run; step 1 starts from seeded weights');
  }
  const init = request.init === undefined ? null : await prepareInit(request.init, config, catalog);
  const views = samplingConfig?.settings.views ?? null;
  const data =
    names.length > 1
      ? prepareMix(catalog, names, config, { shares: request.mix }, views)
      : prepareData(catalog, request.dataset, config, request.step, views);
  return { step: request.step, kind: runKind(request.step), config, ...data, resume: null, init, samplingConfig };
}

/**
 * The encoder's input dimension follows the dataset's features unless the request sets it: the presets' 2048 is
 * Assembly101's TSM size, not a requirement. A set value that disagrees with the features fails in prepareData.
 */
function withDatasetInputDim(overrides: ConfigOverrides, catalog: TrainingCatalog, datasetName: string): ConfigOverrides {
  if (overrides.encoder?.inputDim !== undefined) return overrides;
  const dataset = catalog.findDatasetByName(datasetName);
  if (dataset === undefined) return overrides;
  for (const scene of catalog.listScenes(dataset.id)) {
    const dim = catalog.getScene(scene.id).views.find((v) => v.track?.featureDim != null)?.track?.featureDim;
    if (dim != null) return { ...overrides, encoder: { ...overrides.encoder, inputDim: dim } };
  }
  return overrides;
}

async function prepareResume(
  request: Extract<TrainingRequest, { mode: 'resume' }>,
  catalog: TrainingCatalog,
): Promise<PreparedTraining> {
  const run = catalog.getRun(request.runId);
  const step = kinds[run.kind];
  if (step === undefined) throw new ArgumentError(`run ${run.id}: expected a pre-training run, got kind '${run.kind}'`);
  if (run.status === 'completed') throw new ConflictError(`run ${run.id} is already completed; start a new run instead`);
  const { mix: storedRecord, samplingConfig: storedSampling, ...stored } = run.config as EvgapConfig & { mix?: unknown; samplingConfig?: unknown };
  const config = upgradeStoredConfig(stored as EvgapConfig);
  const mix = storedMix(run.config);
  const samplingConfig = storedSamplingConfig(run.config);
  if (storedSampling !== undefined && samplingConfig === null) throw new ArgumentError(`run ${run.id}: its stored sampling config cannot be read, so it cannot resume`);
  const views = samplingConfig?.settings.views ?? null;
  if (storedRecord !== undefined && mix === null) throw new ArgumentError(`run ${run.id}: its stored dataset mix cannot be read, so it cannot resume`);
  validateConfig(config);
  if (request.preset !== undefined || request.overrides !== undefined) {
    // A preset names a whole config; overrides alone name only the fields they set.
    const changes =
      request.preset !== undefined
        ? differences(config, resolveConfig(request.preset, request.overrides ?? {}))
        : differences(config, request.overrides, '', 'given');
    if (changes.length > 0) {
      throw new ConflictError(`run ${run.id}: a resumed run keeps its stored config; the request changes ${changes.join(', ')}`);
    }
  }
  if (run.datasetId === null) throw new ArgumentError(`run ${run.id}: its dataset was deleted, so it cannot resume`);
  const latest = catalog.listCheckpoints(run.id).at(-1);
  if (latest === undefined) throw new ArgumentError(`run ${run.id} has no checkpoint to resume from; start a new run`);
  const checkpoint = await readCheckpoint(latest.path);
  const datasetName = (id: number) => {
    const dataset = catalog.listDatasets().find((d) => d.id === id);
    if (dataset === undefined) throw new NotFoundError(`run ${run.id}: no dataset with id ${id} in the catalog`);
    return dataset.name;
  };
  const data =
    mix === null
      ? prepareData(catalog, datasetName(run.datasetId), config, step, views)
      : prepareMix(catalog, mix.datasets.map((d) => datasetName(d.datasetId)), config, { stored: mix, runId: run.id }, views);
  try {
    data.sampler.restore(checkpoint.sidecar.sampler);
  } catch (error) {
    throw new ArgumentError(`run ${run.id}: the dataset no longer yields the checkpoint's sampling position (${(error as Error).message})`);
  }
  return { step, kind: run.kind, config, ...data, resume: { runId: run.id, checkpoint, path: latest.path }, init: null, samplingConfig };
}

async function prepareInit(
  init: { runId: number; checkpointStep?: number },
  config: EvgapConfig,
  catalog: TrainingCatalog,
): Promise<NonNullable<PreparedTraining['init']>> {
  const run = catalog.getRun(init.runId);
  if (run.kind !== 'pretrain-step1' || run.status !== 'completed') {
    throw new ArgumentError(`init: expected a completed 'pretrain-step1' run, run ${run.id} is a ${run.status} '${run.kind}' run`);
  }
  const checkpoints = catalog.listCheckpoints(run.id);
  const chosen = init.checkpointStep === undefined ? checkpoints.at(-1) : checkpoints.find((c) => c.step === init.checkpointStep);
  if (chosen === undefined) {
    const steps = checkpoints.map((c) => c.step).join(', ') || 'none';
    throw new ArgumentError(`init: run ${run.id} has no checkpoint at step ${init.checkpointStep ?? '(last)'} (checkpoints: ${steps})`);
  }
  const changes = differences((run.config as EvgapConfig).encoder, config.encoder, 'encoder');
  if (changes.length > 0) {
    throw new ArgumentError(`init: the encoder config must equal step-1 run ${run.id}'s; this run changes ${changes.join(', ')}`);
  }
  return { runId: run.id, step: chosen.step, weights: await readCheckpointWeights(chosen.path), path: chosen.path };
}

/** The sampler settings pre-training draws with (every view, or those a saved sampling config names); an exported
 *  job plans its clips with them. */
export function trainingSamplerSettings(config: EvgapConfig, views: string[] | null = null): SamplerSettings {
  // Pre-training samples the training split (and scenes without a split), so the held-out scenes the pipeline
  // evaluates on stay unseen, as trainingData.ts says and the Sampling panel previews.
  return samplerSettings(config, { split: 'train', views });
}

/** The dataset's sources and a sampler over them; sampling errors become ArgumentErrors naming the dataset. */
function prepareData(catalog: TrainingCatalog, datasetName: string, config: EvgapConfig, step: PretrainStep, views: string[] | null) {
  const data = loadTrainingData(catalog, datasetName);
  if (step === 2 && data.sources.length > 0 && data.sources.every((s) => s.pairOnly)) {
    throw new ArgumentError(
      `dataset ${datasetName} (format '${data.format}') has only pair-only scenes (one ego and one exo video, not frame-synchronized) ` +
        'and no ego-exo groups: it takes part in step 1 only; step 2 needs a dataset with synchronized multi-view scenes',
    );
  }
  const store = featureStore([data]);
  const settings = trainingSamplerSettings(config, views);
  try {
    const sampler =
      step === 1
        ? createPairSampler(data.sources, store, settings, config.seed)
        : createGroupSampler(data.sources, store, settings, config.seed);
    return { datasetId: data.datasetId, store, sampler, warnings: [...data.warnings, ...sampler.warnings], mix: null };
  } catch (error) {
    store.close();
    if (error instanceof ArgumentError) throw error;
    throw new ArgumentError(`dataset ${datasetName}: ${(error as Error).message}`);
  }
}

/**
 * Step 1 on several datasets: each dataset's sources, one feature store over all their tracks, the weights (the
 * given shares, else pair counts) and the mixed sampler and record. A resumed run passes its stored record: the
 * same weights, refused when a dataset's pairs have changed since (the mixed order could not continue).
 */
function prepareMix(
  catalog: TrainingCatalog,
  names: readonly string[],
  config: EvgapConfig,
  mixing: { shares: readonly MixShare[] | undefined } | { stored: DatasetMix; runId: number },
  views: string[] | null,
) {
  const datasets = names.map((name) => loadTrainingData(catalog, name));
  const settings = trainingSamplerSettings(config, views);
  const store = featureStore(datasets);
  try {
    const mixed = datasets.map((data) => ({ name: data.datasetName, sources: data.sources }));
    const weights = 'stored' in mixing ? mixing.stored.datasets.map((d) => d.weight) : mixWeightsFor(pairCounts(planMix(mixed, settings), names), mixing.shares);
    const sampler = createMixedPairSampler(mixed, weights, store, settings, config.seed);
    let mix: DatasetMix;
    if ('stored' in mixing) {
      mix = mixing.stored;
      const changed = mix.datasets.flatMap((d, i) => {
        const now = sampler.datasets[i]!;
        return now.pairs === d.pairs && now.pairSources === d.pairSources ? [] : [`${d.name}: ${d.pairs} pairs then, ${now.pairs} now`];
      });
      if (changed.length > 0) {
        throw new ArgumentError(`run ${mixing.runId}: its datasets changed since it started, so the mixed order cannot continue (${changed.join('; ')})`);
      }
    } else {
      const batches = config.step1.steps;
      const identities = datasets.map((data) => ({ id: data.datasetId, name: data.datasetName, format: data.format }));
      mix = mixRecord(identities, sampler.datasets, weights, mixing.shares, batches, sampler.clipShares(batches));
    }
    const warnings = [...datasets.flatMap((data) => data.warnings.map((w) => `dataset ${data.datasetName}: ${w}`)), ...sampler.warnings];
    return { datasetId: datasets[0]!.datasetId, store, sampler, warnings, mix };
  } catch (error) {
    store.close();
    if (error instanceof ArgumentError) throw error;
    throw new ArgumentError(`step 1 on datasets ${names.join(', ')}: ${(error as Error).message}`);
  }
}

/** Each dataset's distinct step-1 pairs (Σ windows over its pair sources), from its plan: the default weights. */
function pairCounts(plans: readonly SamplingPlan[], names: readonly string[]) {
  return plans.map((plan, d) => ({
    name: names[d]!,
    pairs: plan.pairSources.reduce((sum, p) => sum + p.scene.windows, 0),
  }));
}

/** One feature store over the tracks of the given datasets (catalog track ids are unique across datasets). */
function featureStore(datasets: readonly TrainingData[]): FeatureStore {
  const locations = new Map<number, FeatureTrackLocation>();
  for (const data of datasets) for (const [trackId, location] of data.locations) locations.set(trackId, location);
  const names = datasets.map((d) => d.datasetName).join(', ');
  return new FeatureStore((trackId) => {
    const location = locations.get(trackId);
    if (location === undefined) throw new NotFoundError(`track ${trackId} is not in dataset ${names}`);
    return location;
  });
}

/**
 * Paths (`step1.lr: 0.0005 → 0.001`) where two configs differ; with `keys` 'given', only the fields that
 * `requested` sets are compared (a partial override against a full config).
 */
export function differences(stored: unknown, requested: unknown, path = '', keys: 'all' | 'given' = 'all'): string[] {
  if (isRecord(stored) && isRecord(requested)) {
    const names = keys === 'all' ? new Set([...Object.keys(stored), ...Object.keys(requested)]) : Object.keys(requested);
    return [...names].flatMap((key) => differences(stored[key], requested[key], path === '' ? key : `${path}.${key}`, keys));
  }
  if (keys === 'given' && requested === undefined) return [];
  return Object.is(stored, requested) ? [] : [`${path}: ${JSON.stringify(stored)} → ${JSON.stringify(requested)}`];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
