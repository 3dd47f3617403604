import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { presets } from '../../../../main/engine/config';
import { createEncoder } from '../../../../main/engine/encoder/encoder';
import type { SceneSource, SceneSplit, SourceView } from '../../../../main/engine/sampling/sources';
import { crossViewRetrieval, NoEvaluationScenesError } from '../../../../main/eval/retrieval/crossViewRetrieval';
import { encoderEmbedder, rawFeatureEmbedder } from '../../../../main/eval/retrieval/embedders';
import { evaluationTimestamps, readViewClips, type ClipGeometry } from '../../../../main/eval/retrieval/evaluationClips';
import type { FrameReader } from '../../../../main/features/FeatureStore';
import { SeededRandom } from '../../../../main/random/seededRandom';

const dim = 8;
const geometry: ClipGeometry = { window: 4, stride: 10, resample: 'linear' };

/** Uniform values in [-1, 1) from the project's seeded generator, so every run sees the same inputs. */
function generator(seed: number): () => number {
  const random = new SeededRandom(seed);
  return () => random.uniform() * 2 - 1;
}

/** Feature tracks in memory, by track id ([frames, dim] row-major). */
class MemoryTracks implements FrameReader {
  readonly tracks = new Map<number, Float32Array>();
  readFrames(trackId: number, start: number, end: number): Float32Array {
    const rows = this.tracks.get(trackId) as Float32Array;
    if (start < 0 || end * dim > rows.length) throw new RangeError(`track ${trackId}: frames [${start}, ${end}) out of range`);
    return rows.slice(start * dim, end * dim);
  }
}

type ViewPlan = { name: string; role: 'ego' | 'exo'; offset: number; frames: number };

/**
 * A scene whose views all show one content sequence c(t) over scene time (view frame f = t + offset holds c(f −
 * offset)) when `shared`, or independent random features per view when not.
 */
function makeScene(
  tracks: MemoryTracks,
  sceneId: number,
  split: SceneSplit | null,
  views: ViewPlan[],
  options: { shared: boolean; seed: number },
): SceneSource {
  const sceneFrames = Math.max(...views.map((v) => v.frames + Math.abs(v.offset))) + 1;
  const content = generator(options.seed);
  const shared = Float32Array.from({ length: sceneFrames * dim }, content);
  const sourceViews: SourceView[] = views.map((view, index) => {
    const trackId = sceneId * 100 + index;
    const own = generator(options.seed * 31 + index + 1);
    const rows = new Float32Array(view.frames * dim);
    for (let f = 0; f < view.frames; f++) {
      const t = f - view.offset;
      for (let d = 0; d < dim; d++) rows[f * dim + d] = options.shared && t >= 0 ? shared[t * dim + d]! : own();
    }
    tracks.tracks.set(trackId, rows);
    return { viewId: trackId, name: view.name, role: view.role, syncOffsetFrames: view.offset, frameCount: view.frames, featureDim: dim, trackId };
  });
  return { sceneId, name: `scene-${sceneId}`, split, views: sourceViews };
}

const fourViews = (frames: number): ViewPlan[] => [
  { name: 'ego1', role: 'ego', offset: 0, frames },
  { name: 'ego2', role: 'ego', offset: 3, frames },
  { name: 'exo1', role: 'exo', offset: 7, frames },
  { name: 'exo2', role: 'exo', offset: 1, frames: frames - 5 },
];

describe('evaluation clips', () => {
  it('reads the same scene moment from every view, sync offsets applied', () => {
    const tracks = new MemoryTracks();
    const scene = makeScene(tracks, 1, 'test', fourViews(120), { shared: true, seed: 1 });
    const timestamps = evaluationTimestamps(scene.views, geometry);
    expect(timestamps.length).toBeGreaterThan(5);
    expect(timestamps[1]! - timestamps[0]!).toBe(geometry.stride);
    const [first, ...others] = scene.views.map((view) => readViewClips(tracks, view, timestamps, geometry));
    expect(first!.shape).toEqual([timestamps.length, geometry.window, dim]);
    for (const clips of others) expect(Array.from(clips.data)).toEqual(Array.from(first!.data));
  });

  it('the raw-feature Base mean-pools the window and L2-normalizes', () => {
    const clips = { data: Float32Array.from([1, 2, 5, 6, 0, 0, 0, 0]), shape: [2, 2, 2] as const };
    const { data, shape } = rawFeatureEmbedder(clips);
    expect(shape).toEqual([2, 2]);
    expect(data[0]).toBeCloseTo(0.6, 6); // mean (3, 4) / 5
    expect(data[1]).toBeCloseTo(0.8, 6);
    expect(Array.from(data.subarray(2))).toEqual([0, 0]); // a zero mean stays zero
  });
});

