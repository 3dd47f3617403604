// Which clips exist, before any feature is read: the scenes that take part (split and view filters), each
// scene's window start times, the step-1 pair sources (every ego × exo view combination of a multi-view scene,
// plus pair-only sources) and the step-2 group scenes, with a warning for everything left out and why.
//
// A scene's timestamps are shared by all its participating views (a choice: the same for every pair source of the
// scene and for its groups, so step 1 and step 2 see the same moments): t_i = start + i·stride, where start is the
// earliest scene time at which a window of the longest length (window·scaleMax) fits in every participating view
// after offsets, and the last t_i still fits. A source needs at least clipsPerSet timestamps, because a set holds
// clipsPerSet distinct timestamps of one source.
import { sceneTimestamps } from './clipWindow';
import { FeatureDimensionError, MissingViewsError } from './errors';
import { validateSamplerSettings, type SamplerSettings } from './settings';
import type { SceneSource, SceneSplit, SourceView } from './sources';

export interface PlannedScene {
  source: SceneSource;
  /** Participating ego views, by name. */
  egoViews: SourceView[];
  /** Participating exo views, by name. */
  exoViews: SourceView[];
  /** First window start (scene time). */
  start: number;
  /** Number of window starts: t_i = start + i·stride, i < windows. */
  windows: number;
}

export interface PairSource {
  scene: PlannedScene;
  ego: SourceView;
  exo: SourceView;
}

export interface SceneReport {
  sceneId: number;
  name: string;
  split: SceneSplit | null;
  windows: number;
  /** Step-1 sources made from the scene (M×N, or 1 for a pair-only source). */
  pairSources: number;
  /** Whether the scene's groups take part in step 2. */
  inGroups: boolean;
  /** Why the scene takes no part at all, or null. */
  skipped: string | null;
}

export interface SamplingPlan {
  settings: SamplerSettings;
  /** F shared by every participating track. */
  dim: number;
  pairSources: PairSource[];
  groupScenes: PlannedScene[];
  /** M and N of every step-2 group (0 when there are no group scenes). */
  egoPerGroup: number;
  exoPerGroup: number;
  scenes: SceneReport[];
  warnings: string[];
}

export function planSampling(sources: readonly SceneSource[], settings: SamplerSettings): SamplingPlan {
  validateSamplerSettings(settings);
  const { window, stride, scaleMax, clipsPerSet } = settings.sampling;
  const maxLength = window * scaleMax;
  const warnings: string[] = [];
  const reports: SceneReport[] = [];
  const viewFilter = settings.views === null ? null : new Set(settings.views);

  // A scene without a split (a dataset that ships none) counts as training data.
  const selected = sources.filter(
    (s) => settings.split === null || s.split === settings.split || (s.split === null && settings.split === 'train'),
  );
  const participating = selected.map((s) => s.views.filter((v) => viewFilter === null || viewFilter.has(v.name)));
  const filterText = settings.split === null ? '' : ` of split '${settings.split}'`;
  const viewText = settings.views === null ? '' : ` among views ${settings.views.join(', ')}`;
  for (const role of ['ego', 'exo'] as const) {
    if (selected.length > 0 && !participating.some((views) => views.some((v) => v.role === role))) {
      throw new MissingViewsError(`no ${role} views in the ${selected.length} scenes${filterText}${viewText}: EVGAP needs ego and exo views`);
    }
  }
  const dim = checkDimensions(selected, participating, settings.inputDim);

  const scenes: PlannedScene[] = [];
  const reportOf = new Map<PlannedScene, SceneReport>();
  for (const source of sources) {
    const report: SceneReport = { sceneId: source.sceneId, name: source.name, split: source.split, windows: 0, pairSources: 0, inGroups: false, skipped: null };
    reports.push(report);
    const chosen = selected.indexOf(source);
    if (chosen < 0) {
      report.skipped = `split ${source.split ?? 'none'}, not ${settings.split}`;
      continue;
    }
    const views = participating[chosen]!;
    const byName = (a: SourceView, b: SourceView) => a.name.localeCompare(b.name) || a.viewId - b.viewId;
    const egoViews = views.filter((v) => v.role === 'ego').sort(byName);
    const exoViews = views.filter((v) => v.role === 'exo').sort(byName);
    const skip = (reason: string) => {
      report.skipped = reason;
      warnings.push(`scene ${source.name} (#${source.sceneId}) left out: ${reason}`);
    };
    if (egoViews.length === 0 || exoViews.length === 0) {
      skip(`has ${egoViews.length} ego and ${exoViews.length} exo participating views, needs at least one of each`);
      continue;
    }
    if (source.pairOnly && (egoViews.length !== 1 || exoViews.length !== 1)) {
      skip(`a pair-only source needs exactly one ego and one exo view, has ${egoViews.length} and ${exoViews.length}`);
      continue;
    }
    const { start, count } = sceneTimestamps(views, maxLength, stride);
    report.windows = count;
    if (count === 0) {
      skip(`too short for one window of ${maxLength} frames in every view after sync offsets`);
      continue;
    }
    if (count < clipsPerSet) {
      skip(`has ${count} windows, fewer than clipsPerSet (${clipsPerSet}) distinct timestamps for one set`);
      continue;
    }
    report.pairSources = egoViews.length * exoViews.length;
    const scene: PlannedScene = { source, egoViews, exoViews, start, windows: count };
    scenes.push(scene);
    reportOf.set(scene, report);
  }

  const pairSources = scenes.flatMap((scene) => scene.egoViews.flatMap((ego) => scene.exoViews.map((exo) => ({ scene, ego, exo }))));
  const { groupScenes, egoPerGroup, exoPerGroup } = chooseGroupScenes(scenes, warnings);
  for (const scene of groupScenes) reportOf.get(scene)!.inGroups = true;
  return { settings, dim, pairSources, groupScenes, egoPerGroup, exoPerGroup, scenes: reports, warnings };
}

