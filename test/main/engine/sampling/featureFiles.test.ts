// Clip sampling end to end: scenes whose tracks are .npy files (frame-major and feature-major, float16), read
// through a FeatureStore with a small cache.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createGroupSampler } from '../../../../main/engine/sampling/groupSampler';
import { createPairSampler } from '../../../../main/engine/sampling/pairSampler';
import { FeatureStore, type FeatureTrackLocation } from '../../../../main/features/FeatureStore';
import { NpyWriter } from '../../../../main/formats/npy';
import { makeScene, makeSettings, tokenFeature } from './fixtures';

const dir = mkdtempSync(join(tmpdir(), 'evgap-sampling-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A track file whose frame t holds [t, trackId] (exact in float16 for t < 2048). */
function writeTrack(trackId: number, frames: number, layout: 'TF' | 'FT'): FeatureTrackLocation {
  const path = join(dir, `${trackId}.npy`);
  const values = new Float32Array(frames * 2);
  for (let t = 0; t < frames; t++) {
    if (layout === 'TF') values.set([t, trackId], t * 2);
    else {
      values[t] = t;
      values[frames + t] = trackId;
    }
  }
  const writer = NpyWriter.create(path, { dtype: 'float16', rows: layout === 'TF' ? frames : 2, cols: layout === 'TF' ? 2 : frames });
  writer.writeRows(values);
  writer.close();
  return { path, layout };
}

describe('sampling from feature files', () => {
  const scene = makeScene('files', [
    { role: 'ego', frames: 400, offset: 7 },
    { role: 'exo', frames: 380, offset: -11 },
    { role: 'exo', frames: 420 },
  ]);
  const locations = new Map(scene.views.map((v, i) => [v.trackId, writeTrack(v.trackId, v.frameCount, i === 1 ? 'FT' : 'TF')]));
  const store = new FeatureStore((trackId) => locations.get(trackId)!, { blockFrames: 32, cacheBytes: 8 * 32 * 2 * 4, maxOpenFiles: 2 });

  it('reads pairs at each view offset through the store', () => {
    const sampler = createPairSampler([scene], store, makeSettings(), 3);
    for (let b = 0; b < sampler.batchesPerEpoch; b++) {
      const batch = sampler.next();
      for (const [i, clip] of batch.clips.entries()) {
        const exo = scene.views.find((v) => v.viewId === clip.exoViewId)!;
        expect(tokenFeature(batch.ego, i, 4)).toEqual([7, 8, 9, 10].map((d) => clip.time + d));
        expect(tokenFeature(batch.exo, i, 4)).toEqual([0, 1, 2, 3].map((d) => clip.time + exo.syncOffsetFrames + d));
        expect(tokenFeature(batch.exo, i, 4, 1)).toEqual(Array(4).fill(exo.trackId));
      }
    }
    const stats = store.stats();
    expect(stats.bytes).toBeLessThanOrEqual(8 * 32 * 2 * 4);
    expect(stats.openFiles).toBeLessThanOrEqual(2);
  });

  it('reads groups whose clips all show the same moment', () => {
    const batch = createGroupSampler([scene], store, makeSettings(), 3).next();
    expect(batch.exoShape).toEqual([6, 2, 4, 2]);
    for (const [i, group] of batch.groups.entries()) {
      expect(tokenFeature(batch.ego, i, 4)).toEqual([7, 8, 9, 10].map((d) => group.time + d));
      expect(tokenFeature(batch.exo, i * 2, 4)).toEqual([-11, -10, -9, -8].map((d) => group.time + d));
      expect(tokenFeature(batch.exo, i * 2 + 1, 4)).toEqual([0, 1, 2, 3].map((d) => group.time + d));
    }
  });
});
