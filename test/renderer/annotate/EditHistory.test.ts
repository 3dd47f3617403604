import { describe, expect, it } from 'vitest';
import { EditHistory } from '../../../renderer/src/screens/scene/annotate/EditHistory';

describe('edit history', () => {
  it('undoes and redoes commands in order, naming them', () => {
    const history = new EditHistory<string>('a');
    history.apply('ab', 'add b');
    history.apply('abc', 'add c');
    expect(history.undoDescription).toBe('add c');
    expect(history.undo()).toBe('ab');
    expect(history.undo()).toBe('a');
    expect(history.undo()).toBeNull();
    expect(history.present).toBe('a');
    expect(history.redoDescription).toBe('add b');
    expect(history.redo()).toBe('ab');
    expect(history.redo()).toBe('abc');
    expect(history.redo()).toBeNull();
  });

  it('drops what could be redone when a new command is applied', () => {
    const history = new EditHistory<number>(0);
    history.apply(1, 'one');
    history.apply(2, 'two');
    history.undo();
    history.apply(5, 'five');
    expect(history.canRedo).toBe(false);
    expect(history.undo()).toBe(1);
  });

  it('forgets the oldest commands beyond its limit, and everything on reset', () => {
    const history = new EditHistory<number>(0, 2);
    for (let i = 1; i <= 4; i++) history.apply(i, `set ${i}`);
    expect(history.undo()).toBe(3);
    expect(history.undo()).toBe(2);
    expect(history.canUndo).toBe(false);
    history.reset(9);
    expect([history.present, history.canUndo, history.canRedo]).toEqual([9, false, false]);
    expect(() => new EditHistory(0, 0)).toThrow(/expected a history limit >= 1, got 0/);
  });
});
