import { describe, expect, it } from 'vitest';
import { ArgumentError } from '../../../../contract/errors';
import { presets } from '../../../../main/engine/config';
import { countSampling } from '../../../../main/engine/sampling/countSampling';
import { FeatureDimensionError, MissingViewsError, NoUsableScenesError } from '../../../../main/engine/sampling/errors';
import { createGroupSampler } from '../../../../main/engine/sampling/groupSampler';
import { createPairSampler } from '../../../../main/engine/sampling/pairSampler';
import { samplerSettings } from '../../../../main/engine/sampling/settings';
import { FrameIndexReader, gridScene, makeScene, makeSettings } from './fixtures';

const scenes = [gridScene('a', 1, 1, 100)];
const pairsWith = (settings: ReturnType<typeof makeSettings>, given = scenes) =>
  createPairSampler(given, new FrameIndexReader(given), settings, 1);

describe('sampling settings and data errors', () => {
  it.each([
    [{ sampling: { window: 0 } }, 'expected sampling.window >= 1, got 0'],
    [{ sampling: { window: 2.5 } }, 'expected sampling.window to be an integer, got 2.5'],
    [{ sampling: { stride: 0 } }, 'expected sampling.stride >= 1, got 0'],
    [{ batchPairs: 1 }, 'expected batchPairs >= 2, got 1'],
    [{ batchGroups: 1 }, 'expected batchGroups >= 2, got 1'],
    [{ sampling: { clipsPerSet: 0 } }, 'expected sampling.clipsPerSet >= 1, got 0'],
    [{ sampling: { clipsPerSet: 7 } }, 'expected sampling.clipsPerSet <= the batch size (batchPairs 6, batchGroups 6), got 7'],
    [{ sampling: { scaleMin: 0 } }, 'expected sampling.scaleMin > 0, got 0'],
    [{ sampling: { scaleMin: 2, scaleMax: 1 } }, 'expected sampling.scaleMax >= sampling.scaleMin (2), got 1'],
  ] as const)('rejects %j', (overrides, message) => {
    expect(() => pairsWith(makeSettings(overrides as Parameters<typeof makeSettings>[0]))).toThrow(ArgumentError);
    expect(() => countSampling(scenes, makeSettings(overrides as Parameters<typeof makeSettings>[0]))).toThrow(message);
  });

  it('rejects a dataset without exo views, and one without ego views', () => {
    const egoOnly = [makeScene('e', [{ role: 'ego', frames: 100 }])];
    expect(() => pairsWith(makeSettings(), egoOnly)).toThrow(MissingViewsError);
    expect(() => pairsWith(makeSettings(), egoOnly)).toThrow(/no exo views/);
    const exoOnly = [makeScene('x', [{ role: 'exo', frames: 100 }])];
    expect(() => createGroupSampler(exoOnly, new FrameIndexReader(exoOnly), makeSettings(), 1)).toThrow(/no ego views/);
  });

  it('rejects features whose dimension differs from the expected input size, naming the view', () => {
    const wide = [makeScene('w', [{ role: 'ego', frames: 100 }, { role: 'exo', frames: 100, dim: 3, name: 'cam7' }])];
    expect(() => pairsWith(makeSettings(), wide)).toThrow(FeatureDimensionError);
    expect(() => pairsWith(makeSettings(), wide)).toThrow(/view cam7 .*expected features of dimension 2 .*got 3/);
    expect(() => pairsWith(makeSettings({ inputDim: null }), wide)).toThrow(FeatureDimensionError);
  });

  it('skips a scene too short for one window with a warning, and fails when nothing remains', () => {
    const short = gridScene('short', 1, 1, 3);
    const sampler = pairsWith(makeSettings(), [...scenes, short]);
    expect(sampler.warnings).toEqual([expect.stringMatching(/scene short .*too short for one window of 4 frames/)]);
    expect(() => pairsWith(makeSettings(), [short])).toThrow(NoUsableScenesError);
    expect(() => pairsWith(makeSettings(), [short])).toThrow(/too short/);
  });

  it('keeps only scenes of the selected split and only the selected views', () => {
    const val = { ...gridScene('v', 1, 1, 100), split: 'val' as const };
    const grid = gridScene('g', 2, 2, 100);
    const counts = countSampling([val, grid], makeSettings({ views: ['ego1', 'exo2'] }));
    expect(counts.pairSources).toBe(1);
    expect(counts.perSource[0]!.skipped).toMatch(/split val/);
    expect(countSampling([val, grid], makeSettings({ split: null })).pairSources).toBe(1 + 4);
    expect(() => pairsWith(makeSettings(), [val])).toThrow(NoUsableScenesError);
    expect(() => pairsWith(makeSettings(), [val])).toThrow(/v: split val, not train/);
    expect(() => pairsWith(makeSettings({ batchPairs: 60 }), [grid])).toThrow(
      /no pair batch can be made from 1 scenes \(16 sets of 3 per epoch, a batch of 60 needs 20/,
    );
  });

  it('takes sampling, batch sizes and input size from an engine config, train split by default', () => {
    const settings = samplerSettings(presets.paper);
    expect(settings).toMatchObject({ batchPairs: 200, batchGroups: 64, inputDim: 2048, split: 'train', views: null });
    expect(settings.sampling).toMatchObject({ window: 20, stride: 100, scaleMin: 0.5, scaleMax: 2, clipsPerSet: 10 });
  });
});
