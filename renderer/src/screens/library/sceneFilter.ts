// The Library's scene filter: words searched in the scene's name, its split, and whether it has annotations.
import type { SceneSummary } from '../../../../contract/api';

export type SplitFilter = 'all' | 'train' | 'val' | 'test' | 'none';
export type AnnotationFilter = 'all' | 'annotated' | 'unannotated';

export interface SceneFilter {
  /** Every whitespace-separated word must occur in the scene's name (case-insensitive). */
  search: string;
  split: SplitFilter;
  annotations: AnnotationFilter;
}

export const noSceneFilter: SceneFilter = { search: '', split: 'all', annotations: 'all' };

export function filterScenes(scenes: readonly SceneSummary[], filter: SceneFilter): SceneSummary[] {
  const words = filter.search.toLowerCase().split(/\s+/).filter((w) => w !== '');
  return scenes.filter((scene) => {
    const name = scene.name.toLowerCase();
    if (!words.every((word) => name.includes(word))) return false;
    if (filter.split !== 'all' && (scene.split ?? 'none') !== filter.split) return false;
    if (filter.annotations === 'annotated' && scene.segmentCount === 0) return false;
    if (filter.annotations === 'unannotated' && scene.segmentCount > 0) return false;
    return true;
  });
}

/** "1:05" / "12.5 s" for a duration in seconds. */
export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const whole = Math.round(seconds);
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, '0')}`;
}
