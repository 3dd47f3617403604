// A run's stored config laid out for people, once for the run details, Compare and `evgap run show`: every field
// as a leaf (`step1.lr`), grouped in sections — encoder, sampling, step 1, step 2, training (precision, seed), the
// dataset mix, the saved sampling config, and a pipeline's request, seeds and settings — and the differences
// between several runs' configs, field by field. A pre-training run stores its EvgapConfig at the top level; a
// pipeline stores the engine config under `engine`: both land in the same sections under the same keys, so a
// pipeline and a pre-training run compare field by field.
import type { JsonValue } from './schema';

/** One field: its key within its section (`lr`, `segmentation.heads`), its full path in the stored config, its value. */
export interface ConfigField {
  key: string;
  path: string;
  value: JsonValue;
}

export interface ConfigSection {
  id: string;
  title: string;
  fields: ConfigField[];
}

/** Which section a stored path belongs to, and what of it the key leaves out; first match wins, in this order. */
const rules: readonly { prefix: string; section: string; strip: string }[] = [
  { prefix: 'request.samplingConfig', section: 'samplingConfig', strip: 'request.samplingConfig' },
  { prefix: 'request', section: 'request', strip: 'request' },
  { prefix: 'seeds', section: 'seeds', strip: '' },
  { prefix: 'pretrainingSeeds', section: 'seeds', strip: '' },
  { prefix: 'engine.encoder', section: 'encoder', strip: 'engine.encoder' },
  { prefix: 'encoder', section: 'encoder', strip: 'encoder' },
  { prefix: 'engine.sampling', section: 'sampling', strip: 'engine.sampling' },
  { prefix: 'sampling', section: 'sampling', strip: 'sampling' },
  { prefix: 'engine.step1', section: 'step1', strip: 'engine.step1' },
  { prefix: 'step1', section: 'step1', strip: 'step1' },
  { prefix: 'engine.step2', section: 'step2', strip: 'engine.step2' },
  { prefix: 'step2', section: 'step2', strip: 'step2' },
  { prefix: 'engine.training', section: 'training', strip: 'engine.training' },
  { prefix: 'training', section: 'training', strip: 'training' },
  { prefix: 'engine.seed', section: 'training', strip: 'engine' },
  { prefix: 'seed', section: 'training', strip: '' },
  { prefix: 'mix', section: 'mix', strip: 'mix' },
  { prefix: 'samplingConfig', section: 'samplingConfig', strip: 'samplingConfig' },
  { prefix: 'settings.training', section: 'pipelineTraining', strip: 'settings.training' },
  { prefix: 'settings.segmentation', section: 'segmentation', strip: 'settings.segmentation' },
  { prefix: 'settings.anticipation', section: 'anticipation', strip: 'settings.anticipation' },
  { prefix: 'settings', section: 'pipeline', strip: 'settings' },
];

/** Section titles, in the order the sections are shown. */
export const configSectionTitles: Readonly<Record<string, string>> = {
  request: 'Pipeline request',
  seeds: 'Seeds',
  encoder: 'Encoder',
  sampling: 'Sampling',
  step1: 'Step 1 · pairs',
  step2: 'Step 2 · groups',
  training: 'Training',
  mix: 'Dataset mix',
  samplingConfig: 'Saved sampling config',
  pipelineTraining: 'Pipeline · pre-training overrides',
  segmentation: 'Pipeline · segmentation',
  anticipation: 'Pipeline · anticipation',
  pipeline: 'Pipeline · other settings',
  other: 'Other',
};

const isRecord = (value: JsonValue | undefined): value is { [key: string]: JsonValue } =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Every leaf of a JSON value with its dotted path. Arrays of plain values (seeds, heads, views) are one leaf; arrays
 * holding objects (a mix's datasets) are walked with their index (`datasets[0].name`); an empty object is a leaf.
 */
export function configLeaves(value: JsonValue, path = ''): { path: string; value: JsonValue }[] {
  if (isRecord(value)) {
    const keys = Object.keys(value);
    if (keys.length === 0 && path !== '') return [{ path, value }];
    return keys.flatMap((key) => configLeaves(value[key]!, path === '' ? key : `${path}.${key}`));
  }
  if (Array.isArray(value) && value.some((item) => isRecord(item) || Array.isArray(item))) {
    return value.flatMap((item, i) => configLeaves(item, `${path}[${i}]`));
  }
  return [{ path, value }];
}

function placed(path: string): { section: string; key: string } {
  const rule = rules.find((r) => path === r.prefix || path.startsWith(`${r.prefix}.`) || path.startsWith(`${r.prefix}[`));
  if (rule === undefined) return { section: 'other', key: path };
  const key = rule.strip === '' ? path : path.slice(rule.strip.length).replace(/^\./, '');
  return { section: rule.section, key: key === '' ? rule.prefix.split('.').at(-1)! : key };
}

/** The stored config in sections, in the order of configSectionTitles; a config that is not an object is one field. */
export function configSections(config: JsonValue): ConfigSection[] {
  const bySection = new Map<string, ConfigField[]>();
  for (const leaf of configLeaves(config)) {
    const { section, key } = placed(leaf.path);
    const fields = bySection.get(section) ?? [];
    fields.push({ key, path: leaf.path, value: leaf.value });
    bySection.set(section, fields);
  }
  return Object.keys(configSectionTitles).flatMap((id) => {
    const fields = bySection.get(id);
    return fields === undefined ? [] : [{ id, title: configSectionTitles[id]!, fields }];
  });
}

/** One field that differs between the compared configs: its value in each (undefined where a config lacks it). */
export interface ConfigDifference {
  section: string;
  title: string;
  key: string;
  values: (JsonValue | undefined)[];
}

/**
 * The fields whose values are not the same in every config (a field some configs lack counts as differing),
 * in section order, then in the order the fields first appear.
 */
export function configDiff(configs: readonly JsonValue[]): ConfigDifference[] {
  const fields = new Map<string, { section: string; key: string; values: (JsonValue | undefined)[] }>();
  configs.forEach((config, index) => {
    for (const section of configSections(config)) {
      for (const field of section.fields) {
        const id = `${section.id}\u0000${field.key}`;
        const entry = fields.get(id) ?? { section: section.id, key: field.key, values: Array<JsonValue | undefined>(configs.length).fill(undefined) };
        entry.values[index] = field.value;
        fields.set(id, entry);
      }
    }
  });
  const order = Object.keys(configSectionTitles);
  return [...fields.values()]
    .filter((field) => new Set(field.values.map((value) => (value === undefined ? '\u0000missing' : JSON.stringify(value)))).size > 1)
    .sort((a, b) => order.indexOf(a.section) - order.indexOf(b.section))
    .map((field) => ({ ...field, title: configSectionTitles[field.section]! }));
}

/** A field's value as text: strings as they are, numbers in full, lists and objects as JSON, a missing field "—". */
export function formatConfigValue(value: JsonValue | undefined): string {
  if (value === undefined) return '—';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  return JSON.stringify(value);
}
