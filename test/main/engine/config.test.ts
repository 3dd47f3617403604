// Tests of the engine config: the presets hold the published values and every invalid field is named.
import { describe, expect, it } from 'vitest';
import { ArgumentError } from '../../../contract/errors';
import { initialLogitScale, presets, resolveConfig, type ConfigOverrides } from '../../../main/engine/config';

describe('engine config', () => {
  it('has the published defaults in the paper preset', () => {
    const config = resolveConfig('paper');
    expect(config.encoder).toEqual({
      inputDim: 2048,
      modelDim: 512,
      layers: 6,
      heads: 8,
      ffDim: 2048,
      tokens: 20,
      layerNormEps: 1e-5,
      posEmbed: 'learned',
    });
    expect(config.sampling).toEqual({ window: 20, stride: 100, scaleMin: 0.5, scaleMax: 2, resample: 'linear', clipsPerSet: 10 });
    expect(config.step1).toMatchObject({ batchPairs: 200, lr: 5e-4, optimizer: 'adam', weightDecay: 0, logitScaleInit: 1, auxWeight: 0.2 });
    expect(config.step2).toMatchObject({ batchGroups: 64, lr: 1e-4, optimizer: 'adamw', weightDecay: 0.01, bias: 'none', auxWeight: 0.2 });
    expect(config.step2.logitScaleInit).toBeCloseTo(0.155, 3);
  });

  it('has a small demo preset that still validates', () => {
    const config = resolveConfig('demo');
    expect(config.encoder).toMatchObject({ modelDim: 64, layers: 2, heads: 4, ffDim: 128, tokens: 20 });
    expect(config.step1.batchPairs).toBeLessThan(presets.paper.step1.batchPairs);
    expect(config.step2.batchGroups).toBeLessThan(presets.paper.step2.batchGroups);
  });

  it('applies overrides without changing the presets', () => {
    const config = resolveConfig('demo', { encoder: { inputDim: 32 }, step2: { bias: 'learnable' }, seed: 9 });
    expect(config.encoder.inputDim).toBe(32);
    expect(config.step2.bias).toBe('learnable');
    expect(config.seed).toBe(9);
    expect(presets.demo.encoder.inputDim).toBe(2048);
    config.step1.lr = 1;
    expect(resolveConfig('demo').step1.lr).toBe(5e-4);
  });

  it('lets encoder.tokens follow sampling.window unless both are given', () => {
    expect(resolveConfig('paper', { sampling: { window: 16 } }).encoder.tokens).toBe(16);
    expect(() => resolveConfig('paper', { sampling: { window: 16 }, encoder: { tokens: 20 } })).toThrow(
      'expected encoder.tokens = sampling.window (16), got 20',
    );
  });

  it('reads the logit-scale init as s or as t = exp(s)', () => {
    expect(initialLogitScale(resolveConfig('paper').step1)).toBe(1);
    const asT = resolveConfig('paper', { step2: { logitScaleInitMeans: 't' } }).step2;
    expect(Math.exp(initialLogitScale(asT))).toBeCloseTo(Math.log10(1 / 0.7), 10);
  });

  const invalid: [string, ConfigOverrides, string][] = [
    ['lr', { step1: { lr: 0 } }, 'expected step1.lr > 0, got 0'],
    ['step2 lr', { step2: { lr: -1 } }, 'expected step2.lr > 0, got -1'],
    ['window', { sampling: { window: 0 } }, 'expected sampling.window >= 1, got 0'],
    ['stride', { sampling: { stride: 0 } }, 'expected sampling.stride >= 1, got 0'],
    ['batch pairs', { step1: { batchPairs: 1 } }, 'expected step1.batchPairs >= 2, got 1'],
    ['batch groups', { step2: { batchGroups: 1 } }, 'expected step2.batchGroups >= 2, got 1'],
    ['heads', { encoder: { heads: 3 } }, 'expected encoder.modelDim divisible by heads'],
    ['layers', { encoder: { layers: 0 } }, 'expected encoder.layers >= 1, got 0'],
    ['non-integer dim', { encoder: { modelDim: 64.5 } }, 'expected encoder.modelDim to be an integer, got 64.5'],
    ['input dim', { encoder: { inputDim: 0 } }, 'expected encoder.inputDim >= 1, got 0'],
    ['ff dim', { encoder: { ffDim: 0 } }, 'expected encoder.ffDim >= 1, got 0'],
    ['eps', { encoder: { layerNormEps: 0 } }, 'expected encoder.layerNormEps > 0, got 0'],
    ['pos embed', { encoder: { posEmbed: 'rotary' as never } }, "expected encoder.posEmbed to be one of 'learned', 'sinusoidal', got \"rotary\""],
    ['scale order', { sampling: { scaleMin: 2, scaleMax: 1 } }, 'expected sampling.scaleMax >= sampling.scaleMin (2), got 1'],
    ['scale', { sampling: { scaleMin: 0 } }, 'expected sampling.scaleMin > 0, got 0'],
    ['resample', { sampling: { resample: 'cubic' as never } }, 'expected sampling.resample to be one of'],
    ['clips per set', { sampling: { clipsPerSet: 0 } }, 'expected sampling.clipsPerSet >= 1, got 0'],
    ['optimizer', { step1: { optimizer: 'sgd' as never } }, "expected step1.optimizer to be one of 'adam', 'adamw'"],
    ['decay with adam', { step1: { weightDecay: 0.1 } }, "expected step1.weightDecay = 0 with optimizer 'adam', got 0.1"],
    ['negative decay', { step2: { weightDecay: -0.1 } }, 'expected step2.weightDecay >= 0, got -0.1'],
    ['beta', { step2: { beta2: 1 } }, 'expected 0 <= step2.beta2 < 1, got 1'],
    ['epsilon', { step1: { epsilon: 0 } }, 'expected step1.epsilon > 0, got 0'],
    ['scale init as t', { step2: { logitScaleInitMeans: 't', logitScaleInit: 0 } }, 'expected step2.logitScaleInit > 0, got 0'],
    ['scale init', { step1: { logitScaleInit: Number.NaN } }, 'expected step1.logitScaleInit to be a finite number, got NaN'],
    ['aux weight', { step1: { auxWeight: -0.2 } }, 'expected step1.auxWeight >= 0, got -0.2'],
    ['steps', { step1: { steps: 0 } }, 'expected step1.steps >= 1, got 0'],
    ['checkpoints', { step2: { checkpointEvery: 0 } }, 'expected step2.checkpointEvery >= 1, got 0'],
    ['bias', { step2: { bias: 'fixed' as never } }, "expected step2.bias to be one of 'none', 'learnable'"],
    ['bias init', { step2: { biasInit: Number.POSITIVE_INFINITY } }, 'expected step2.biasInit to be a finite number'],
    ['seed', { seed: -1 }, 'expected seed >= 0, got -1'],
    ['window too long', { sampling: { window: 10_001 } }, 'expected sampling.window <= 10000, got 10001'],
    ['negative beta', { step1: { beta1: -0.1 } }, 'expected 0 <= step1.beta1 < 1, got -0.1'],
    ['seed too large', { seed: 2 ** 32 }, 'expected seed <= 4294967295, got 4294967296'],
    ['too many steps', { step2: { steps: 100_000_001 } }, 'expected step2.steps <= 100000000, got 100000001'],
    ['unknown field', { step1: { momentum: 0.9 } as never }, 'unexpected config field step1.momentum'],
    ['unknown section', { step3: {} } as never, 'unexpected config field step3'],
  ];
  for (const [label, overrides, message] of invalid) {
    it(`rejects an invalid ${label}`, () => {
      expect(() => resolveConfig('paper', overrides)).toThrow(ArgumentError);
      expect(() => resolveConfig('paper', overrides)).toThrow(message);
    });
  }

  it('rejects an unknown preset', () => {
    expect(() => resolveConfig('huge' as never)).toThrow(`expected preset 'demo' or 'paper', got "huge"`);
  });
});
