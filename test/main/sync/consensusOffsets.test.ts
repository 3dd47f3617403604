// Least-squares offsets from pairwise shifts: exact data is reproduced, one bad pair is outvoted, the reference
// stays at 0 and an unconnected view is left where it is.
import { describe, expect, it } from 'vitest';
import { consensusShifts, type PairShift } from '../../../main/sync/consensusOffsets';

const allPairs = (truth: number[], error: (i: number, j: number) => number = () => 0): PairShift[] =>
  truth.flatMap((_, i) => truth.slice(i + 1).map((__, k) => ({ i, j: i + 1 + k, shift: truth[i + 1 + k]! - truth[i]! + error(i, i + 1 + k), weight: 1 })));

describe('consensusShifts', () => {
  it('reproduces consistent pairwise shifts relative to the reference', () => {
    const truth = [0, 3, -2, 5];
    expect(consensusShifts(4, allPairs(truth)).map((x) => Math.round(x * 1e9) / 1e9)).toEqual(truth);
  });

  it('fixes the given reference at 0', () => {
    const shifts = consensusShifts(3, allPairs([4, 1, 6]), 1);
    expect(shifts.map((x) => Math.round(x * 1e9) / 1e9)).toEqual([3, 0, 5]);
  });

  it('spreads one wrong pair over all views: view 1 is off by 2/n of the error instead of all of it', () => {
    const truth = [0, 2, -1, 4, 1, -3];
    const shifts = consensusShifts(6, allPairs(truth, (i, j) => (i === 0 && j === 1 ? 6 : 0)));
    // Least squares on the complete graph: the pair's endpoints move apart by 2/n of the error, the rest by 1/n.
    const errors = shifts.map((x, v) => x - truth[v]!);
    [0, 2, 1, 1, 1, 1].forEach((expected, v) => expect(errors[v]).toBeCloseTo(expected, 9));
  });

  it('leaves a view without measurements at 0', () => {
    expect(consensusShifts(3, [{ i: 0, j: 1, shift: 2, weight: 1 }])).toEqual([0, 2, 0]);
  });
});
