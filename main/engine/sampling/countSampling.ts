// How much a dataset yields under given sampling settings, computed from the scene descriptions alone (no
// feature is read): for the UI's dataset view and for sizing a run before it starts.
import { planSampling, type SceneReport } from './plan';
import { epochLayout } from './schedule';
import type { SamplerSettings } from './settings';
import type { SceneSource } from './sources';

export interface SamplingCounts {
  /** Window start times over the scenes that take part, each scene counted once. */
  windows: number;
  /** Distinct step-1 clip pairs: Σ over pair sources of their scene's windows. */
  pairs: number;
  /** Distinct step-2 groups: Σ over group scenes of their windows. */
  groups: number;
  pairSources: number;
  groupScenes: number;
  /** M and N of each step-2 group. */
  egoPerGroup: number;
  exoPerGroup: number;
  pairSetsPerEpoch: number;
  groupSetsPerEpoch: number;
  pairBatchesPerEpoch: number;
  groupBatchesPerEpoch: number;
  /** One entry per given scene, including those filtered out or skipped (with the reason). */
  perSource: SceneReport[];
  warnings: string[];
}

export function countSampling(sources: readonly SceneSource[], settings: SamplerSettings): SamplingCounts {
  const plan = planSampling(sources, settings);
  const { clipsPerSet } = settings.sampling;
  const pairWindows = plan.pairSources.map((p) => p.scene.windows);
  const groupWindows = plan.groupScenes.map((s) => s.windows);
  const pairLayout = epochLayout(pairWindows, clipsPerSet, settings.batchPairs);
  const groupLayout = epochLayout(groupWindows, clipsPerSet, settings.batchGroups);
  const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
  return {
    windows: sum(plan.scenes.filter((s) => s.skipped === null).map((s) => s.windows)),
    pairs: sum(pairWindows),
    groups: sum(groupWindows),
    pairSources: plan.pairSources.length,
    groupScenes: plan.groupScenes.length,
    egoPerGroup: plan.egoPerGroup,
    exoPerGroup: plan.exoPerGroup,
    pairSetsPerEpoch: pairLayout.setsPerEpoch,
    groupSetsPerEpoch: groupLayout.setsPerEpoch,
    pairBatchesPerEpoch: pairLayout.batchesPerEpoch,
    groupBatchesPerEpoch: groupLayout.batchesPerEpoch,
    perSource: plan.scenes,
    warnings: plan.warnings,
  };
}
