// The training settings the Training screen lets a researcher edit: which fields (the two pre-training steps and
// the encoder's size, docs/method.md), read from a preset's resolved config, typed as text and turned back into
// the config overrides that startPretrain takes. Only fields that differ from the preset become overrides, so a
// run's stored config says plainly what was changed. Each field's kind, limits and description come from
// contract/evgapConfig.ts, which the engine validates against too.
import { brokenBound, configFieldLimits, type ConfigFieldLimit } from '../../../../contract/evgapConfig';
import type { JsonValue } from '../../../../contract/schema';

export type SettingSection = 'step1' | 'step2' | 'encoder';

export interface SettingField {
  section: SettingSection;
  key: string;
  label: string;
  /** The field's kind, limits and what it is (contract/evgapConfig.ts). */
  limit: ConfigFieldLimit;
}

function setting<S extends SettingSection>(section: S, key: keyof (typeof configFieldLimits)[S] & string, label: string): SettingField {
  const limit = (configFieldLimits[section] as Record<string, ConfigFieldLimit>)[key]!;
  return { section, key, label, limit };
}

export const settingFields: readonly SettingField[] = [
  setting('step1', 'batchPairs', 'Batch (pairs)'),
  setting('step1', 'lr', 'Learning rate'),
  setting('step1', 'logitScaleInit', 'Logit scale init'),
  setting('step1', 'auxWeight', 'Aux weight'),
  setting('step1', 'steps', 'Steps'),
  setting('step2', 'batchGroups', 'Batch (groups)'),
  setting('step2', 'lr', 'Learning rate'),
  setting('step2', 'weightDecay', 'Weight decay'),
  setting('step2', 'bias', 'Sigmoid bias'),
  setting('step2', 'logitScaleInit', 'Logit scale init'),
  setting('step2', 'auxWeight', 'Aux weight'),
  setting('step2', 'steps', 'Steps'),
  setting('encoder', 'modelDim', 'Model width D'),
  setting('encoder', 'layers', 'Layers L'),
  setting('encoder', 'heads', 'Heads'),
  setting('encoder', 'ffDim', 'Feed-forward'),
];

/** What a field is, and its value in the publication's preset when that is known: the input's tooltip. */
export function fieldHint(field: SettingField, paperConfig: JsonValue | undefined): string {
  const section = isObject(paperConfig) ? paperConfig[field.section] : undefined;
  const value = isObject(section) ? section[field.key] : undefined;
  return typeof value === 'number' || typeof value === 'string' ? `${field.limit.about} (paper preset: ${formatSetting(value)})` : field.limit.about;
}

/** Field values as typed, keyed `section.key` (e.g. `step1.lr`). */
export type SettingValues = Record<string, string>;

/** Config overrides in the shape resolveConfig takes: `{ step1: { lr: 0.001 }, ... }`. */
export type SettingOverrides = Partial<Record<SettingSection, Record<string, number | string>>>;

/** A preset's config lacks a field the screen edits. */
export class PresetConfigError extends Error {
  override name = 'PresetConfigError';
}

export const fieldId = (field: Pick<SettingField, 'section' | 'key'>): string => `${field.section}.${field.key}`;

function presetValue(config: JsonValue, field: SettingField): number | string {
  const section = isObject(config) ? config[field.section] : undefined;
  const value = isObject(section) ? section[field.key] : undefined;
  const choice = field.limit.kind === 'choice';
  if (choice ? typeof value !== 'string' : typeof value !== 'number') {
    throw new PresetConfigError(`preset config: expected ${fieldId(field)} to be a ${choice ? 'string' : 'number'}, got ${JSON.stringify(value ?? null)}`);
  }
  return value as number | string;
}

/** A setting as the inputs show it: numbers to 6 significant digits (log10(1/0.7) reads 0.154902). */
export function formatSetting(value: number | string): string {
  return typeof value === 'number' ? String(Number(value.toPrecision(6))) : value;
}

/** Every edited field's value in the preset, as text for the inputs. */
export function valuesFromPreset(config: JsonValue): SettingValues {
  const values: SettingValues = {};
  for (const field of settingFields) values[fieldId(field)] = formatSetting(presetValue(config, field));
  return values;
}

/** Why a typed value is not acceptable for the field, or null when it is. */
export function fieldError(field: SettingField, text: string): string | null {
  const trimmed = text.trim();
  const { limit } = field;
  if (limit.kind === 'choice') {
    return limit.choices.includes(trimmed) ? null : `expected one of ${limit.choices.join(', ')}, got “${text}”`;
  }
  const value = trimmed === '' ? Number.NaN : Number(trimmed);
  if (!Number.isFinite(value)) return `expected a number, got “${text}”`;
  if (limit.kind === 'integer' && !Number.isInteger(value)) return `expected a whole number, got ${trimmed}`;
  const broken = brokenBound(limit, value);
  return broken === null ? null : `expected ${relationSigns[broken.relation]} ${broken.bound}, got ${trimmed}`;
}

const relationSigns = { '>': '>', '>=': '≥', '<': '<', '<=': '≤' } as const;

/**
 * The overrides for the fields whose values differ from the preset's, and the error of each invalid field (by
 * field id). With errors, the overrides must not be sent.
 */
export function overridesFromValues(
  presetConfig: JsonValue,
  values: SettingValues,
): { overrides: SettingOverrides; errors: Record<string, string> } {
  const overrides: SettingOverrides = {};
  const errors: Record<string, string> = {};
  for (const field of settingFields) {
    const id = fieldId(field);
    const text = values[id] ?? '';
    const error = fieldError(field, text);
    if (error !== null) {
      errors[id] = error;
      continue;
    }
    // Untouched text keeps the preset's exact value (the input shows it rounded).
    const preset = presetValue(presetConfig, field);
    if (text.trim() === formatSetting(preset)) continue;
    const value = field.limit.kind === 'choice' ? text.trim() : Number(text.trim());
    if (value === preset) continue;
    (overrides[field.section] ??= {})[field.key] = value;
  }
  const heads = Number(values['encoder.heads']);
  const width = Number(values['encoder.modelDim']);
  if (!errors['encoder.heads'] && !errors['encoder.modelDim'] && width % heads !== 0) {
    errors['encoder.heads'] = `expected the heads to divide the model width ${width}, got ${heads}`;
  }
  return { overrides, errors };
}

/**
 * The overrides with the encoder's input size set to the dataset's feature size F when the preset assumes another
 * (the demo and paper presets assume Assembly101's 2048-d TSM features): F is a property of the data, not a choice.
 */
export function withInputDim(presetConfig: JsonValue, overrides: SettingOverrides, featureDim: number | null): SettingOverrides {
  const encoder = isObject(presetConfig) ? presetConfig.encoder : undefined;
  const presetDim = isObject(encoder) ? encoder.inputDim : undefined;
  if (featureDim === null || presetDim === featureDim) return overrides;
  return { ...overrides, encoder: { ...overrides.encoder, inputDim: featureDim } };
}

function isObject(value: JsonValue | undefined): value is { [key: string]: JsonValue } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
