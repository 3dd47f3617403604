// Correlating view signals: a view that shows the same scene content under another basis, gain and noise peaks at
// its true shift; candidates are scored on the same scene frames; bins lie on the scene's time grid.
import { describe, expect, it } from 'vitest';
import { ArgumentError } from '../../../contract/errors';
import { correlatePair, meanByOffset, sharedSceneTimes, timeGrid, MIN_BIN_FRAMES } from '../../../main/sync/correlateViews';
import { bestIndex } from '../../../main/sync/pairPeak';
import { readViewSignal } from '../../../main/sync/viewSignals';
import { syntheticScene } from './syntheticScene';

const peakShift = (pair: ReturnType<typeof correlatePair>) => pair.offsets[bestIndex(pair.offsets, meanByOffset(pair))]!;

describe('correlatePair', () => {
  it('finds a view in another feature basis whose offset was set wrong at its true shift (structure)', () => {
    const source = syntheticScene({ frames: 600, dim: 12, offsets: [0, 9], noise: 0.3 });
    const reference = { signal: readViewSignal(source, 0), offset: 0 };
    const moving = { signal: readViewSignal(source, 1), offset: 9 - 4 };
    const pair = correlatePair(reference, moving, { range: 10, grid: timeGrid(0, 600, 6) });
    expect(pair.channel).toBe('structure');
    expect(peakShift(pair)).toBe(4);
    expect(pair.offsets).toHaveLength(21);
    expect(pair.similarity[0]).toHaveLength(6);
  });

  it('finds a view in the same basis of 128 features (randomly projected to 64) at its true shift (appearance)', () => {
    const source = syntheticScene({ frames: 400, dim: 128, offsets: [0, -6], noise: 0.3, sharedBasis: true });
    const signal = readViewSignal(source, 0);
    const pair = correlatePair({ signal, offset: 0 }, { signal: readViewSignal(source, 1), offset: -6 + 5 }, { range: 8, grid: timeGrid(0, 400) });
    expect(signal.dim).toBe(64);
    expect(pair.channel).toBe('appearance');
    expect(peakShift(pair)).toBe(-5);
  });

  it('weighs each grid bin by the frames the pair has in it, and leaves bins outside its overlap empty', () => {
    const source = syntheticScene({ frames: 200, dim: 8, offsets: [0, 0], noise: 0.3, sharedBasis: true });
    const a = { signal: readViewSignal(source, 0), offset: 0 };
    const b = { signal: readViewSignal(source, 1), offset: 0 };
    // The pair overlaps on scene frames [5, 195) at every shift of ±5; the grid runs over [-20, 220).
    const grid = [-20, 0, 100, 190, 220];
    const pair = correlatePair(a, b, { range: 5, grid });
    expect(pair.binWeights).toEqual([0, 95, 90, 5]);
    expect(pair.similarity.every((row) => row[0] === 0)).toBe(true);
  });

  it('refuses a range that leaves no overlap, naming maxOffset', () => {
    const signal = { frames: 20, dim: 1, reduced: new Float32Array(20), selfSimilarity: [] };
    const call = () => correlatePair({ signal, offset: 0 }, { signal, offset: 0 }, { range: 10, grid: timeGrid(0, 20) });
    expect(call).toThrow(ArgumentError);
    expect(call).toThrow(/maxOffset/);
  });
});

describe('sharedSceneTimes and timeGrid', () => {
  it('scores every candidate on the scene frames both views hold at every shift', () => {
    const signal = { frames: 100, dim: 1, reduced: new Float32Array(100), selfSimilarity: [] };
    expect(sharedSceneTimes({ signal, offset: 0 }, { signal, offset: 3 }, 5)).toEqual({ start: 2, end: 92 });
  });

  it('makes at most the asked bins, none shorter than MIN_BIN_FRAMES', () => {
    expect(timeGrid(0, 100, 4)).toEqual([0, 25, 50, 75, 100]);
    const short = timeGrid(10, 10 + 3 * MIN_BIN_FRAMES + 2, 32);
    expect(short).toHaveLength(4);
    expect(timeGrid(0, 3, 32)).toEqual([0, 3]);
  });
});
