// The sync strip's pure parts: the colour scale, the similarity range, and where an offset's row is.
import { describe, expect, it } from 'vitest';
import { offsetRow, similarityColor, similarityRange } from '../../../renderer/src/screens/scene/sync/syncStrip';

describe('similarityColor', () => {
  it('runs from viridis dark purple at the minimum to yellow at the maximum', () => {
    expect(similarityColor(-1, -1, 1)).toEqual([68, 1, 84]);
    expect(similarityColor(1, -1, 1)).toEqual([253, 231, 37]);
    expect(similarityColor(0, -1, 1)).toEqual([33, 145, 140]);
  });

  it('clamps values outside the range and shows a flat range in the middle colour', () => {
    expect(similarityColor(5, 0, 1)).toEqual([253, 231, 37]);
    expect(similarityColor(0.3, 0.3, 0.3)).toEqual([33, 145, 140]);
  });

  it('interpolates between stops', () => {
    const [r, g, b] = similarityColor(0.125, 0, 1);
    expect([r, g, b]).toEqual([64, 42, 112]);
  });
});

describe('similarityRange', () => {
  it('finds the smallest and largest value, and 0..0 for no values', () => {
    expect(similarityRange([[0.2, -0.4], [0.9, 0.1]])).toEqual({ min: -0.4, max: 0.9 });
    expect(similarityRange([])).toEqual({ min: 0, max: 0 });
  });
});

describe('offsetRow', () => {
  it('puts the largest offset on the top row and says null outside the candidates', () => {
    const offsets = [-2, -1, 0, 1, 2];
    expect(offsetRow(offsets, 2)).toBe(0);
    expect(offsetRow(offsets, -2)).toBe(4);
    expect(offsetRow(offsets, 0)).toBe(2);
    expect(offsetRow(offsets, 3)).toBeNull();
  });
});
