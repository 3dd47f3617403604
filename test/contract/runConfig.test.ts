// A run's stored config in sections and the field-by-field differences between runs (contract/runConfig.ts): every
// leaf of a pre-training run's and a pipeline's config lands in one section under one key, so the two kinds compare
// field by field; only differing fields are kept, a field one config lacks among them. Also the run-label checks.
import { describe, expect, it } from 'vitest';
import { configDiff, configLeaves, configSections, formatConfigValue } from '../../contract/runConfig';
import { editTags, runNameProblem, tagProblem } from '../../contract/runLabels';
import type { JsonValue } from '../../contract/schema';
import { presets } from '../../main/engine/config';

const pretrain = presets.demo as unknown as JsonValue;
const pipeline: JsonValue = {
  request: { dataset: 'demo', preset: 'demo', quick: true, samplingConfig: { id: 3, name: 'long', settings: { window: 40, views: null } } },
  seeds: [1, 2],
  pretrainingSeeds: [1],
  settings: { training: { step1: { steps: 24 } }, step2FromRandomSteps: 6, segmentation: { heads: ['c2f-tcn'], headOverrides: {} }, anticipation: { preset: 'cpu' } },
  engine: { ...presets.demo, step1: { ...presets.demo.step1, steps: 24 } } as unknown as JsonValue,
};

describe('configSections', () => {
  it('puts every field of a pre-training run’s config in a section, training with precision and seed', () => {
    const sections = configSections(pretrain);
    expect(sections.map((s) => s.id)).toEqual(['encoder', 'sampling', 'step1', 'step2', 'training']);
    const fieldCount = sections.reduce((n, s) => n + s.fields.length, 0);
    expect(fieldCount).toBe(configLeaves(pretrain).length);
    expect(sections.find((s) => s.id === 'training')!.fields.map((f) => [f.key, f.value])).toEqual([['precision', 'fp32'], ['seed', 1]]);
    expect(sections.find((s) => s.id === 'step1')!.fields).toContainEqual({ key: 'lr', path: 'step1.lr', value: 5e-4 });
  });

  it('lays a pipeline out as its request, seeds, the engine sections and its settings, the saved sampling config apart', () => {
    const sections = configSections(pipeline);
    expect(sections.map((s) => s.id)).toEqual(['request', 'seeds', 'encoder', 'sampling', 'step1', 'step2', 'training', 'samplingConfig', 'pipelineTraining', 'segmentation', 'anticipation', 'pipeline']);
    expect(sections.find((s) => s.id === 'request')!.fields.map((f) => f.key)).toEqual(['dataset', 'preset', 'quick']);
    expect(sections.find((s) => s.id === 'samplingConfig')!.fields.map((f) => f.key)).toEqual(['id', 'name', 'settings.window', 'settings.views']);
    expect(sections.find((s) => s.id === 'seeds')!.fields).toEqual([{ key: 'seeds', path: 'seeds', value: [1, 2] }, { key: 'pretrainingSeeds', path: 'pretrainingSeeds', value: [1] }]);
    expect(sections.find((s) => s.id === 'step1')!.fields).toContainEqual({ key: 'steps', path: 'engine.step1.steps', value: 24 });
    expect(sections.find((s) => s.id === 'segmentation')!.fields).toContainEqual({ key: 'headOverrides', path: 'settings.segmentation.headOverrides', value: {} });
  });

  it('walks lists of objects by index and keeps lists of values whole', () => {
    expect(configLeaves({ mix: { datasets: [{ name: 'a' }, { name: 'b' }] }, views: ['e1', 'v1'] })).toEqual([
      { path: 'mix.datasets[0].name', value: 'a' },
      { path: 'mix.datasets[1].name', value: 'b' },
      { path: 'views', value: ['e1', 'v1'] },
    ]);
    expect(configSections({ mix: { datasets: [{ name: 'a' }] }, extra: 1 }).map((s) => [s.id, s.fields.map((f) => f.key)])).toEqual([
      ['mix', ['datasets[0].name']],
      ['other', ['extra']],
    ]);
  });
});

describe('configDiff', () => {
  it('keeps only the fields that differ, with each run’s value', () => {
    const a = presets.demo as unknown as JsonValue;
    const b = { ...presets.demo, step1: { ...presets.demo.step1, lr: 1e-3 }, training: { precision: 'bf16' } } as unknown as JsonValue;
    expect(configDiff([a, b, a])).toEqual([
      { section: 'step1', title: 'Step 1 · pairs', key: 'lr', values: [5e-4, 1e-3, 5e-4] },
      { section: 'training', title: 'Training', key: 'precision', values: ['fp32', 'bf16', 'fp32'] },
    ]);
    expect(configDiff([a, a])).toEqual([]);
  });

  it('compares a pipeline’s engine config with a pre-training run’s under the same keys; a missing field differs', () => {
    const diff = configDiff([pretrain, pipeline]);
    expect(diff.find((d) => d.section === 'step1' && d.key === 'steps')!.values).toEqual([300, 24]);
    expect(diff.some((d) => d.section === 'encoder')).toBe(false);
    expect(diff.find((d) => d.section === 'request' && d.key === 'quick')!.values).toEqual([undefined, true]);
    expect(formatConfigValue(undefined)).toBe('—');
    expect(formatConfigValue(['c2f-tcn'])).toBe('["c2f-tcn"]');
    expect(formatConfigValue(0.0005)).toBe('0.0005');
  });
});

describe('run labels', () => {
  it('accepts one-word tags and refuses others, saying why', () => {
    for (const tag of ['baseline', 'lr:5e-4', 'ICCV/2025', 'v2.1-rc+b']) expect(tagProblem(tag)).toBeNull();
    expect(tagProblem('')).toMatch(/empty/);
    expect(tagProblem('-x')).toMatch(/starting with a letter or digit/);
    expect(tagProblem('two words')).toMatch(/got "two words"/);
    expect(tagProblem('x'.repeat(41))).toMatch(/at most 40 characters, got 41/);
    expect(runNameProblem('lr sweep · 5e-4')).toBeNull();
    expect(runNameProblem('a\tb')).toMatch(/one line/);
  });

  it('adds and removes tags, sorted, without repeats, removal winning', () => {
    expect(editTags(['b', 'a'], ['c', 'a', 'd'], ['d', 'x'])).toEqual(['a', 'b', 'c']);
  });
});
