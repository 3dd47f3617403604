// The app's sampling plan (engine/sampling/plan.ts) as the job's sampling-plan.json: the scenes one pre-training
// step draws from, their participating views with sync offsets, time scales and frame counts, each scene's first
// window start and number of windows, the step's sources (step 1: pair sources; step 2: group scenes) and every
// feature track relative to its dataset's root. evgap_torch's sampler runs the schedule and reads clips from it,
// so it draws exactly the clips the app's sampler draws.
import { relative, sep } from 'node:path';
import type { FeatureTrackLocation } from '../features/FeatureStore';
import { readNpyHeader } from '../formats/npy';
import type { PlannedScene, SamplingPlan } from '../engine/sampling/plan';
import type { SourceView } from '../engine/sampling/sources';
import type { PretrainStep } from '../engine/training/trainingState';
import { samplingPlanFormat, type PlanScene, type PlanTrack, type PlanView, type SamplingPlanFile } from './jobFormat';

/** Where a dataset's tracks are: its name, its root folder and each of its tracks' locations by track id. */
export type PlanDataset = { name: string; root: string; locations: Map<number, FeatureTrackLocation> };

export function samplingPlanFile(
  plan: SamplingPlan,
  options: { step: PretrainStep; seed: number; batchesPerEpoch: number; dataset: PlanDataset },
): SamplingPlanFile {
  const { step, dataset } = options;
  const tracks: PlanTrack[] = [];
  const trackIndex = new Map<number, number>();
  const planned: PlannedScene[] = [];
  const sceneIndex = new Map<PlannedScene, number>();
  const sceneOf = (scene: PlannedScene): number => {
    let index = sceneIndex.get(scene);
    if (index === undefined) {
      index = planned.length;
      planned.push(scene);
      sceneIndex.set(scene, index);
    }
    return index;
  };
  const view = (source: SourceView): PlanView => {
    let track = trackIndex.get(source.trackId);
    if (track === undefined) {
      track = tracks.length;
      tracks.push(planTrack(source, dataset));
      trackIndex.set(source.trackId, track);
    }
    return {
      name: source.name,
      viewId: source.viewId,
      syncOffsetFrames: source.syncOffsetFrames,
      timeScale: source.timeScale ?? 1,
      frameCount: source.frameCount,
      track,
    };
  };
  const pairSources =
    step === 1
      ? plan.pairSources.map((pair) => ({
          scene: sceneOf(pair.scene),
          ego: pair.scene.egoViews.indexOf(pair.ego),
          exo: pair.scene.exoViews.indexOf(pair.exo),
        }))
      : [];
  const groupScenes = step === 2 ? plan.groupScenes.map(sceneOf) : [];
  const scenes: PlanScene[] = planned.map((scene) => ({
    dataset: dataset.name,
    sceneId: scene.source.sceneId,
    name: scene.source.name,
    pairOnly: scene.source.pairOnly === true,
    start: scene.start,
    windows: scene.windows,
    ego: scene.egoViews.map(view),
    exo: scene.exoViews.map(view),
  }));
  const { window, stride, scaleMin, scaleMax, resample, clipsPerSet } = plan.settings.sampling;
  return {
    format: samplingPlanFormat,
    version: 1,
    step,
    seed: options.seed,
    sampling: { window, stride, scaleMin, scaleMax, resample, clipsPerSet },
    batchSize: step === 1 ? plan.settings.batchPairs : plan.settings.batchGroups,
    batchesPerEpoch: options.batchesPerEpoch,
    dim: plan.dim,
    scenes,
    pairSources,
    groupScenes,
    tracks,
  };
}

function planTrack(view: SourceView, dataset: PlanDataset): PlanTrack {
  const location = dataset.locations.get(view.trackId);
  if (location === undefined) throw new Error(`track ${view.trackId} (view ${view.name}) has no known location`);
  const common = { dataset: dataset.name, trackId: view.trackId, frames: view.frameCount, dim: view.featureDim };
  if ('lmdb' in location) {
    return { ...common, lmdb: { environment: relativeTo(dataset.root, location.lmdb.environment), keyPrefix: location.lmdb.keyPrefix } };
  }
  const dtype = location.dtype ?? readNpyHeader(location.path).dtype;
  return { ...common, path: relativeTo(dataset.root, location.path), layout: location.layout, dtype };
}

/** `path` relative to `root`, with forward slashes (the job may run on another platform). */
function relativeTo(root: string, path: string): string {
  return relative(root, path).split(sep).join('/');
}
