// The sync heat map's pure parts: the colour scale, the similarity range, where an offset's row is, the marks taken
// from the scene's estimate, the cell under the pointer and its readout.
import { describe, expect, it } from 'vitest';
import type { SyncProfile, SyncSuggestion } from '../../../contract/api';
import { cellAt, describeCell, exoOffsetFor, offsetRow, pairMarks, similarityColor, similarityRange } from '../../../renderer/src/screens/scene/sync/syncStrip';

const suggestion = (viewId: number, currentOffset: number, suggestedOffset: number): SyncSuggestion => ({
  viewId,
  viewName: viewId === 1 ? 'e1' : 'v1',
  currentOffset,
  suggestedOffset,
  estimatedOffset: suggestedOffset,
  confidence: 0.9,
  currentConfidence: 0.1,
});

/** A pair e1 (view 1, at 4, suggested 5) / v1 (view 2, at 10, suggested 7), shifts −2…2, three bins. */
const profile: SyncProfile = {
  egoViewId: 1,
  exoViewId: 2,
  offsets: [-2, -1, 0, 1, 2],
  binFrames: [15, 45, 75],
  similarity: [[0, 0, 0], [0.1, 0.2, 0.3], [0.5, 0.25, 0.125], [0, 0, 0], [0, 0, 0]],
  meanByOffset: [0, 0.2, 0.3, 0, 0],
  estimate: { sceneId: 1, maxOffset: 2, reference: { viewId: 1, viewName: 'e1', offset: 4 }, suggestions: [suggestion(1, 4, 5), suggestion(2, 10, 7)] },
  source: 'features',
};

describe('pairMarks and exoOffsetFor', () => {
  it('marks where the pair stands now and where the estimate puts it, relative to the profile’s offsets', () => {
    const at = (offsets: Record<number, number>) => (id: number) => offsets[id]!;
    // Suggested: v1 moves −3 and e1 +1, so the pair moves −4 relative to each other.
    expect(pairMarks(profile, at({ 1: 4, 2: 10 }))).toEqual({ current: 0, suggested: -4 });
    expect(pairMarks(profile, at({ 1: 4, 2: 11 }))).toEqual({ current: 1, suggested: -4 });
    expect(pairMarks(profile, at({ 1: 5, 2: 10 }))).toEqual({ current: -1, suggested: -4 });
    expect(exoOffsetFor(profile, 2, at({ 1: 4, 2: 10 }))).toBe(12);
    expect(exoOffsetFor(profile, 2, at({ 1: 5, 2: 10 }))).toBe(13);
  });
});

describe('cellAt and describeCell', () => {
  it('finds the cell under the pointer, the largest offset on the top row', () => {
    expect(cellAt(profile, 0, 0)).toEqual({ offsetIndex: 4, bin: 0 });
    expect(cellAt(profile, 0.5, 0.5)).toEqual({ offsetIndex: 2, bin: 1 });
    expect(cellAt(profile, 0.99, 0.99)).toEqual({ offsetIndex: 0, bin: 2 });
    expect(cellAt(profile, 1, 0.5)).toBeNull();
    expect(cellAt(profile, -0.1, 0.5)).toBeNull();
  });

  it('says the offset, the time and the similarity of a cell', () => {
    expect(describeCell(profile, { offsetIndex: 2, bin: 1 }, 'v1', 10, 15)).toBe('v1 at +10 (shift 0) · 0:03 +00f · similarity 0.250 (mean 0.300)');
  });
});

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
