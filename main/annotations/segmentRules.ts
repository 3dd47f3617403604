// The rules a scene's segment list follows when the annotation editor or an annotation file replaces it: each
// segment is a half-open frame range [start, end) with start < end, inside the scene's frames when they are known,
// and segments do not overlap (the list is one timeline, as the TAS formats and the editor's single lane show it;
// an overlapping list, e.g. Assembly101's fine-grained segments imported as a dataset, must be made disjoint
// before it can be saved). A problem is reported with where it came from (an argument path or a file line).
import type { SceneDetail, SegmentSource } from '../../contract/api';
import { ArgumentError } from '../../contract/errors';

export interface CheckedSegment {
  startFrame: number;
  endFrame: number;
  label: string;
  verb: string | null;
  object: string | null;
  source: SegmentSource;
}

/** A segment with the place it came from, e.g. `arguments.segments[3]` or `text line 7`. */
export interface LocatedSegment {
  where: string;
  segment: CheckedSegment;
}

/** Frames of the scene: its longest feature track's; null when no track knows its frame count. */
export function sceneFrameCount(detail: SceneDetail): number | null {
  const counts = detail.views.map((view) => view.track?.frameCount).filter((n): n is number => typeof n === 'number');
  return counts.length > 0 ? Math.max(...counts) : null;
}

/** Throws ArgumentError naming the first segment that breaks a rule; returns the segments in timeline order. */
export function checkSegments(segments: readonly LocatedSegment[], frameCount: number | null): CheckedSegment[] {
  for (const { where, segment } of segments) {
    const { startFrame, endFrame } = segment;
    if (!Number.isInteger(startFrame) || startFrame < 0) {
      throw new ArgumentError(`${where}: expected startFrame to be an integer >= 0, got ${startFrame}`);
    }
    if (!Number.isInteger(endFrame) || endFrame <= startFrame) {
      throw new ArgumentError(`${where}: expected endFrame > startFrame (${startFrame}), got ${endFrame}`);
    }
    if (frameCount !== null && endFrame > frameCount) {
      throw new ArgumentError(`${where}: expected endFrame <= the scene's ${frameCount} frames, got ${endFrame}`);
    }
    if (segment.label.trim() === '') throw new ArgumentError(`${where}: expected a non-empty label`);
  }
  const ordered = [...segments].sort((a, b) => a.segment.startFrame - b.segment.startFrame || a.segment.endFrame - b.segment.endFrame);
  for (let i = 1; i < ordered.length; i++) {
    const previous = ordered[i - 1]!;
    const current = ordered[i]!;
    if (current.segment.startFrame < previous.segment.endFrame) {
      const range = (s: CheckedSegment) => `[${s.startFrame}, ${s.endFrame})`;
      throw new ArgumentError(
        `${current.where}: segment ${range(current.segment)} overlaps ${previous.where} ${range(previous.segment)}; segments must not overlap`,
      );
    }
  }
  return ordered.map((located) => located.segment);
}
