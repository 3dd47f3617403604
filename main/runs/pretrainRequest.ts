// Turns a startPretrain call (dataset by id, preset, JSON overrides, a step count, a step-1 run to start from, more
// datasets and their shares for step 1 on several datasets, a saved sampling config) into the engine's TrainingRequest, checking on the
// calling side what is cheap to check (the datasets exist, every override field is known and valid, shares name
// exactly the run's datasets) so bad input fails before a worker thread starts.
import type { ApiArgs } from '../../contract/api';
import { ArgumentError, NotFoundError } from '../../contract/errors';
import type { Catalog } from '../catalog/Catalog';
import { resolveConfig, type ConfigOverrides } from '../engine/config';
import { runSamplingConfig, withSavedSampling } from '../engine/sampling/savedSampling';
import { mixDatasetNames } from '../engine/training/datasetMix';
import type { TrainingRequest } from '../engine/training/prepareTraining';

export type NewTrainingRequest = Extract<TrainingRequest, { mode: 'new' }>;

export function pretrainRequest(args: ApiArgs<'startPretrain'>, catalog: Pick<Catalog, 'listDatasets' | 'listSamplingConfigs'>): NewTrainingRequest {
  const name = datasetNames(catalog);
  const dataset = name(args.datasetId, 'datasetId');
  const extraDatasets = (args.extraDatasetIds ?? []).map((id, i) => name(id, `extraDatasetIds[${i}]`));
  if (extraDatasets.length > 0 && args.step !== 1) {
    throw new ArgumentError(`extraDatasetIds: only step 1 trains on several datasets; step ${args.step} trains on one dataset's groups`);
  }
  const mix = args.mix?.map((share, i) => ({ dataset: name(share.datasetId, `mix[${i}].datasetId`), proportion: share.proportion }));
  mixDatasetNames(dataset, extraDatasets, mix);
  if (args.initRunId !== undefined && args.step !== 2) {
    throw new ArgumentError(`initRunId: only a step-2 run starts from a step-1 run; step ${args.step} starts from seeded weights`);
  }
  const overrides = configOverrides(args.overrides, args.step, args.steps);
  const samplingConfig = args.samplingConfigId === undefined ? undefined : runSamplingConfig(catalog, args.datasetId, args.samplingConfigId);
  try {
    resolveConfig(args.preset, samplingConfig ? withSavedSampling(overrides, samplingConfig.settings) : overrides);
  } catch (error) {
    if (error instanceof ArgumentError) throw new ArgumentError(`overrides: ${error.message}`);
    throw error;
  }
  return {
    mode: 'new',
    step: args.step === 1 ? 1 : 2,
    dataset,
    ...(extraDatasets.length > 0 && { extraDatasets }),
    ...(mix && { mix }),
    preset: args.preset,
    overrides,
    ...(args.initRunId === undefined ? {} : { init: { runId: args.initRunId } }),
    ...(samplingConfig && { samplingConfig }),
  };
}

/** Dataset names by id, or NotFoundError naming the argument. */
export function datasetNames(catalog: Pick<Catalog, 'listDatasets'>): (id: number, argument: string) => string {
  const datasets = catalog.listDatasets();
  return (id, argument) => {
    const dataset = datasets.find((d) => d.id === id);
    if (dataset === undefined) throw new NotFoundError(`${argument}: no dataset with id ${id} in the catalog`);
    return dataset.name;
  };
}

/** The overrides as given, with `steps` set on the trained step's section (step1.steps or step2.steps). */
export function configOverrides(given: unknown, step: number, steps: number | undefined): ConfigOverrides {
  if (given !== undefined && !isRecord(given)) {
    const got = Array.isArray(given) ? 'an array' : JSON.stringify(given);
    throw new ArgumentError(`overrides: expected an object of config sections, got ${got}`);
  }
  const overrides = structuredClone(given ?? {}) as Record<string, unknown>;
  if (steps !== undefined) {
    const section = step === 1 ? 'step1' : 'step2';
    const current = overrides[section];
    // A section that is not an object is left for resolveConfig to name.
    if (current === undefined || isRecord(current)) overrides[section] = { ...current, steps };
  }
  return overrides as ConfigOverrides;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
