// Pure edits of a scene's action segments, the annotation editor's model. A list is sorted by start frame and
// every edit keeps it free of overlaps: mouse edits (create by dragging, resize) are clamped to the free space
// around them, typed edits that would overlap are refused with an error naming the segment in the way. Segments
// are half-open [startFrame, endFrame), as the catalog and the Assembly101 files store them.
import type { ApiArgs, SegmentInfo, SegmentSource } from '../../../../../contract/api';

type SavedSegment = ApiArgs<'saveSegments'>['segments'][number];

/** A segment in the editor: `key` identifies it across edits (the catalog's ids change on every save). */
export interface EditSegment {
  key: number;
  startFrame: number;
  endFrame: number;
  label: string;
  verb: string | null;
  object: string | null;
  source: SegmentSource;
}

export type SegmentList = readonly EditSegment[];

/** An edit that cannot be made (outside the scene, overlapping, nothing to merge with, ...). */
export class SegmentEditError extends Error {
  override name = 'SegmentEditError';
}

export interface LabelFields {
  label: string;
  verb: string | null;
  object: string | null;
}

export const describeSegment = (s: Pick<EditSegment, 'label' | 'startFrame' | 'endFrame'>) =>
  `“${s.label}” (frames ${s.startFrame}–${s.endFrame})`;

/** The editor's list for segments loaded from the catalog, keyed 1..n in timeline order. */
export function fromCatalog(segments: readonly SegmentInfo[]): EditSegment[] {
  return [...segments]
    .sort((a, b) => a.startFrame - b.startFrame || a.endFrame - b.endFrame)
    .map((s, i) => ({
      key: i + 1,
      startFrame: s.startFrame,
      endFrame: s.endFrame,
      label: s.label,
      verb: s.verb,
      object: s.object,
      source: s.source,
    }));
}

/** What saveSegments takes: the list without the editor's keys (absent verb/object left out, not null). */
export function toDrafts(list: SegmentList): SavedSegment[] {
  return list.map(({ startFrame, endFrame, label, verb, object, source }) => ({
    startFrame,
    endFrame,
    label,
    ...(verb === null ? {} : { verb }),
    ...(object === null ? {} : { object }),
    source,
  }));
}

export function nextKey(list: SegmentList): number {
  return list.reduce((max, s) => Math.max(max, s.key), 0) + 1;
}

export function indexOfKey(list: SegmentList, key: number): number {
  const index = list.findIndex((s) => s.key === key);
  if (index < 0) throw new SegmentEditError(`no segment with key ${key} in this scene`);
  return index;
}

/** The segment covering `frame`, if any. */
export function segmentAt(list: SegmentList, frame: number): EditSegment | undefined {
  return list.find((s) => s.startFrame <= frame && frame < s.endFrame);
}

/** The free frames [start, end) around `frame` (which must not be inside a segment), within [0, totalFrames). */
export function gapAround(list: SegmentList, frame: number, totalFrames: number): { start: number; end: number } {
  const inside = segmentAt(list, frame);
  if (inside) throw new SegmentEditError(`frame ${frame} is inside ${describeSegment(inside)}`);
  let start = 0;
  let end = totalFrames;
  for (const s of list) {
    if (s.endFrame <= frame) start = Math.max(start, s.endFrame);
    else if (s.startFrame > frame) end = Math.min(end, s.startFrame);
  }
  return { start, end };
}

function sorted(list: EditSegment[]): EditSegment[] {
  return list.sort((a, b) => a.startFrame - b.startFrame || a.endFrame - b.endFrame);
}

function checkFrames(startFrame: number, endFrame: number, totalFrames: number): void {
  if (!Number.isInteger(startFrame) || !Number.isInteger(endFrame)) {
    throw new SegmentEditError(`expected whole frame numbers, got ${startFrame}–${endFrame}`);
  }
  if (startFrame < 0) throw new SegmentEditError(`expected the start frame >= 0, got ${startFrame}`);
  if (endFrame > totalFrames) throw new SegmentEditError(`expected the end frame <= ${totalFrames} (the scene's length), got ${endFrame}`);
  if (endFrame <= startFrame) throw new SegmentEditError(`expected the end frame after the start frame ${startFrame}, got ${endFrame}`);
}

function checkNoOverlap(list: SegmentList, key: number | null, startFrame: number, endFrame: number): void {
  const other = list.find((s) => s.key !== key && s.startFrame < endFrame && startFrame < s.endFrame);
  if (other) throw new SegmentEditError(`frames ${startFrame}–${endFrame} would overlap ${describeSegment(other)}`);
}