/** Every participating track's F must equal inputDim (or, without one, each other); returns that F. */
function checkDimensions(selected: readonly SceneSource[], participating: readonly SourceView[][], inputDim: number | null): number {
  let expected = inputDim;
  let firstSeen = 'inputDim';
  for (const [index, views] of participating.entries()) {
    for (const view of views) {
      const where = `scene ${selected[index]!.name} view ${view.name} (track ${view.trackId})`;
      if (expected === null) {
        expected = view.featureDim;
        firstSeen = where;
      } else if (view.featureDim !== expected) {
        throw new FeatureDimensionError(`${where}: expected features of dimension ${expected} (${firstSeen}), got ${view.featureDim}`);
      }
    }
  }
  return expected ?? 0;
}

/**
 * Step-2 batches are [B, M, w1, F] and [B, N, w1, F], so every group scene must have the same M and N: the most
 * common (M, N) among the multi-view scenes wins (ties: the larger M·N), the others are left out of step 2.
 */
function chooseGroupScenes(scenes: readonly PlannedScene[], warnings: string[]): { groupScenes: PlannedScene[]; egoPerGroup: number; exoPerGroup: number } {
  const multiView = scenes.filter((s) => !s.source.pairOnly);
  const tally = new Map<string, { m: number; n: number; count: number }>();
  for (const scene of multiView) {
    const key = `${scene.egoViews.length}x${scene.exoViews.length}`;
    const entry = tally.get(key) ?? { m: scene.egoViews.length, n: scene.exoViews.length, count: 0 };
    entry.count++;
    tally.set(key, entry);
  }
  const best = [...tally.values()].sort((a, b) => b.count - a.count || b.m * b.n - a.m * a.n)[0];
  if (!best) return { groupScenes: [], egoPerGroup: 0, exoPerGroup: 0 };
  const groupScenes: PlannedScene[] = [];
  for (const scene of multiView) {
    if (scene.egoViews.length === best.m && scene.exoViews.length === best.n) groupScenes.push(scene);
    else {
      warnings.push(
        `scene ${scene.source.name} (#${scene.source.sceneId}) left out of step 2: has ${scene.egoViews.length} ego and ${scene.exoViews.length} exo views, groups use ${best.m} and ${best.n}`,
      );
    }
  }
  return { groupScenes, egoPerGroup: best.m, exoPerGroup: best.n };
}
