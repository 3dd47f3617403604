// A saved sampling configuration (the Sampling panel's "Save as sampling config": `{preset, overrides: {sampling:
// {window, stride, scaleMin, scaleMax, clipsPerSet}, step1: {batchPairs}, step2: {batchGroups}}, views}`) read back
// as the settings a run applies, the engine overrides they make, and the record a run stores in its config
// (`samplingConfig`: id, name and settings), so the run says which saved configuration it was started with.
import type { RunSamplingConfig, SamplingConfigInfo, SavedSamplingSettings } from '../../../contract/api';
import { ArgumentError, NotFoundError } from '../../../contract/errors';
import type { Catalog } from '../../catalog/Catalog';
import type { SamplingConfigRow } from '../../catalog/samplingConfigs';
import type { ConfigOverrides } from '../config';

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The settings of a stored config; ArgumentError naming the field when it is not one the Sampling panel saves. */
export function savedSamplingSettings(config: unknown, what: string): { preset: string | null; settings: SavedSamplingSettings } {
  if (!isObject(config) || !isObject(config.overrides)) throw new ArgumentError(`${what}: expected {preset, overrides, views}, got ${JSON.stringify(config)?.slice(0, 80)}`);
  const section = (key: string): Json => {
    const value = (config.overrides as Json)[key];
    if (!isObject(value)) throw new ArgumentError(`${what}: expected overrides.${key} to be an object`);
    return value;
  };
  const numberAt = (key: string, field: string): number => {
    const value = section(key)[field];
    if (typeof value !== 'number' || !Number.isFinite(value)) throw new ArgumentError(`${what}: expected overrides.${key}.${field} to be a number, got ${JSON.stringify(value)}`);
    return value;
  };
  const views = config.views ?? null;
  if (views !== null && (!Array.isArray(views) || views.length === 0 || views.some((v) => typeof v !== 'string'))) {
    throw new ArgumentError(`${what}: expected views to be null or a non-empty list of view names`);
  }
  return {
    preset: typeof config.preset === 'string' ? config.preset : null,
    settings: {
      window: numberAt('sampling', 'window'),
      stride: numberAt('sampling', 'stride'),
      scaleMin: numberAt('sampling', 'scaleMin'),
      scaleMax: numberAt('sampling', 'scaleMax'),
      clipsPerSet: numberAt('sampling', 'clipsPerSet'),
      batchPairs: numberAt('step1', 'batchPairs'),
      batchGroups: numberAt('step2', 'batchGroups'),
      views: views as string[] | null,
    },
  };
}

/** A saved config as listSamplingConfigs answers it: its settings, or why they cannot be read. */
export function samplingConfigInfo(row: SamplingConfigRow): SamplingConfigInfo {
  const base = { id: row.id, datasetId: row.datasetId, name: row.name, createdAt: row.createdAt };
  try {
    const { preset, settings } = savedSamplingSettings(row.config, `sampling config “${row.name}”`);
    return { ...base, preset, settings, problem: null };
  } catch (error) {
    if (!(error instanceof ArgumentError)) throw error;
    return { ...base, preset: null, settings: null, problem: error.message };
  }
}

/** The saved config `id` of dataset `datasetId` as a run stores it; NotFoundError / ArgumentError naming `argument`. */
export function runSamplingConfig(catalog: Pick<Catalog, 'listSamplingConfigs'>, datasetId: number, id: number, argument = 'samplingConfigId'): RunSamplingConfig {
  const row = catalog.listSamplingConfigs(datasetId).find((r) => r.id === id);
  if (row === undefined) throw new NotFoundError(`${argument}: dataset ${datasetId} has no saved sampling config with id ${id}`);
  const info = samplingConfigInfo(row);
  if (info.settings === null) throw new ArgumentError(`${argument}: ${info.problem}`);
  return { id: row.id, name: row.name, settings: info.settings };
}

/**
 * `overrides` with the saved settings under them: the saved window, stride, scales, clips per set and batch sizes
 * apply, and whatever `overrides` sets itself wins (the Training form's typed batch sizes).
 */
export function withSavedSampling(overrides: ConfigOverrides, saved: SavedSamplingSettings): ConfigOverrides {
  const { window, stride, scaleMin, scaleMax, clipsPerSet, batchPairs, batchGroups } = saved;
  return {
    ...overrides,
    sampling: { window, stride, scaleMin, scaleMax, clipsPerSet, ...overrides.sampling },
    step1: { batchPairs, ...overrides.step1 },
    step2: { batchGroups, ...overrides.step2 },
  };
}

/** The record a run's stored config carries (`samplingConfig`), or null when the config has none or it is unreadable. */
export function storedSamplingConfig(config: unknown): RunSamplingConfig | null {
  if (!isObject(config) || !isObject(config.samplingConfig)) return null;
  const { id, name, settings } = config.samplingConfig;
  if (typeof id !== 'number' || typeof name !== 'string' || !isObject(settings)) return null;
  return { id, name, settings: settings as unknown as SavedSamplingSettings };
}
