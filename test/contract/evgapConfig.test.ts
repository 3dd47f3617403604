// The engine config's limits stated once (contract/evgapConfig.ts): the presets keep them, the API's argument
// schemas and the engine's validation accept and refuse the same values, and the bound a value breaks is named.
import { describe, expect, it } from 'vitest';
import { apiArgs } from '../../contract/api';
import { ArgumentError } from '../../contract/schema';
import { brokenBound, configFieldLimits, numericFieldSchema, presetNames, presetNameSchema } from '../../contract/evgapConfig';
import { presets, resolveConfig } from '../../main/engine/config';

/** Whether `run` throws an ArgumentError (anything else is a failure of the test). */
function refuses(run: () => unknown): boolean {
  try {
    run();
    return false;
  } catch (error) {
    expect(error).toBeInstanceOf(ArgumentError);
    return true;
  }
}

describe('engine config limits', () => {
  it('names every preset the engine has, and nothing else', () => {
    expect([...presetNames].sort()).toEqual(Object.keys(presets).sort());
    expect(presetNameSchema().check('paper', 'preset')).toBe('paper');
    expect(() => presetNameSchema().check('huge', 'preset')).toThrow('preset: expected one of "demo", "paper", got "huge"');
  });

  it('has a limit for every field of every preset section, and the presets keep them', () => {
    for (const name of presetNames) {
      const config = resolveConfig(name);
      for (const section of Object.keys(configFieldLimits) as (keyof typeof configFieldLimits)[]) {
        expect(Object.keys(config[section]).sort()).toEqual(Object.keys(configFieldLimits[section]).sort());
      }
    }
  });

  it('says which bound a value breaks', () => {
    expect(brokenBound(configFieldLimits.step1.lr, 0)).toEqual({ relation: '>', bound: 0 });
    expect(brokenBound(configFieldLimits.step1.batchPairs, 1)).toEqual({ relation: '>=', bound: 2 });
    expect(brokenBound(configFieldLimits.step1.beta2, 1)).toEqual({ relation: '<', bound: 1 });
    expect(brokenBound(configFieldLimits.sampling.scaleMax, 101)).toEqual({ relation: '<=', bound: 100 });
    expect(brokenBound(configFieldLimits.sampling.scaleMax, 100)).toBeNull();
  });

  it('makes samplingPreview and the engine accept and refuse the same sampling values', () => {
    const settings = { window: 20, stride: 100, scaleMin: 0.5, scaleMax: 2, clipsPerSet: 10, batchPairs: 200, batchGroups: 64 };
    const cases: [keyof typeof settings, number][] = [
      ['window', 10_000],
      ['window', 10_001],
      ['stride', 0],
      ['scaleMin', 0],
      ['scaleMax', 100.5],
      ['clipsPerSet', 10_001],
      ['batchPairs', 1],
      ['batchGroups', 100_001],
    ];
    for (const [field, value] of cases) {
      const api = () => apiArgs.samplingPreview.check({ datasetId: 1, settings: { ...settings, [field]: value } }, 'arguments');
      const section = field === 'batchPairs' ? 'step1' : field === 'batchGroups' ? 'step2' : 'sampling';
      // The other scale follows, so only the field's own limit can refuse it.
      const scales = field === 'scaleMin' || field === 'scaleMax' ? { scaleMin: Math.min(value, 0.5), scaleMax: Math.max(value, 0.5) } : {};
      const engine = () => resolveConfig('paper', { [section]: { [field]: value, ...scales } });
      const apiRefuses = refuses(api);
      const engineRefuses = refuses(engine);
      expect({ field, value, engineRefuses }).toEqual({ field, value, engineRefuses: apiRefuses });
    }
  });

  it('builds the API schema of a field from its limits', () => {
    expect(numericFieldSchema(configFieldLimits.sampling.window).describe).toBe('an integer >= 1 <= 10000');
    expect(numericFieldSchema(configFieldLimits.step2.beta1).describe).toBe('a finite number >= 0 < 1');
  });
});