/**
 * A new segment from a drag or from marked start and end frames (in either order): clamped to the free space
 * around `anchor`, the frame where the drag began. Returns the list and the new segment's key.
 */
export function createSegment(
  list: SegmentList,
  anchor: number,
  other: number,
  fields: LabelFields,
  totalFrames: number,
): { list: EditSegment[]; key: number } {
  const first = Math.max(0, Math.min(Math.floor(anchor), totalFrames - 1));
  const gap = gapAround(list, first, totalFrames);
  const low = Math.min(first, Math.floor(other));
  const high = Math.max(first + 1, Math.ceil(other));
  const startFrame = Math.max(gap.start, low);
  const endFrame = Math.min(gap.end, high);
  checkFrames(startFrame, endFrame, totalFrames);
  const key = nextKey(list);
  const created: EditSegment = { key, startFrame, endFrame, ...fields, source: 'manual' };
  return { list: sorted([...list, created]), key };
}

/**
 * Moves one edge of a segment to `frame` (a mouse drag): clamped so the segment keeps at least one frame and
 * does not run into its neighbours or out of the scene.
 */
export function resizeEdge(list: SegmentList, key: number, edge: 'start' | 'end', frame: number, totalFrames: number): EditSegment[] {
  const index = indexOfKey(list, key);
  const segment = list[index]!;
  const previous = list[index - 1];
  const next = list[index + 1];
  const target = Math.round(frame);
  let { startFrame, endFrame } = segment;
  if (edge === 'start') {
    // A neighbour that already overlaps (imported data) limits the edge no further than where it is.
    const lowest = Math.min(segment.startFrame, previous ? previous.endFrame : 0);
    startFrame = Math.max(lowest, Math.min(target, endFrame - 1));
  } else {
    const highest = Math.max(segment.endFrame, next ? next.startFrame : totalFrames);
    endFrame = Math.min(highest, Math.max(target, startFrame + 1));
  }
  if (startFrame === segment.startFrame && endFrame === segment.endFrame) return [...list];
  return sorted(list.map((s) => (s.key === key ? { ...s, startFrame, endFrame, source: 'manual' } : s)));
}

export interface EdgeDrag {
  list: EditSegment[];
  /** The neighbour the edge stopped at, when the drag asked for more (null when it went where asked). */
  stoppedAt: EditSegment | null;
  /** Whether the neighbour's touching edge moved along (the shared boundary moved). */
  movedBoundary: boolean;
}

/**
 * A mouse drag of one edge to `frame`. Where the segment touches its neighbour on that side (dense labelling,
 * `boundary` mode), the shared boundary moves: both segments change and each keeps at least one frame. Otherwise
 * the edge moves alone and snaps to the neighbour's edge when dragged into it; `stoppedAt` then names the neighbour,
 * so the editor can say why the edge went no further.
 */
export function dragEdge(
  list: SegmentList,
  key: number,
  edge: 'start' | 'end',
  frame: number,
  totalFrames: number,
  mode: 'boundary' | 'edge',
): EdgeDrag {
  const index = indexOfKey(list, key);
  const segment = list[index]!;
  const neighbour = edge === 'start' ? list[index - 1] : list[index + 1];
  const target = Math.round(frame);
  const touching = neighbour !== undefined && (edge === 'start' ? neighbour.endFrame === segment.startFrame : neighbour.startFrame === segment.endFrame);
  if (mode === 'boundary' && touching) {
    const boundary =
      edge === 'start'
        ? Math.max(neighbour.startFrame + 1, Math.min(target, segment.endFrame - 1))
        : Math.max(segment.startFrame + 1, Math.min(target, neighbour.endFrame - 1));
    const moved = list.map((s) => {
      if (s.key === segment.key) return edge === 'start' ? { ...s, startFrame: boundary } : { ...s, endFrame: boundary };
      if (s.key === neighbour.key) return edge === 'start' ? { ...s, endFrame: boundary } : { ...s, startFrame: boundary };
      return s;
    });
    const changed = boundary !== (edge === 'start' ? segment.startFrame : segment.endFrame);
    return {
      list: changed ? sorted(moved.map((s) => (s.key === segment.key || s.key === neighbour.key ? { ...s, source: 'manual' as const } : s))) : [...list],
      stoppedAt: null,
      movedBoundary: changed,
    };
  }
  const resized = resizeEdge(list, key, edge, frame, totalFrames);
  const blocked =
    neighbour !== undefined && (edge === 'start' ? target < neighbour.endFrame && neighbour.endFrame <= segment.startFrame : target > neighbour.startFrame && neighbour.startFrame >= segment.endFrame);
  return { list: resized, stoppedAt: blocked ? neighbour : null, movedBoundary: false };
}

