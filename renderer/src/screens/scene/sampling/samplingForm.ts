// The sampling panel's settings as a form: defaults from the publication's preset (or the demo preset for the demo
// dataset), checks that explain a bad value in words before anything is sent, and the two shapes that leave the
// panel (the samplingPreview settings, and the config saved with "Save as sampling config"). The limits are the
// engine config's (contract/evgapConfig.ts), which samplingPreview checks against too.
import type { PresetInfo, SamplingSettingsInput, ViewInfo } from '../../../../../contract/api';
import { brokenBound, configFieldLimits, type NumericLimit, type PresetName } from '../../../../../contract/evgapConfig';
import type { JsonValue } from '../../../../../contract/schema';

/** The numbers a person edits; null while a field is empty. */
export interface SamplingNumbers {
  window: number | null;
  stride: number | null;
  scaleMin: number | null;
  scaleMax: number | null;
  clipsPerSet: number | null;
  batchPairs: number | null;
  batchGroups: number | null;
}

export type SamplingField = keyof SamplingNumbers | 'views';

export interface FieldProblem {
  field: SamplingField;
  message: string;
}

/** The preset the form's defaults came from. */
export type PresetChoice = PresetName;

export interface SamplingDefaults {
  numbers: SamplingNumbers;
  preset: PresetChoice;
  /** Why this preset, shown beside the defaults. */
  reason: string;
}

export class PresetFormatError extends Error {
  override name = 'PresetFormatError';
}

const fieldNames: Record<SamplingField, string> = {
  window: 'Window w1',
  stride: 'Stride w2',
  scaleMin: 'Scale min',
  scaleMax: 'Scale max',
  clipsPerSet: 'Clips per set',
  batchPairs: 'Pair batch size',
  batchGroups: 'Group batch size',
  views: 'Views',
};

/** Each number's limits in the engine config, and the unit the form says them in. */
const limits: Record<keyof SamplingNumbers, { limit: NumericLimit; unit: string }> = {
  window: { limit: configFieldLimits.sampling.window, unit: 'frames' },
  stride: { limit: configFieldLimits.sampling.stride, unit: 'frames' },
  scaleMin: { limit: configFieldLimits.sampling.scaleMin, unit: '× the window' },
  scaleMax: { limit: configFieldLimits.sampling.scaleMax, unit: '× the window' },
  clipsPerSet: { limit: configFieldLimits.sampling.clipsPerSet, unit: 'clips' },
  batchPairs: { limit: configFieldLimits.step1.batchPairs, unit: 'pairs' },
  batchGroups: { limit: configFieldLimits.step2.batchGroups, unit: 'groups' },
};

/** How the form says a broken bound. */
const boundWords = { '>': 'greater than', '>=': 'at least', '<': 'less than', '<=': 'at most' } as const;

export const isDemoDataset = (datasetName: string) => /^demo\b/i.test(datasetName.trim());

function numberAt(config: JsonValue, path: string[], preset: string): number {
  let value: JsonValue | undefined = config;
  for (const key of path) {
    value = value !== null && typeof value === 'object' && !Array.isArray(value) ? value[key] : undefined;
  }
  if (typeof value !== 'number') throw new PresetFormatError(`preset “${preset}” has no number at ${path.join('.')}`);
  return value;
}

/** The defaults for a dataset: the demo preset for the demo dataset, the publication's otherwise. */
export function samplingDefaults(presets: readonly PresetInfo[], datasetName: string): SamplingDefaults {
  const demo = isDemoDataset(datasetName);
  const wanted: PresetChoice = demo ? 'demo' : 'paper';
  const preset = presets.find((p) => p.name === wanted);
  if (!preset) throw new PresetFormatError(`no preset named “${wanted}” among ${presets.map((p) => p.name).join(', ') || 'none'}`);
  const at = (...path: string[]) => numberAt(preset.config, path, preset.name);
  return {
    preset: wanted,
    reason: demo
      ? 'demo preset: the demo’s short scenes need a shorter stride than the publication’s'
      : 'the publication’s settings (paper preset)',
    numbers: {
      window: at('sampling', 'window'),
      stride: at('sampling', 'stride'),
      scaleMin: at('sampling', 'scaleMin'),
      scaleMax: at('sampling', 'scaleMax'),
      clipsPerSet: at('sampling', 'clipsPerSet'),
      batchPairs: at('step1', 'batchPairs'),
      batchGroups: at('step2', 'batchGroups'),
    },
  };
}

