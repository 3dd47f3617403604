import { describe, expect, it } from 'vitest';
import type { PresetInfo } from '../../../contract/api';
import {
  checkSampling,
  PresetFormatError,
  samplingConfig,
  samplingDefaults,
} from '../../../renderer/src/screens/scene/sampling/samplingForm';

const preset = (name: PresetInfo['name'], stride: number): PresetInfo => ({
  name,
  description: name,
  segHeads: ['c2f-tcn'],
  config: {
    sampling: { window: 20, stride, scaleMin: 0.5, scaleMax: 2, resample: 'linear', clipsPerSet: 10 },
    step1: { batchPairs: name === 'paper' ? 200 : 64 },
    step2: { batchGroups: name === 'paper' ? 64 : 16 },
  },
});
const presets = [preset('paper', 100), preset('demo', 10)];
const views = [
  { name: 'e1', role: 'ego' as const },
  { name: 'e2', role: 'ego' as const },
  { name: 'v1', role: 'exo' as const },
];
const paperNumbers = { window: 20, stride: 100, scaleMin: 0.5, scaleMax: 2, clipsPerSet: 10, batchPairs: 200, batchGroups: 64 };

describe('sampling form', () => {
  it('takes the publication’s defaults, or the demo preset’s for the demo dataset, saying which', () => {
    const paper = samplingDefaults(presets, 'Assembly101');
    expect(paper.preset).toBe('paper');
    expect(paper.numbers).toEqual(paperNumbers);
    const demo = samplingDefaults(presets, 'demo');
    expect([demo.preset, demo.numbers.stride, demo.numbers.batchPairs, demo.numbers.batchGroups]).toEqual(['demo', 10, 64, 16]);
    expect(demo.reason).toMatch(/demo/);
  });

  it('says what is missing from a preset', () => {
    expect(() => samplingDefaults([preset('demo', 10)], 'Assembly101')).toThrow(/no preset named “paper” among demo/);
    const broken: PresetInfo = { name: 'paper', description: '', config: { sampling: {} }, segHeads: ['c2f-tcn'] };
    expect(() => samplingDefaults([broken], 'x')).toThrow(PresetFormatError);
    expect(() => samplingDefaults([broken], 'x')).toThrow(/no number at sampling.window/);
  });

  it('sends the settings when all fields are usable, naming views only when some are left out', () => {
    expect(checkSampling(paperNumbers, views, ['e1', 'e2', 'v1'])).toEqual({ settings: { ...paperNumbers }, problems: [] });
    expect(checkSampling(paperNumbers, views, ['e2', 'v1']).settings?.views).toEqual(['e2', 'v1']);
  });

  it('explains a scale min above the max in words', () => {
    const { settings, problems } = checkSampling({ ...paperNumbers, scaleMin: 3 }, views, ['e1', 'v1']);
    expect(settings).toBeNull();
    expect(problems).toEqual([
      { field: 'scaleMin', message: expect.stringMatching(/Scale min \(3\) is larger than scale max \(2\).*min ≤ max/) },
    ]);
  });

  it('explains empty, fractional, out-of-range values and missing roles', () => {
    const { problems } = checkSampling({ ...paperNumbers, window: null as number | null, stride: 2.5, batchPairs: 1, scaleMax: 0 }, views, ['e1']);
    expect(problems.map((p) => p.message)).toEqual([
      'Window w1 is empty: enter a number of frames',
      'Stride w2 must be a whole number of frames, got 2.5',
      'Scale max must be greater than 0, got 0',
      'Pair batch size must be at least 2, got 1',
      'Choose at least one exo view: every pair and group needs one',
    ]);
  });

  it('refuses a window that scale min shrinks below one frame', () => {
    const { problems } = checkSampling({ ...paperNumbers, window: 1, scaleMin: 0.4 }, views, ['e1', 'v1']);
    expect(problems.map((p) => p.message)).toEqual(['Scale min 0.4 shrinks the 1-frame window below one frame']);
  });

  it('refuses sets larger than a batch', () => {
    const { problems } = checkSampling({ ...paperNumbers, clipsPerSet: 65 }, views, ['e1', 'v1']);
    expect(problems.map((p) => p.message)).toEqual([expect.stringMatching(/Clips per set \(65\) must not exceed the smaller batch size \(64\)/)]);
  });

  it('saves the settings as overrides of the preset they started from', () => {
    expect(samplingConfig({ ...paperNumbers, views: ['e1', 'v1'] }, 'paper')).toEqual({
      preset: 'paper',
      overrides: {
        sampling: { window: 20, stride: 100, scaleMin: 0.5, scaleMax: 2, clipsPerSet: 10 },
        step1: { batchPairs: 200 },
        step2: { batchGroups: 64 },
      },
      views: ['e1', 'v1'],
    });
  });
});
