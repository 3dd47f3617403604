// Everything a training run checks before it writes anything: the config (preset + overrides, or the stored
// config of a resumed run, which must not change), the step-1 run a step-2 run starts from (a completed
// 'pretrain-step1' run with the same encoder config), the dataset (present, ego and exo views, feature files of the
// config's dimension) and that a batch can be made at all. Any problem is an ArgumentError, NotFoundError or
// ConflictError thrown here, before a run row or file exists.
import { ArgumentError, ConflictError, NotFoundError } from '../../../contract/errors';
import type { Catalog } from '../../catalog/Catalog';
import { FeatureStore } from '../../features/FeatureStore';
import { resolveConfig, validateConfig, type ConfigOverrides, type EvgapConfig, type PresetName } from '../config';
import type { ClipSampler } from '../sampling/clipSampler';
import { createGroupSampler, type GroupBatch } from '../sampling/groupSampler';
import { createPairSampler, type PairBatch } from '../sampling/pairSampler';
import { samplerSettings } from '../sampling/settings';
import type { Float32Tensor } from '../weights/safetensors';
import { readCheckpoint, readCheckpointWeights, type CheckpointContents } from './checkpoint';
import { loadTrainingData } from './trainingData';
import { runKind, type PretrainStep } from './trainingState';

export type TrainingRequest =
  | {
      mode: 'new';
      step: PretrainStep;
      /** Dataset name in the catalog. */
      dataset: string;
      /** Default 'demo'. */
      preset?: PresetName;
      overrides?: ConfigOverrides;
      /** Step 2: the completed step-1 run whose encoder it starts from, and which checkpoint (default: the last). */
      init?: { runId: number; checkpointStep?: number };
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
};

const kinds: Record<string, PretrainStep> = { 'pretrain-step1': 1, 'pretrain-step2': 2 };

export async function prepareTraining(request: TrainingRequest, catalog: TrainingCatalog): Promise<PreparedTraining> {
  if (request.mode === 'resume') return prepareResume(request, catalog);
  if (request.mode !== 'new') throw new ArgumentError(`expected mode 'new' or 'resume', got ${JSON.stringify((request as { mode: unknown }).mode)}`);
  if (request.step !== 1 && request.step !== 2) throw new ArgumentError(`expected step 1 or 2, got ${String(request.step)}`);
  const config = resolveConfig(request.preset ?? 'demo', withDatasetInputDim(request.overrides ?? {}, catalog, request.dataset));
  if (request.init !== undefined && request.step !== 2) {
    throw new ArgumentError('init: only a step-2 run starts from a step-1 run; step 1 starts from seeded weights');
  }
  const init = request.init === undefined ? null : await prepareInit(request.init, config, catalog);
  const data = prepareData(catalog, request.dataset, config, request.step);
  return { step: request.step, kind: runKind(request.step), config, ...data, resume: null, init };
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
  const config = run.config as EvgapConfig;
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
  const dataset = catalog.listDatasets().find((d) => d.id === run.datasetId);
  if (dataset === undefined) throw new NotFoundError(`no dataset with id ${run.datasetId} in the catalog`);
  const data = prepareData(catalog, dataset.name, config, step);
  try {
    data.sampler.restore(checkpoint.sidecar.sampler);
  } catch (error) {
    throw new ArgumentError(`run ${run.id}: the dataset no longer yields the checkpoint's sampling position (${(error as Error).message})`);
  }
  return { step, kind: run.kind, config, ...data, resume: { runId: run.id, checkpoint, path: latest.path }, init: null };
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

/** The dataset's sources and a sampler over them; sampling errors become ArgumentErrors naming the dataset. */
function prepareData(catalog: TrainingCatalog, datasetName: string, config: EvgapConfig, step: PretrainStep) {
  const data = loadTrainingData(catalog, datasetName);
  const store = new FeatureStore((trackId) => {
    const location = data.locations.get(trackId);
    if (location === undefined) throw new NotFoundError(`track ${trackId} is not in dataset ${datasetName}`);
    return location;
  });
  const settings = samplerSettings(config, { split: null });
  try {
    const sampler =
      step === 1
        ? createPairSampler(data.sources, store, settings, config.seed)
        : createGroupSampler(data.sources, store, settings, config.seed);
    return { datasetId: data.datasetId, store, sampler, warnings: [...data.warnings, ...sampler.warnings] };
  } catch (error) {
    store.close();
    if (error instanceof ArgumentError) throw error;
    throw new ArgumentError(`dataset ${datasetName}: ${(error as Error).message}`);
  }
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