function checkNumber(field: keyof SamplingNumbers, value: number | null): string | null {
  const { limit, unit } = limits[field];
  const name = fieldNames[field];
  if (value === null || !Number.isFinite(value)) return `${name} is empty: enter a number of ${unit}`;
  if (limit.kind === 'integer' && !Number.isInteger(value)) return `${name} must be a whole number of ${unit}, got ${value}`;
  const broken = brokenBound(limit, value);
  return broken === null ? null : `${name} must be ${boundWords[broken.relation]} ${broken.bound}, got ${value}`;
}

/**
 * Checks the form; returns the settings for samplingPreview when every field is usable, and every problem in
 * words otherwise. `views` are the scene's views, `chosen` the names ticked.
 */
export function checkSampling(
  numbers: SamplingNumbers,
  views: readonly Pick<ViewInfo, 'name' | 'role'>[],
  chosen: readonly string[],
): { settings: SamplingSettingsInput | null; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  for (const field of Object.keys(limits) as (keyof SamplingNumbers)[]) {
    const message = checkNumber(field, numbers[field]);
    if (message) problems.push({ field, message });
  }
  // Relations between fields are checked only between fields that are fine on their own.
  const valid = (field: keyof SamplingNumbers) => !problems.some((p) => p.field === field);
  const { scaleMin, scaleMax, window, clipsPerSet, batchPairs, batchGroups } = numbers as Record<keyof SamplingNumbers, number>;
  if (valid('scaleMin') && valid('scaleMax') && scaleMin > scaleMax) {
    problems.push({
      field: 'scaleMin',
      message: `Scale min (${scaleMin}) is larger than scale max (${scaleMax}): the shortest window would be longer than the longest. Make min ≤ max.`,
    });
  }
  if (valid('window') && valid('scaleMin') && window * scaleMin < 1) {
    problems.push({ field: 'scaleMin', message: `Scale min ${scaleMin} shrinks the ${window}-frame window below one frame` });
  }
  if (valid('clipsPerSet') && valid('batchPairs') && valid('batchGroups') && clipsPerSet > Math.min(batchPairs, batchGroups)) {
    problems.push({
      field: 'clipsPerSet',
      message: `Clips per set (${clipsPerSet}) must not exceed the smaller batch size (${Math.min(batchPairs, batchGroups)}): a batch holds whole sets`,
    });
  }
  const chosenViews = views.filter((v) => chosen.includes(v.name));
  if (views.length > 0) {
    if (!chosenViews.some((v) => v.role === 'ego')) problems.push({ field: 'views', message: 'Choose at least one ego view: every pair and group needs one' });
    if (!chosenViews.some((v) => v.role === 'exo')) problems.push({ field: 'views', message: 'Choose at least one exo view: every pair and group needs one' });
  }
  if (problems.length > 0) return { settings: null, problems };
  return {
    settings: {
      window: numbers.window!,
      stride: numbers.stride!,
      scaleMin: numbers.scaleMin!,
      scaleMax: numbers.scaleMax!,
      clipsPerSet: numbers.clipsPerSet!,
      batchPairs: numbers.batchPairs!,
      batchGroups: numbers.batchGroups!,
      ...(views.length > 0 && chosenViews.length < views.length ? { views: chosenViews.map((v) => v.name) } : {}),
    },
    problems,
  };
}

/**
 * What "Save as sampling config" stores: the preset it started from and the changed settings as config
 * overrides (the shape startPretrain takes), plus the views that take part (null: all).
 */
export function samplingConfig(settings: SamplingSettingsInput, preset: PresetChoice): JsonValue {
  return {
    preset,
    overrides: {
      sampling: {
        window: settings.window,
        stride: settings.stride,
        scaleMin: settings.scaleMin,
        scaleMax: settings.scaleMax,
        clipsPerSet: settings.clipsPerSet,
      },
      step1: { batchPairs: settings.batchPairs },
      step2: { batchGroups: settings.batchGroups },
    },
    views: settings.views ?? null,
  };
}
