import { describe, expect, it } from 'vitest';
import { countSampling } from '../../../../main/engine/sampling/countSampling';
import { createPairSampler, type PairBatch } from '../../../../main/engine/sampling/pairSampler';
import { FrameIndexReader, gridScene, makeScene, makeSettings, tokenFeature } from './fixtures';

const twoScenes = [gridScene('a', 2, 2, 100), gridScene('b', 2, 2, 70)];

const firstBatches = (count: number, seed: number, scenes = twoScenes) => {
  const sampler = createPairSampler(scenes, new FrameIndexReader(scenes), makeSettings({ sampling: { scaleMin: 0.5, scaleMax: 2 } }), seed);
  return Array.from({ length: count }, () => sampler.next());
};

describe('createPairSampler', () => {
  it('gives the same batches for the same seed and different ones for another seed', () => {
    const a = firstBatches(3, 7);
    const b = firstBatches(3, 7);
    const c = firstBatches(3, 8);
    expect(b.map((x) => x.clips)).toEqual(a.map((x) => x.clips));
    expect(b.map((x) => [...x.ego])).toEqual(a.map((x) => [...x.ego]));
    const order = (batches: PairBatch[]) => batches.map((x) => x.clips.map((clip) => [clip.egoViewId, clip.exoViewId, clip.time]));
    const scales = (batches: PairBatch[]) => batches.map((x) => x.clips.map((clip) => clip.scale));
    expect(order(c)).not.toEqual(order(a));
    expect(scales(c)).not.toEqual(scales(a));
  });

  it('reads each view at scene time plus its sync offset, the same moment and scale for ego and exo', () => {
    const scene = makeScene('offsets', [
      { role: 'ego', frames: 1000, offset: 5 },
      { role: 'exo', frames: 900, offset: -20 },
    ]);
    const settings = makeSettings({ sampling: { stride: 100 }, batchPairs: 3 });
    const sampler = createPairSampler([scene], new FrameIndexReader([scene]), settings, 1);
    const batch = sampler.next();
    const [ego, exo] = scene.views;
    for (const [i, clip] of batch.clips.entries()) {
      expect([20, 120, 220, 320, 420, 520, 620, 720, 820]).toContain(clip.time);
      expect(tokenFeature(batch.ego, i, 4)).toEqual([0, 1, 2, 3].map((k) => clip.time + 5 + k));
      expect(tokenFeature(batch.exo, i, 4)).toEqual([0, 1, 2, 3].map((k) => clip.time - 20 + k));
      expect(tokenFeature(batch.ego, i, 4, 1)).toEqual(Array(4).fill(ego!.trackId));
      expect(tokenFeature(batch.exo, i, 4, 1)).toEqual(Array(4).fill(exo!.trackId));
    }
    expect(batch.shape).toEqual([3, 4, 2]);
  });

  it('resamples a scaled window by linear interpolation', () => {
    const scene = gridScene('scaled', 1, 1, 100);
    const settings = makeSettings({ sampling: { scaleMin: 0.5, scaleMax: 0.5 }, batchPairs: 3 });
    const batch = createPairSampler([scene], new FrameIndexReader([scene]), settings, 1).next();
    for (const [i, clip] of batch.clips.entries()) {
      // L = 2, w1 = 4: positions t + [0, 0.25, 0.75, 1] (see clipWindow.test.ts).
      expect(tokenFeature(batch.ego, i, 4)).toEqual([0, 0.25, 0.75, 1].map((d) => clip.time + d));
      expect(clip.scale).toBe(0.5);
    }
  });

  it('fills each set with distinct timestamps of one source', () => {
    for (const batch of firstBatches(10, 3)) {
      for (let set = 0; set < 2; set++) {
        const clips = batch.clips.filter((c) => c.set === set);
        expect(clips).toHaveLength(3);
        expect(new Set(clips.map((c) => `${c.sceneId}/${c.egoViewId}/${c.exoViewId}`)).size).toBe(1);
        expect(new Set(clips.map((c) => c.time)).size).toBe(3);
      }
    }
  });

  it('uses every ego × exo combination and every timestamp once per epoch, as countSampling says', () => {
    // Scene a: (100 − 4)/10 → 10 windows, b: (70 − 4)/10 → 7 windows; K = 3 → 4 and 3 sets per pair source.
    const scenes = [gridScene('a', 2, 2, 100), gridScene('b', 2, 2, 70)];
    const settings = makeSettings();
    const counts = countSampling(scenes, settings);
    expect(counts).toMatchObject({ windows: 17, pairs: 4 * 10 + 4 * 7, pairSources: 8, pairSetsPerEpoch: 28, pairBatchesPerEpoch: 14 });
    const sampler = createPairSampler(scenes, new FrameIndexReader(scenes), settings, 5);
    expect(sampler.batchesPerEpoch).toBe(counts.pairBatchesPerEpoch);
    const seen = new Set<string>();
    const combos = new Set<string>();
    for (let b = 0; b < counts.pairBatchesPerEpoch; b++) {
      const batch = sampler.next();
      expect(batch.epoch).toBe(0);
      for (const c of batch.clips) {
        seen.add(`${c.egoViewId}/${c.exoViewId}/${c.time}`);
        combos.add(`${c.egoViewId}/${c.exoViewId}`);
      }
    }
    expect(seen.size).toBe(counts.pairs);
    const expectedCombos = scenes.flatMap((s) =>
      s.views.filter((v) => v.role === 'ego').flatMap((e) => s.views.filter((v) => v.role === 'exo').map((x) => `${e.viewId}/${x.viewId}`)),
    );
    expect([...combos].sort()).toEqual(expectedCombos.sort());
    expect(sampler.state()).toEqual({ epoch: 1, batchIndex: 0 });
  });

  it('continues identically after restoring a saved position, across an epoch boundary', () => {
    const scenes = [gridScene('a', 1, 2, 100)];
    const settings = makeSettings({ sampling: { scaleMin: 0.5, scaleMax: 2 } });
    const original = createPairSampler(scenes, new FrameIndexReader(scenes), settings, 9);
    const perEpoch = original.batchesPerEpoch;
    for (let i = 0; i < perEpoch - 1; i++) original.next();
    const saved = original.state();
    const expected: PairBatch[] = [original.next(), original.next(), original.next()];
    const resumed = createPairSampler(scenes, new FrameIndexReader(scenes), settings, 9);
    resumed.restore(saved);
    const actual = [resumed.next(), resumed.next(), resumed.next()];
    expect(actual.map((b) => [b.epoch, b.batchIndex])).toEqual([[0, perEpoch - 1], [1, 0], [1, 1]]);
    expect(actual).toEqual(expected);
    expect(() => resumed.restore({ epoch: 0, batchIndex: perEpoch })).toThrow(RangeError);
  });

  it('aligns a pair-only source by rescaling time to the exo track', () => {
    const scene = makeScene('charades', [
      { role: 'ego', frames: 200 },
      { role: 'exo', frames: 100, timeScale: 0.5 },
    ], { pairOnly: true });
    const batch = createPairSampler([scene], new FrameIndexReader([scene]), makeSettings({ batchPairs: 3 }), 2).next();
    for (const [i, clip] of batch.clips.entries()) {
      expect(tokenFeature(batch.ego, i, 4)).toEqual([0, 1, 2, 3].map((k) => clip.time + k));
      // exo frame position 0.5·(t + k + 0.5) − 0.5, clamped to [t/2, t/2 + 1] for even t.
      expect(tokenFeature(batch.exo, i, 4)).toEqual([0, 0.25, 0.75, 1].map((d) => clip.time / 2 + d));
    }
  });
});
