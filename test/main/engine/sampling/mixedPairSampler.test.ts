// Step-1 batches from several datasets (mixedPairSampler.ts): clips of every dataset read as in a single-dataset
// batch, the per-dataset pair counts, one feature dimension required, and a restored position continuing the
// same mixed order.
import { describe, expect, it } from 'vitest';
import { FeatureDimensionError, NoUsableScenesError } from '../../../../main/engine/sampling/errors';
import { createMixedPairSampler, type MixDataset } from '../../../../main/engine/sampling/mixedPairSampler';
import type { PairBatch } from '../../../../main/engine/sampling/pairSampler';
import { FrameIndexReader, gridScene, makeScene, makeSettings, tokenFeature } from './fixtures';

const multiView: MixDataset = { name: 'assembly', sources: [gridScene('a1', 2, 2, 100), gridScene('a2', 2, 2, 70)] };
const pairOnly: MixDataset = {
  name: 'charades',
  sources: [0, 1, 2].map((i) => makeScene(`c${i}`, [{ role: 'ego', frames: 200 }, { role: 'exo', frames: 100, timeScale: 0.5 }], { pairOnly: true })),
};
const datasets = [multiView, pairOnly];
const reader = () => new FrameIndexReader(datasets.flatMap((d) => d.sources));
const settings = makeSettings({ batchPairs: 9, sampling: { scaleMin: 0.5, scaleMax: 2 } });
const sceneDataset = new Map(datasets.flatMap((d, i) => d.sources.map((s) => [s.sceneId, i] as const)));

describe('createMixedPairSampler', () => {
  it('counts each dataset\'s pairs and mixes its clips into the batches by weight', () => {
    const sampler = createMixedPairSampler(datasets, [1, 1], reader(), settings, 3);
    // Windows of up to w1 · scaleMax = 8 frames every 10 frames: a1 (100 frames) 4 pair sources × 10 windows, a2 (70)
    // 4 × 7; each charades scene 1 × 20 (ego 200 frames, exo rescaled); sets of 3.
    expect(sampler.datasets).toEqual([
      { name: 'assembly', pairs: 4 * 10 + 4 * 7, pairSources: 8, setsPerEpoch: 4 * 4 + 4 * 3 },
      { name: 'charades', pairs: 3 * 20, pairSources: 3, setsPerEpoch: 3 * 7 },
    ]);
    const counts = [0, 0];
    for (let b = 0; b < 200; b++) for (const clip of sampler.next().clips) counts[sceneDataset.get(clip.sceneId)!]!++;
    expect(Math.abs(counts[0]! / (counts[0]! + counts[1]!) - 0.5)).toBeLessThan(0.01);
    const shares = sampler.clipShares(200);
    expect(shares[0]).toBeCloseTo(counts[0]! / (counts[0]! + counts[1]!), 10);
  });

  it('reads every clip as a single-dataset batch would: same moment and scale for ego and exo', () => {
    const batch = createMixedPairSampler(datasets, [1, 2], reader(), settings, 4).next();
    for (const [i, clip] of batch.clips.entries()) {
      const fromCharades = sceneDataset.get(clip.sceneId) === 1;
      const ego = tokenFeature(batch.ego, i, 4);
      const exo = tokenFeature(batch.exo, i, 4);
      expect(ego[0]).toBeGreaterThanOrEqual(clip.time);
      if (fromCharades) expect(exo[0]).toBeCloseTo(Math.max(clip.time / 2, ego[0]! / 2 - 0.25), 5);
      else expect(exo).toEqual(ego);
    }
    expect(new Set(batch.clips.map((c) => sceneDataset.get(c.sceneId)))).toEqual(new Set([0, 1]));
  });

  it('continues the same mixed order after restoring a saved position', () => {
    const original = createMixedPairSampler(datasets, [2, 1], reader(), settings, 9);
    for (let i = 0; i < original.batchesPerEpoch + 3; i++) original.next();
    const saved = original.state();
    const expected: PairBatch[] = [original.next(), original.next(), original.next()];
    const resumed = createMixedPairSampler(datasets, [2, 1], reader(), settings, 9);
    resumed.restore(saved);
    expect([resumed.next(), resumed.next(), resumed.next()]).toEqual(expected);
  });

  it('refuses datasets whose features differ in dimension, or one that yields no pair', () => {
    const wide: MixDataset = { name: 'wide', sources: [makeScene('w', [{ role: 'ego', frames: 100, dim: 3 }, { role: 'exo', frames: 100, dim: 3 }])] };
    const open = { ...settings, inputDim: null };
    expect(() => createMixedPairSampler([multiView, wide], [1, 1], reader(), open, 1)).toThrow(FeatureDimensionError);
    expect(() => createMixedPairSampler([multiView, wide], [1, 1], reader(), open, 1)).toThrow(/assembly has 2-d features, wide has 3-d/);
    const short: MixDataset = { name: 'short', sources: [gridScene('s', 1, 1, 12)] };
    expect(() => createMixedPairSampler([multiView, short], [1, 1], reader(), settings, 1)).toThrow(NoUsableScenesError);
    expect(() => createMixedPairSampler([multiView, short], [1, 1], reader(), settings, 1)).toThrow(/dataset short yields no step-1 pair/);
  });
});
