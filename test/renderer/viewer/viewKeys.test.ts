// View keys: 1–9 and 0 reach views 1–10; "." and "," step through every view, wrapping round.
import { describe, expect, it } from 'vitest';
import { steppedView, viewKey, viewNumberOfKey } from '../../../renderer/src/screens/scene/viewer/viewKeys';

describe('view keys', () => {
  it('maps the digits to views 1–10, 0 being view 10', () => {
    expect([1, 9, 10, 11].map(viewKey)).toEqual(['1', '9', '0', null]);
    expect(['1', '9', '0', 'a'].map(viewNumberOfKey)).toEqual([1, 9, 10, null]);
  });

  it('steps to every view of a 12-view scene, wrapping round', () => {
    expect(steppedView(12, null, 1)).toBe(0);
    expect(steppedView(12, null, -1)).toBe(11);
    expect(steppedView(12, 10, 1)).toBe(11);
    expect(steppedView(12, 11, 1)).toBe(0);
    expect(steppedView(12, 0, -1)).toBe(11);
    expect(steppedView(0, null, 1)).toBeNull();
  });
});
