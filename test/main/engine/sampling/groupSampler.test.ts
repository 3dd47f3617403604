import { describe, expect, it } from 'vitest';
import { countSampling } from '../../../../main/engine/sampling/countSampling';
import { createGroupSampler } from '../../../../main/engine/sampling/groupSampler';
import { DIM, FrameIndexReader, gridScene, makeScene, makeSettings, tokenFeature } from './fixtures';

describe('createGroupSampler', () => {
  const scenes = [gridScene('a', 2, 3, 100), gridScene('b', 2, 3, 130)];

  it('makes [B, M, w1, F] and [B, N, w1, F] groups of every view at one timestamp', () => {
    const sampler = createGroupSampler(scenes, new FrameIndexReader(scenes), makeSettings(), 4);
    const batch = sampler.next();
    expect(batch.egoShape).toEqual([6, 2, 4, DIM]);
    expect(batch.exoShape).toEqual([6, 3, 4, DIM]);
    for (const [i, group] of batch.groups.entries()) {
      const scene = scenes.find((s) => s.sceneId === group.sceneId)!;
      expect(group.egoViewIds).toEqual(scene.views.filter((v) => v.role === 'ego').map((v) => v.viewId));
      expect(group.exoViewIds).toEqual(scene.views.filter((v) => v.role === 'exo').map((v) => v.viewId));
      for (let m = 0; m < 2; m++) expect(tokenFeature(batch.ego, i * 2 + m, 4)).toEqual([0, 1, 2, 3].map((k) => group.time + k));
      for (let n = 0; n < 3; n++) {
        expect(tokenFeature(batch.exo, i * 3 + n, 4)).toEqual([0, 1, 2, 3].map((k) => group.time + k));
        const trackOfView = scene.views.find((v) => v.viewId === group.exoViewIds[n])!.trackId;
        expect(tokenFeature(batch.exo, i * 3 + n, 4, 1)).toEqual(Array(4).fill(trackOfView));
      }
    }
  });

  it('covers every timestamp of every scene in an epoch, in sets of distinct timestamps of one scene', () => {
    const settings = makeSettings();
    const counts = countSampling(scenes, settings);
    // a: 10 windows → 4 sets (last filled up), b: 13 windows → 5 sets; 9 sets / 2 per batch → 4 batches.
    expect(counts).toMatchObject({ groups: 23, groupScenes: 2, egoPerGroup: 2, exoPerGroup: 3, groupSetsPerEpoch: 9, groupBatchesPerEpoch: 4 });
    const sampler = createGroupSampler(scenes, new FrameIndexReader(scenes), settings, 11);
    const seen = new Set<string>();
    for (let b = 0; b < counts.groupBatchesPerEpoch; b++) {
      const batch = sampler.next();
      for (const set of [0, 1]) {
        const groups = batch.groups.filter((g) => g.set === set);
        expect(new Set(groups.map((g) => g.sceneId)).size).toBe(1);
        expect(new Set(groups.map((g) => g.time)).size).toBe(3);
      }
      for (const g of batch.groups) seen.add(`${g.sceneId}/${g.time}`);
    }
    // 8 of the 9 sets are used; the left-out set holds at most 3 timestamps.
    expect(seen.size).toBeGreaterThanOrEqual(counts.groups - 3);
    expect(sampler.state()).toEqual({ epoch: 1, batchIndex: 0 });
  });

  it('leaves pair-only sources and scenes with another view count out of step 2, with a warning', () => {
    const pairOnly = makeScene('charades', [
      { role: 'ego', frames: 100 },
      { role: 'exo', frames: 100 },
    ], { pairOnly: true });
    const odd = gridScene('odd', 1, 3, 100);
    const all = [...scenes, pairOnly, odd];
    const sampler = createGroupSampler(all, new FrameIndexReader(all), makeSettings(), 1);
    expect(sampler.warnings.some((w) => w.includes('odd') && w.includes('step 2'))).toBe(true);
    for (let b = 0; b < sampler.batchesPerEpoch; b++) {
      for (const g of sampler.next().groups) expect([scenes[0]!.sceneId, scenes[1]!.sceneId]).toContain(g.sceneId);
    }
    const counts = countSampling(all, makeSettings());
    expect(counts.pairSources).toBe(6 + 6 + 1 + 3);
    expect(counts.perSource.map((s) => s.inGroups)).toEqual([true, true, false, false]);
  });
});
