// What clip sampling reads: plain descriptions of scenes and their views' feature tracks, independent of the
// catalog (an adapter from the API's SceneDetail is below). A multi-view scene's views are frame-synchronized
// through their sync offsets; a pair-only source (e.g. Charades-Ego) has one ego and one exo track that are not,
// and is aligned by rescaling time: scene time is the ego track's frames, and the exo track's timeScale is the
// ratio of the two lengths.
import type { Role, SceneDetail } from '../../../contract/api';

export type SceneSplit = 'train' | 'val' | 'test';

export interface SourceView {
  viewId: number;
  name: string;
  role: Role;
  /** Scene time t maps to this view's frame syncOffsetFrames + timeScale·t. */
  syncOffsetFrames: number;
  /** Frames of the view's feature track. */
  frameCount: number;
  /** F of the view's feature track. */
  featureDim: number;
  trackId: number;
  /** View frames per scene frame; 1 for synchronized views (the default). */
  timeScale?: number;
}

export interface SceneSource {
  sceneId: number;
  name: string;
  /** null: the dataset has no split for this scene. */
  split: SceneSplit | null;
  /** One ego and one exo view that are not frame-synchronized: used by step 1 (pairs) only. */
  pairOnly?: boolean;
  views: SourceView[];
}

/** The exo track's timeScale of a pair-only source: exo frames per ego frame, so both ends line up. */
export function pairOnlyTimeScale(egoFrames: number, exoFrames: number): number {
  if (!(egoFrames > 0) || !(exoFrames > 0)) {
    throw new RangeError(`expected positive frame counts for a pair-only source, got ego ${egoFrames} and exo ${exoFrames}`);
  }
  return exoFrames / egoFrames;
}

export interface SceneSourceOptions {
  /** Overrides the scene's own split (SceneDetail.scene.split) when given. */
  split?: SceneSplit | null;
  /** Treat the scene as a pair-only source and set the exo view's timeScale from the track lengths. */
  pairOnly?: boolean;
}

/**
 * A SceneSource from the API's SceneDetail. Views without a feature track (or with an unknown frame count or
 * dimension) cannot be sampled: they are left out and named in `warnings`.
 */
export function sceneSourceFromDetail(detail: SceneDetail, options: SceneSourceOptions = {}): { source: SceneSource; warnings: string[] } {
  const warnings: string[] = [];
  const views: SourceView[] = [];
  for (const view of detail.views) {
    const track = view.track;
    if (!track || track.featurePath === null || track.frameCount === null || track.featureDim === null) {
      warnings.push(`scene ${detail.scene.name}: view ${view.name} has no feature track with known frames and dimension; left out`);
      continue;
    }
    views.push({
      viewId: view.id,
      name: view.name,
      role: view.role,
      syncOffsetFrames: view.syncOffsetFrames,
      frameCount: track.frameCount,
      featureDim: track.featureDim,
      trackId: track.id,
    });
  }
  const source: SceneSource = { sceneId: detail.scene.id, name: detail.scene.name, split: options.split !== undefined ? options.split : detail.scene.split, views };
  if (options.pairOnly) {
    source.pairOnly = true;
    const ego = views.find((v) => v.role === 'ego');
    const exo = views.find((v) => v.role === 'exo');
    if (ego && exo) exo.timeScale = pairOnlyTimeScale(ego.frameCount, exo.frameCount);
  }
  return { source, warnings };
}
