// The Training screen's settings: read from a preset's config, validated as typed, and sent back as overrides
// holding only what differs from the preset.
import { describe, expect, it } from 'vitest';
import type { JsonValue } from '../../../contract/schema';
import {
  fieldError,
  fieldHint,
  overridesFromValues,
  PresetConfigError,
  settingFields,
  valuesFromPreset,
  withInputDim,
} from '../../../renderer/src/screens/training/trainingSettings';

const paperLike: JsonValue = {
  encoder: { inputDim: 2048, modelDim: 512, layers: 6, heads: 8, ffDim: 2048, tokens: 20 },
  step1: { batchPairs: 200, lr: 5e-4, logitScaleInit: 1, auxWeight: 0.2, steps: 20000, optimizer: 'adam' },
  step2: { batchGroups: 64, lr: 1e-4, weightDecay: 0.01, bias: 'none', logitScaleInit: Math.log10(1 / 0.7), auxWeight: 0.2, steps: 10000 },
  seed: 1,
};

const field = (id: string) => settingFields.find((f) => `${f.section}.${f.key}` === id)!;

describe('valuesFromPreset', () => {
  it('reads every edited field of both steps and the encoder as text', () => {
    const values = valuesFromPreset(paperLike);
    expect(values).toMatchObject({
      'step1.batchPairs': '200',
      'step1.lr': '0.0005',
      'step1.logitScaleInit': '1',
      'step2.batchGroups': '64',
      'step2.weightDecay': '0.01',
      'step2.bias': 'none',
      'encoder.modelDim': '512',
      'encoder.layers': '6',
    });
    expect(Object.keys(values)).toHaveLength(settingFields.length);
  });

  it('shows long fractions to 6 significant digits', () => {
    expect(valuesFromPreset(paperLike)['step2.logitScaleInit']).toBe('0.154902');
  });

  it('names the missing field of a config that lacks one', () => {
    const broken = { ...(paperLike as object), step2: { batchGroups: 64 } } as JsonValue;
    expect(() => valuesFromPreset(broken)).toThrow(PresetConfigError);
    expect(() => valuesFromPreset(broken)).toThrow(/step2\.lr/);
  });
});

describe('fieldError', () => {
  it('accepts scientific notation for learning rates and refuses zero', () => {
    expect(fieldError(field('step1.lr'), '5e-4')).toBeNull();
    expect(fieldError(field('step1.lr'), '0')).toBe('expected > 0, got 0');
  });

  it('refuses fractions for integer fields and text for numbers', () => {
    expect(fieldError(field('step1.steps'), '2.5')).toBe('expected a whole number, got 2.5');
    expect(fieldError(field('step1.auxWeight'), 'abc')).toBe('expected a number, got “abc”');
    expect(fieldError(field('step1.batchPairs'), '1')).toBe('expected ≥ 2, got 1');
  });

  it('refuses a value above the engine config’s limit', () => {
    expect(fieldError(field('step1.batchPairs'), '100001')).toBe('expected ≤ 100000, got 100001');
  });

  it('accepts only the listed bias choices', () => {
    expect(fieldError(field('step2.bias'), 'learnable')).toBeNull();
    expect(fieldError(field('step2.bias'), 'fixed')).toMatch(/expected one of none, learnable/);
  });
});

describe('fieldHint', () => {
  it('says what the field is and, when known, its value in the paper preset', () => {
    expect(fieldHint(field('step1.batchPairs'), paperLike)).toBe('ego-exo clip pairs per batch (paper preset: 200)');
    expect(fieldHint(field('step2.logitScaleInit'), paperLike)).toMatch(/\(paper preset: 0\.154902\)$/);
    expect(fieldHint(field('step1.lr'), undefined)).toBe('Adam learning rate');
  });
});

describe('overridesFromValues', () => {
  it('is empty when nothing was changed (a rounded field keeps the preset’s exact value)', () => {
    expect(overridesFromValues(paperLike, valuesFromPreset(paperLike))).toEqual({ overrides: {}, errors: {} });
  });

  it('sends a rounded field once it was typed differently', () => {
    const values = { ...valuesFromPreset(paperLike), 'step2.logitScaleInit': '0.155' };
    expect(overridesFromValues(paperLike, values).overrides).toEqual({ step2: { logitScaleInit: 0.155 } });
  });

  it('holds exactly the changed fields, as numbers or choices, by section', () => {
    const values = { ...valuesFromPreset(paperLike), 'step1.steps': '6', 'step2.bias': 'learnable', 'encoder.layers': '2' };
    expect(overridesFromValues(paperLike, values)).toEqual({
      overrides: { step1: { steps: 6 }, step2: { bias: 'learnable' }, encoder: { layers: 2 } },
      errors: {},
    });
  });

  it('reports each invalid field and the heads that do not divide the width', () => {
    const values = { ...valuesFromPreset(paperLike), 'step2.lr': '', 'encoder.heads': '7' };
    const { errors } = overridesFromValues(paperLike, values);
    expect(errors).toEqual({
      'step2.lr': 'expected a number, got “”',
      'encoder.heads': 'expected the heads to divide the model width 512, got 7',
    });
  });
});

describe('withInputDim', () => {
  it('sets the encoder’s input size to the dataset’s feature size when the preset assumes another', () => {
    expect(withInputDim(paperLike, { encoder: { layers: 2 } }, 32)).toEqual({ encoder: { layers: 2, inputDim: 32 } });
  });

  it('leaves the overrides alone when the sizes agree or the size is unknown', () => {
    const overrides = { step1: { steps: 6 } };
    expect(withInputDim(paperLike, overrides, 2048)).toBe(overrides);
    expect(withInputDim(paperLike, overrides, null)).toBe(overrides);
  });
});
