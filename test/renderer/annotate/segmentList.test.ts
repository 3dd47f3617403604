import { describe, expect, it } from 'vitest';
import {
  createSegment,
  dragEdge,
  fillGaps,
  fromCatalog,
  gapAround,
  gapsOf,
  mergeWithNext,
  neighbourKey,
  removeSegment,
  resizeEdge,
  SegmentEditError,
  splitAt,
  toDrafts,
  updateSegment,
  type EditSegment,
} from '../../../renderer/src/screens/scene/annotate/segmentList';

const label = { label: 'take wheel', verb: 'take', object: 'wheel' };
const seg = (key: number, startFrame: number, endFrame: number, name = `a${key}`): EditSegment => ({
  key,
  startFrame,
  endFrame,
  label: name,
  verb: null,
  object: null,
  source: 'imported',
});
const frames = (list: readonly EditSegment[]) => list.map((s) => [s.startFrame, s.endFrame]);
const overlapFree = (list: readonly EditSegment[]) => list.every((s, i) => i === 0 || list[i - 1]!.endFrame <= s.startFrame);

describe('segment list edits', () => {
  const list = [seg(1, 10, 20), seg(2, 30, 40), seg(3, 50, 60)];

  it('loads catalog segments in timeline order with fresh keys, and saves them without keys or null fields', () => {
    const loaded = fromCatalog([
      { id: 7, startFrame: 30, endFrame: 40, label: 'b', verb: null, object: null, source: 'manual' },
      { id: 9, startFrame: 0, endFrame: 5, label: 'a', verb: 'take', object: 'wheel', source: 'imported' },
    ]);
    expect(loaded.map((s) => [s.key, s.label])).toEqual([[1, 'a'], [2, 'b']]);
    expect(toDrafts(loaded)).toEqual([
      { startFrame: 0, endFrame: 5, label: 'a', verb: 'take', object: 'wheel', source: 'imported' },
      { startFrame: 30, endFrame: 40, label: 'b', source: 'manual' },
    ]);
  });

  it('creates a segment clamped to the free space around where the drag began, in either direction', () => {
    const forward = createSegment(list, 22, 45, label, 100);
    expect(frames(forward.list)).toEqual([[10, 20], [22, 30], [30, 40], [50, 60]]);
    expect(forward.list.find((s) => s.key === forward.key)).toMatchObject({ ...label, source: 'manual' });
    const backward = createSegment(list, 45, 2, label, 100);
    expect(frames(backward.list)).toContainEqual([40, 46]);
    expect(overlapFree(backward.list)).toBe(true);
    expect(frames(createSegment([], 99, 150, label, 100).list)).toEqual([[99, 100]]);
  });

  it('refuses to create a segment starting inside another', () => {
    expect(() => createSegment(list, 15, 25, label, 100)).toThrow(SegmentEditError);
    expect(() => gapAround(list, 35, 100)).toThrow(/frame 35 is inside “a2” \(frames 30–40\)/);
  });

  it('resizes an edge up to the neighbours and keeps at least one frame', () => {
    expect(frames(resizeEdge(list, 2, 'start', 5, 100))).toEqual([[10, 20], [20, 40], [50, 60]]);
    expect(frames(resizeEdge(list, 2, 'end', 99, 100))).toEqual([[10, 20], [30, 50], [50, 60]]);
    expect(frames(resizeEdge(list, 2, 'end', 12, 100))).toEqual([[10, 20], [30, 31], [50, 60]]);
    expect(frames(resizeEdge(list, 3, 'end', 500, 100))).toEqual([[10, 20], [30, 40], [50, 100]]);
    expect(resizeEdge(list, 2, 'start', 25, 100).find((s) => s.key === 2)?.source).toBe('manual');
  });

  it('moves an edge shared with the neighbour together with it, each keeping a frame', () => {
    const list = [seg(1, 0, 10), seg(2, 10, 20), seg(3, 25, 30)];
    const rolled = dragEdge(list, 1, 'end', 14, 30, 'boundary');
    expect(frames(rolled.list)).toEqual([[0, 14], [14, 20], [25, 30]]);
    expect(rolled).toMatchObject({ stoppedAt: null, movedBoundary: true });
    expect(rolled.list.slice(0, 2).every((s) => s.source === 'manual')).toBe(true);
    expect(frames(dragEdge(list, 2, 'start', 0, 30, 'boundary').list)).toEqual([[0, 1], [1, 20], [25, 30]]);
    expect(frames(dragEdge(list, 1, 'end', 99, 30, 'boundary').list)).toEqual([[0, 19], [19, 20], [25, 30]]);
  });

  it('stops a lone edge at its neighbour and names the neighbour; a free edge goes where asked', () => {
    const list = [seg(1, 0, 10), seg(2, 10, 20), seg(3, 25, 30)];
    const stopped = dragEdge(list, 1, 'end', 14, 30, 'edge');
    expect(frames(stopped.list)).toEqual(frames(list));
    expect(stopped.stoppedAt?.key).toBe(2);
    const snapped = dragEdge(list, 2, 'end', 28, 30, 'boundary');
    expect(frames(snapped.list)).toEqual([[0, 10], [10, 25], [25, 30]]);
    expect(snapped.stoppedAt?.key).toBe(3);
    const free = dragEdge(list, 2, 'end', 23, 30, 'boundary');
    expect(frames(free.list)).toEqual([[0, 10], [10, 23], [25, 30]]);
    expect(free.stoppedAt).toBeNull();
  });

  it('finds the gaps, the scene’s start and end included, and fills each with one segment', () => {
    const list = [seg(1, 5, 10), seg(2, 10, 20), seg(3, 25, 30)];
    expect(gapsOf(list, 40)).toEqual([{ start: 0, end: 5 }, { start: 20, end: 25 }, { start: 30, end: 40 }]);
    expect(gapsOf([seg(1, 0, 40)], 40)).toEqual([]);
    const filled = fillGaps(list, { label: 'unlabeled', verb: null, object: null }, 40);
    expect(frames(filled)).toEqual([[0, 5], [5, 10], [10, 20], [20, 25], [25, 30], [30, 40]]);
    expect(filled.filter((s) => s.label === 'unlabeled')).toHaveLength(3);
    expect(overlapFree(filled)).toBe(true);
    expect(() => fillGaps(filled, { label: 'unlabeled', verb: null, object: null }, 40)).toThrow('there are no gaps to fill');
  });

  it('does not make an existing overlap worse when resizing', () => {
    const overlapping = [seg(1, 10, 35), seg(2, 30, 40)];
    expect(frames(resizeEdge(overlapping, 2, 'start', 0, 100))).toEqual([[10, 35], [30, 40]]);
  });

  it('refuses typed frames that overlap another segment or leave the scene, naming the problem', () => {
    expect(() => updateSegment(list, 2, { startFrame: 15 }, 100)).toThrow(/frames 15–40 would overlap “a1” \(frames 10–20\)/);
    expect(() => updateSegment(list, 2, { endFrame: 30 }, 100)).toThrow(/expected the end frame after the start frame 30, got 30/);
    expect(() => updateSegment(list, 3, { endFrame: 101 }, 100)).toThrow(/<= 100/);
    expect(() => updateSegment(list, 3, { label: ' ' }, 100)).toThrow(/empty/);
    expect(frames(updateSegment(list, 1, { startFrame: 62, endFrame: 70 }, 100))).toEqual([[30, 40], [50, 60], [62, 70]]);
  });

  it('splits inside a segment only, both halves keeping the label', () => {
    const { list: split, key } = splitAt(list, 2, 34);
    expect(frames(split)).toEqual([[10, 20], [30, 34], [34, 40], [50, 60]]);
    expect(split.filter((s) => s.label === 'a2')).toHaveLength(2);
    expect(split.find((s) => s.key === key)?.startFrame).toBe(34);
    expect(() => splitAt(list, 2, 30)).toThrow(/must lie inside “a2” \(frames 30–40\), got frame 30/);
    expect(() => splitAt(list, 2, 40)).toThrow(SegmentEditError);
  });

  it('merges with the next segment across the gap, keeping the first label; the last has nothing to merge with', () => {
    const merged = mergeWithNext(list, 1);
    expect(frames(merged)).toEqual([[10, 40], [50, 60]]);
    expect(merged[0]).toMatchObject({ key: 1, label: 'a1', source: 'manual' });
    expect(() => mergeWithNext(list, 3)).toThrow(/is the last segment/);
  });

  it('deletes a segment and refuses an unknown key', () => {
    expect(frames(removeSegment(list, 2))).toEqual([[10, 20], [50, 60]]);
    expect(() => removeSegment(list, 9)).toThrow(/no segment with key 9/);
  });

  it('steps the selection to neighbours, stopping at the ends', () => {
    expect(neighbourKey(list, null, 1)).toBe(1);
    expect(neighbourKey(list, null, -1)).toBe(3);
    expect(neighbourKey(list, 2, 1)).toBe(3);
    expect(neighbourKey(list, 3, 1)).toBe(3);
    expect(neighbourKey([], null, 1)).toBeNull();
  });

  it('keeps any sequence of mouse edits free of overlaps', () => {
    let current: EditSegment[] = [];
    let seed = 7;
    const random = (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
    for (let i = 0; i < 300; i++) {
      const at = random(200);
      const inside = current.find((s) => s.startFrame <= at && at < s.endFrame);
      if (!inside) current = createSegment(current, at, random(200), label, 200).list;
      else if (random(2) === 0) current = resizeEdge(current, inside.key, random(2) ? 'start' : 'end', random(200), 200);
      else if (at > inside.startFrame) current = splitAt(current, inside.key, at).list;
      expect(overlapFree(current)).toBe(true);
      expect(current.every((s) => s.startFrame >= 0 && s.endFrame <= 200 && s.endFrame > s.startFrame)).toBe(true);
    }
  });
});
