// The training settings the Training screen lets a researcher edit: which fields (the two pre-training steps and
// the encoder's size, docs/method.md), read from a preset's resolved config, typed as text and turned back into
// the config overrides that startPretrain takes. Only fields that differ from the preset become overrides, so a
// run's stored config says plainly what was changed.
import type { JsonValue } from '../../../../contract/schema';

export type SettingSection = 'step1' | 'step2' | 'encoder';

export interface SettingField {
  section: SettingSection;
  key: string;
  label: string;
  kind: 'integer' | 'number' | 'choice';
  /** Smallest allowed value (integers and numbers). */
  min?: number;
  /** The value must be above min, not equal to it. */
  exclusiveMin?: boolean;
  choices?: readonly string[];
  /** What the publication says about the field. */
  hint: string;
}

export const settingFields: readonly SettingField[] = [
  { section: 'step1', key: 'batchPairs', label: 'Batch (pairs)', kind: 'integer', min: 2, hint: 'ego-exo clip pairs per batch (published 200)' },
  { section: 'step1', key: 'lr', label: 'Learning rate', kind: 'number', min: 0, exclusiveMin: true, hint: 'Adam (published 5e-4)' },
  { section: 'step1', key: 'logitScaleInit', label: 'Logit scale init', kind: 'number', hint: 's at the start, t = exp(s) (published 1)' },
  { section: 'step1', key: 'auxWeight', label: 'Aux weight', kind: 'number', min: 0, hint: 'w_l of each earlier layer (published 0.2)' },
  { section: 'step1', key: 'steps', label: 'Steps', kind: 'integer', min: 1, hint: 'optimizer steps (unpublished: the preset chooses)' },
  { section: 'step2', key: 'batchGroups', label: 'Batch (groups)', kind: 'integer', min: 2, hint: 'groups of one timestamp per batch (published 64)' },
  { section: 'step2', key: 'lr', label: 'Learning rate', kind: 'number', min: 0, exclusiveMin: true, hint: 'AdamW (published 1e-4)' },
  { section: 'step2', key: 'weightDecay', label: 'Weight decay', kind: 'number', min: 0, hint: 'decoupled (unpublished, default 0.01)' },
  { section: 'step2', key: 'bias', label: 'Sigmoid bias', kind: 'choice', choices: ['none', 'learnable'], hint: "none as published, or SigLIP's learnable b" },
  { section: 'step2', key: 'logitScaleInit', label: 'Logit scale init', kind: 'number', hint: 's at the start (published log10(1/0.7) ≈ 0.155)' },
  { section: 'step2', key: 'auxWeight', label: 'Aux weight', kind: 'number', min: 0, hint: 'w_l of each earlier layer (published 0.2)' },
  { section: 'step2', key: 'steps', label: 'Steps', kind: 'integer', min: 1, hint: 'optimizer steps (unpublished: the preset chooses)' },
  { section: 'encoder', key: 'modelDim', label: 'Model width D', kind: 'integer', min: 1, hint: 'Transformer width (published 512)' },
  { section: 'encoder', key: 'layers', label: 'Layers L', kind: 'integer', min: 1, hint: 'blocks, one embedding h_l each (published 6)' },
  { section: 'encoder', key: 'heads', label: 'Heads', kind: 'integer', min: 1, hint: 'attention heads, divide D (published 8)' },
  { section: 'encoder', key: 'ffDim', label: 'Feed-forward', kind: 'integer', min: 1, hint: 'hidden size of each block (published 2048)' },
];

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
  if (field.kind === 'choice' ? typeof value !== 'string' : typeof value !== 'number') {
    throw new PresetConfigError(`preset config: expected ${fieldId(field)} to be a ${field.kind === 'choice' ? 'string' : 'number'}, got ${JSON.stringify(value ?? null)}`);
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
  if (field.kind === 'choice') {
    return field.choices?.includes(trimmed) ? null : `expected one of ${field.choices?.join(', ')}, got “${text}”`;
  }
  const value = trimmed === '' ? Number.NaN : Number(trimmed);
  if (!Number.isFinite(value)) return `expected a number, got “${text}”`;
  if (field.kind === 'integer' && !Number.isInteger(value)) return `expected a whole number, got ${trimmed}`;
  if (field.min !== undefined) {
    if (field.exclusiveMin ? value <= field.min : value < field.min) {
      return `expected ${field.exclusiveMin ? '>' : '≥'} ${field.min}, got ${trimmed}`;
    }
  }
  return null;
}

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
    const value = field.kind === 'choice' ? text.trim() : Number(text.trim());
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
