// Undo and redo of offset changes, and typed offsets: changes come back in order, a new change drops the redo list,
// a failed save is forgotten, and typed text that is not a whole number of frames in range is refused in words.
import { describe, expect, it } from 'vitest';
import { describeChange, OffsetHistory } from '../../../renderer/src/lib/offsetHistory';
import { parseOffset } from '../../../renderer/src/lib/offsetInput';

const change = (to: number, from = 0) => ({ viewId: 1, viewName: 'v2', from, to });

describe('OffsetHistory', () => {
  it('undoes and redoes changes in order', () => {
    const history = new OffsetHistory();
    const first = change(3);
    const second = change(5, 3);
    history.record(first);
    history.record(second);
    expect(history.undo()).toBe(second);
    expect(history.undo()).toBe(first);
    expect(history.undo()).toBeNull();
    expect(history.redo()).toBe(first);
    expect(history.nextUndo).toBe(first);
    expect(history.nextRedo).toBe(second);
  });

  it('drops what could have been redone when a new change comes', () => {
    const history = new OffsetHistory();
    history.record(change(3));
    history.undo();
    history.record(change(-1));
    expect(history.nextRedo).toBeNull();
  });

  it('forgets a change whose save failed, and puts back one whose undo failed', () => {
    const history = new OffsetHistory();
    const kept = change(3);
    const failed = change(5, 3);
    history.record(kept);
    history.record(failed);
    history.forget(failed);
    expect(history.nextUndo).toBe(kept);
    const undone = history.undo()!;
    history.restore(undone, 'undo');
    expect(history.nextUndo).toBe(kept);
    expect(history.nextRedo).toBeNull();
  });

  it('keeps at most its limit of changes', () => {
    const history = new OffsetHistory(2);
    [1, 2, 3].forEach((to) => history.record(change(to)));
    expect(history.undo()!.to).toBe(3);
    expect(history.undo()!.to).toBe(2);
    expect(history.undo()).toBeNull();
  });

  it('describes a change as the view and its offsets before and after', () => {
    expect(describeChange(change(5, -3))).toBe('v2 -3 → +5');
  });
});

describe('parseOffset', () => {
  it('takes whole numbers of frames within the limit, signed or not, a typographic minus too', () => {
    expect(parseOffset(' 12 ', 100)).toEqual({ value: 12 });
    expect(parseOffset('+3', 100)).toEqual({ value: 3 });
    expect(parseOffset('−7', 100)).toEqual({ value: -7 });
    expect(parseOffset('-0', 100)).toEqual({ value: 0 });
    expect(parseOffset('1e2', 100)).toEqual({ value: 100 });
  });

  it.each([
    ['abc', /“abc” is not a number of frames/],
    ['0x10', /not a number of frames/],
    ['', /not a number of frames/],
    ['2.5', /2\.5 is not a whole number of frames/],
    ['1e9', /1e9 frames is out of range: at most ±100/],
    ['-101', /out of range/],
  ])('refuses %j in words', (text, message) => {
    const parsed = parseOffset(text, 100);
    expect('error' in parsed && parsed.error).toMatch(message);
  });
});
