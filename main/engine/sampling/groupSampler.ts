// Step-2 batches: B groups, each all M ego and N exo clips of one scene at one timestamp and scale, in sets of K
// groups from one scene at K distinct timestamps. Pair-only sources take no part (they have no groups).
import type { FrameReader } from '../../features/FeatureStore';
import { createClipSampler, readClipInto, requireBatches, type ClipSampler } from './clipSampler';
import { planSampling } from './plan';
import { SetSchedule, type SamplerPosition } from './schedule';
import type { SamplerSettings } from './settings';
import type { SceneSource } from './sources';

export interface ClipGroup {
  sceneId: number;
  sceneName: string;
  /** The views of the group's M ego clips, in order. */
  egoViewIds: number[];
  /** The views of the group's N exo clips, in order. */
  exoViewIds: number[];
  /** Scene time of the window start. */
  time: number;
  /** Window length factor: every clip of the group covers window·scale scene frames. */
  scale: number;
  /** Set number within the batch (groups of one set share a scene). */
  set: number;
}

export interface GroupBatch extends SamplerPosition {
  /** [B, M, w1, F]. */
  egoShape: [number, number, number, number];
  /** [B, N, w1, F]. */
  exoShape: [number, number, number, number];
  ego: Float32Array;
  exo: Float32Array;
  groups: ClipGroup[];
}

const GROUP_STREAM = 2;

export function createGroupSampler(
  sources: readonly SceneSource[],
  store: FrameReader,
  settings: SamplerSettings,
  seed: number,
): ClipSampler<GroupBatch> {
  const plan = planSampling(sources, settings);
  const { window: tokens, stride, scaleMin, scaleMax, clipsPerSet, resample } = settings.sampling;
  const batchSize = settings.batchGroups;
  const schedule = new SetSchedule(
    plan.groupScenes.map((s) => s.windows),
    { clipsPerSet, batchSize, scaleMin, scaleMax, seed, stream: GROUP_STREAM },
  );
  requireBatches(plan, 'group', schedule, batchSize);
  const { dim, egoPerGroup: M, exoPerGroup: N } = plan;
  const clipValues = tokens * dim;

  return createClipSampler(schedule, plan.warnings, (position) => {
    const ego = new Float32Array(batchSize * M * clipValues); // [B, M, w1, F]
    const exo = new Float32Array(batchSize * N * clipValues); // [B, N, w1, F]
    const groups = schedule.batch(position).map((clip, i) => {
      const scene = plan.groupScenes[clip.source]!;
      const time = scene.start + clip.window * stride;
      const length = tokens * clip.scale;
      for (const [m, view] of scene.egoViews.entries()) {
        readClipInto(store, view, time, length, tokens, dim, resample, ego, (i * M + m) * clipValues);
      }
      for (const [n, view] of scene.exoViews.entries()) {
        readClipInto(store, view, time, length, tokens, dim, resample, exo, (i * N + n) * clipValues);
      }
      return {
        sceneId: scene.source.sceneId,
        sceneName: scene.source.name,
        egoViewIds: scene.egoViews.map((v) => v.viewId),
        exoViewIds: scene.exoViews.map((v) => v.viewId),
        time,
        scale: clip.scale,
        set: clip.set,
      };
    });
    return { ...position, egoShape: [batchSize, M, tokens, dim], exoShape: [batchSize, N, tokens, dim], ego, exo, groups };
  });
}