describe('crossViewRetrieval', () => {
  let tracks: MemoryTracks;
  let sharedScenes: SceneSource[];
  let randomScenes: SceneSource[];

  beforeAll(async () => {
    await tf.setBackend('cpu');
    tracks = new MemoryTracks();
    sharedScenes = [
      makeScene(tracks, 1, 'test', fourViews(300), { shared: true, seed: 1 }),
      makeScene(tracks, 2, 'test', fourViews(200), { shared: true, seed: 2 }),
      makeScene(tracks, 3, 'train', fourViews(300), { shared: true, seed: 3 }),
    ];
    randomScenes = [4, 5, 6, 7].map((id) => makeScene(tracks, id, 'test', fourViews(600), { shared: false, seed: id }));
  });

  it('finds every clip first when the views show the same features (R@1 = 100), per pair and on average', () => {
    const result = crossViewRetrieval({ scenes: sharedScenes, reader: tracks, geometry, embed: rawFeatureEmbedder });
    expect(result.scenes).toBe(2); // the default split is 'test': the train scene is not evaluated
    expect(result.pairs.map((p) => `${p.egoView}-${p.exoView}`)).toEqual(['ego1-exo1', 'ego1-exo2', 'ego2-exo1', 'ego2-exo2']);
    for (const summary of [...result.pairs.flatMap((p) => [p.egoToExo, p.exoToEgo]), result.mean.egoToExo, result.mean.exoToEgo]) {
      expect(summary.recallAt[1]).toBe(100);
      expect(summary.medianRank).toBe(1);
      expect(summary.scenes).toBe(2);
    }
    // Chance is averaged over the scenes, each with its own n (number of timestamps).
    const [pair] = result.pairs;
    const sizes = pair!.perScene.map((s) => s.egoToExo.n);
    expect(sizes[0]).not.toBe(sizes[1]);
    expect(pair!.egoToExo.chanceRecallAt[1]).toBeCloseTo((100 / sizes[0]! + 100 / sizes[1]!) / 2, 10);
    expect(pair!.egoToExo.chanceMedianRank).toBeCloseTo(((sizes[0]! + 1) / 2 + (sizes[1]! + 1) / 2) / 2, 10);
    expect(pair!.egoToExo.queries).toBe(sizes[0]! + sizes[1]!);
  });

  it('is near chance when the views are unrelated', () => {
    const result = crossViewRetrieval({ scenes: randomScenes, reader: tracks, geometry, embed: rawFeatureEmbedder, ks: [1, 10] });
    for (const summary of [result.mean.egoToExo, result.mean.exoToEgo]) {
      expect(summary.chanceRecallAt[10]).toBeGreaterThan(15);
      expect(Math.abs(summary.recallAt[10]! - summary.chanceRecallAt[10]!)).toBeLessThan(6);
      expect(Math.abs(summary.recallAt[1]! - summary.chanceRecallAt[1]!)).toBeLessThan(3);
      expect(Math.abs(summary.medianRank - summary.chanceMedianRank)).toBeLessThan(6);
    }
  });

  it('with an encoder embedder, identical views are still retrieved first', () => {
    const encoder = createEncoder({ ...presets.demo.encoder, inputDim: dim, tokens: geometry.window, modelDim: 16, heads: 2, ffDim: 32 }, 3);
    try {
      const result = crossViewRetrieval({ scenes: sharedScenes, reader: tracks, geometry, embed: encoderEmbedder(encoder, 7) });
      expect(result.mean.egoToExo.recallAt[1]).toBe(100);
      expect(result.mean.exoToEgo.recallAt[1]).toBe(100);
    } finally {
      encoder.dispose();
    }
  });

  it('evaluates only the requested split and views', () => {
    const result = crossViewRetrieval({ scenes: sharedScenes, reader: tracks, geometry, embed: rawFeatureEmbedder, split: 'train', views: ['ego2', 'exo1'] });
    expect(result.scenes).toBe(1);
    expect(result.pairs.map((p) => `${p.egoView}-${p.exoView}`)).toEqual(['ego2-exo1']);
    expect(result.pairs[0]!.perScene.map((s) => s.scene)).toEqual(['scene-3']);
  });

  it('leaves out, with a warning, a scene too short for two windows', () => {
    const short = makeScene(tracks, 9, 'test', fourViews(20), { shared: true, seed: 9 });
    const result = crossViewRetrieval({ scenes: [...sharedScenes, short], reader: tracks, geometry, embed: rawFeatureEmbedder });
    expect(result.scenes).toBe(2);
    expect(result.warnings).toEqual([expect.stringMatching(/^scene scene-9 \(#9\) left out: 1 window\(s\) of 4 frames every 10/)]);
  });

  it('says which splits exist when the requested one has no scenes', () => {
    expect(() => crossViewRetrieval({ scenes: sharedScenes, reader: tracks, geometry, embed: rawFeatureEmbedder, split: 'val' })).toThrow(
      new NoEvaluationScenesError("no scenes of split 'val' to evaluate (scenes by split: test 2, train 1)"),
    );
  });
});