/** The frames [start, end) of the scene that no segment covers, in order. */
export function gapsOf(list: SegmentList, totalFrames: number): { start: number; end: number }[] {
  const gaps: { start: number; end: number }[] = [];
  let covered = 0;
  for (const s of [...list].sort((a, b) => a.startFrame - b.startFrame)) {
    if (s.startFrame > covered) gaps.push({ start: covered, end: Math.min(s.startFrame, totalFrames) });
    covered = Math.max(covered, s.endFrame);
  }
  if (covered < totalFrames) gaps.push({ start: covered, end: totalFrames });
  return gaps.filter((gap) => gap.end > gap.start);
}

/** Covers every gap with a segment of `fields` (e.g. an "unlabeled" class), so every frame has a label. */
export function fillGaps(list: SegmentList, fields: LabelFields, totalFrames: number): EditSegment[] {
  if (fields.label.trim() === '') throw new SegmentEditError('expected a label for the gaps, got an empty one');
  const gaps = gapsOf(list, totalFrames);
  if (gaps.length === 0) throw new SegmentEditError('there are no gaps to fill: every frame is in a segment');
  let key = nextKey(list);
  const fillers: EditSegment[] = gaps.map((gap) => ({ key: key++, startFrame: gap.start, endFrame: gap.end, ...fields, source: 'manual' }));
  return sorted([...list, ...fillers]);
}

/** Typed changes to one segment (frames, label, verb, object); refused when they overlap another segment. */
export function updateSegment(
  list: SegmentList,
  key: number,
  changes: Partial<Pick<EditSegment, 'startFrame' | 'endFrame' | 'label' | 'verb' | 'object'>>,
  totalFrames: number,
): EditSegment[] {
  const segment = list[indexOfKey(list, key)]!;
  const updated: EditSegment = { ...segment, ...changes, source: 'manual' };
  if (updated.label.trim() === '') throw new SegmentEditError('expected a label, got an empty one');
  if (updated.startFrame !== segment.startFrame || updated.endFrame !== segment.endFrame) {
    checkFrames(updated.startFrame, updated.endFrame, totalFrames);
    checkNoOverlap(list, key, updated.startFrame, updated.endFrame);
  }
  return sorted(list.map((s) => (s.key === key ? updated : s)));
}

/** Cuts a segment in two at `frame` (which must lie strictly inside it); both halves keep its label. */
export function splitAt(list: SegmentList, key: number, frame: number): { list: EditSegment[]; key: number } {
  const segment = list[indexOfKey(list, key)]!;
  const at = Math.round(frame);
  if (at <= segment.startFrame || at >= segment.endFrame) {
    throw new SegmentEditError(`the split point must lie inside ${describeSegment(segment)}, got frame ${at}`);
  }
  const secondKey = nextKey(list);
  const first: EditSegment = { ...segment, endFrame: at, source: 'manual' };
  const second: EditSegment = { ...segment, key: secondKey, startFrame: at, source: 'manual' };
  return { list: sorted(list.flatMap((s) => (s.key === key ? [first, second] : [s]))), key: secondKey };
}

/**
 * Joins a segment with the next one in time: the result spans from its start to the next one's end (a gap
 * between them is covered too) and keeps the first segment's label.
 */
export function mergeWithNext(list: SegmentList, key: number): EditSegment[] {
  const index = indexOfKey(list, key);
  const segment = list[index]!;
  const next = list[index + 1];
  if (!next) throw new SegmentEditError(`${describeSegment(segment)} is the last segment: there is no next one to merge with`);
  const merged: EditSegment = { ...segment, endFrame: Math.max(segment.endFrame, next.endFrame), source: 'manual' };
  return list.filter((s) => s.key !== next.key).map((s) => (s.key === key ? merged : s));
}

export function removeSegment(list: SegmentList, key: number): EditSegment[] {
  indexOfKey(list, key);
  return list.filter((s) => s.key !== key);
}

/** The segment before or after the one with `key` (or the first/last when nothing is selected). */
export function neighbourKey(list: SegmentList, key: number | null, direction: -1 | 1): number | null {
  if (list.length === 0) return null;
  if (key === null) return (direction === 1 ? list[0] : list[list.length - 1])!.key;
  const index = list.findIndex((s) => s.key === key);
  const target = list[Math.max(0, Math.min(list.length - 1, index + direction))];
  return target ? target.key : null;
}
