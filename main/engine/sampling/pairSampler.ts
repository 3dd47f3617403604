// Step-1 batches: B ego-exo clip pairs, in sets of K pairs from one pair source (one ego view and one exo view
// of a scene, or a pair-only source) at K distinct timestamps, so temporally distant clips of the same video
// pair are each other's hard negatives. Each pair's two clips show the same moment at the same scale.
import type { FrameReader } from '../../features/FeatureStore';
import { createClipSampler, readClipInto, requireBatches, type ClipSampler } from './clipSampler';
import { planSampling, type PairSource } from './plan';
import { SetSchedule, type SamplerPosition } from './schedule';
import type { SamplerSettings } from './settings';
import type { SceneSource } from './sources';

export interface PairClip {
  sceneId: number;
  sceneName: string;
  egoViewId: number;
  exoViewId: number;
  /** Scene time of the window start. */
  time: number;
  /** Window length factor: the clip covers window·scale scene frames. */
  scale: number;
  /** Set number within the batch (clips of one set share a source). */
  set: number;
}

export interface PairBatch extends SamplerPosition {
  /** [B, w1, F] each. */
  shape: [number, number, number];
  ego: Float32Array;
  exo: Float32Array;
  clips: PairClip[];
}

const PAIR_STREAM = 1;

export function createPairSampler(
  sources: readonly SceneSource[],
  store: FrameReader,
  settings: SamplerSettings,
  seed: number,
): ClipSampler<PairBatch> {
  const plan = planSampling(sources, settings);
  const { scaleMin, scaleMax, clipsPerSet } = settings.sampling;
  const batchSize = settings.batchPairs;
  const schedule = new SetSchedule(
    plan.pairSources.map((p) => p.scene.windows),
    { clipsPerSet, batchSize, scaleMin, scaleMax, seed, stream: PAIR_STREAM },
  );
  requireBatches(plan, 'pair', schedule, batchSize);
  return createClipSampler(schedule, plan.warnings, (position) =>
    readPairBatch(
      position,
      schedule.batch(position).map((clip) => ({ ...clip, pair: plan.pairSources[clip.source]! })),
      store,
      settings,
      plan.dim,
    ),
  );
}

/** Reads a batch's clips (each a pair source's window at a scale) into [B, w1, F] ego and exo arrays. */
export function readPairBatch(
  position: SamplerPosition,
  scheduled: readonly { pair: PairSource; window: number; scale: number; set: number }[],
  store: FrameReader,
  settings: SamplerSettings,
  dim: number,
): PairBatch {
  const { window: tokens, stride, resample } = settings.sampling;
  const batchSize = scheduled.length;
  const clipValues = tokens * dim;
  const ego = new Float32Array(batchSize * clipValues); // [B, w1, F]
  const exo = new Float32Array(batchSize * clipValues); // [B, w1, F]
  const clips = scheduled.map(({ pair, window, scale, set }, i) => {
    const time = pair.scene.start + window * stride;
    const length = tokens * scale;
    readClipInto(store, pair.ego, time, length, tokens, dim, resample, ego, i * clipValues);
    readClipInto(store, pair.exo, time, length, tokens, dim, resample, exo, i * clipValues);
    return {
      sceneId: pair.scene.source.sceneId,
      sceneName: pair.scene.source.name,
      egoViewId: pair.ego.viewId,
      exoViewId: pair.exo.viewId,
      time,
      scale,
      set,
    };
  });
  return { ...position, shape: [batchSize, tokens, dim], ego, exo, clips };
}
