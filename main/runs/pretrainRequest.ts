// Turns a startPretrain call (dataset by id, preset, JSON overrides, a step count, a step-1 run to start from) into
// the engine's TrainingRequest, checking on the calling side what is cheap to check (the dataset exists, every
// override field is known and valid) so bad input fails before a worker thread starts.
import type { ApiArgs } from '../../contract/api';
import { ArgumentError, NotFoundError } from '../../contract/errors';
import type { Catalog } from '../catalog/Catalog';
import { resolveConfig, type ConfigOverrides } from '../engine/config';
import type { TrainingRequest } from '../engine/training/prepareTraining';

export function pretrainRequest(args: ApiArgs<'startPretrain'>, catalog: Pick<Catalog, 'listDatasets'>): TrainingRequest {
  const dataset = catalog.listDatasets().find((d) => d.id === args.datasetId);
  if (dataset === undefined) throw new NotFoundError(`datasetId: no dataset with id ${args.datasetId} in the catalog`);
  if (args.initRunId !== undefined && args.step !== 2) {
    throw new ArgumentError(`initRunId: only a step-2 run starts from a step-1 run; step ${args.step} starts from seeded weights`);
  }
  const overrides = configOverrides(args.overrides, args.step, args.steps);
  try {
    resolveConfig(args.preset, overrides);
  } catch (error) {
    if (error instanceof ArgumentError) throw new ArgumentError(`overrides: ${error.message}`);
    throw error;
  }
  return {
    mode: 'new',
    step: args.step === 1 ? 1 : 2,
    dataset: dataset.name,
    preset: args.preset,
    overrides,
    ...(args.initRunId === undefined ? {} : { init: { runId: args.initRunId } }),
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
