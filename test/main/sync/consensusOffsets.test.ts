// The joint fit of a scene's offsets from pairwise shifts: exact data is reproduced, weights count, one wildly wrong
// pair is rejected instead of spread over every view (the demo's scene07 before the robust fit), and a view no pair
// reaches stays where it is.
import { describe, expect, it } from 'vitest';
import { leastSquaresShifts, pathMedianShifts, robustConsensusShifts, type PairShift } from '../../../main/sync/consensusOffsets';

const allPairs = (truth: number[], error: (i: number, j: number) => number = () => 0, sigma = 0.5): PairShift[] =>
  truth.flatMap((_, i) => truth.slice(i + 1).map((__, k) => ({ i, j: i + 1 + k, shift: truth[i + 1 + k]! - truth[i]! + error(i, i + 1 + k), sigma })));
const rounded = (xs: number[]) => xs.map((x) => Math.round(x * 1e6) / 1e6 + 0);

describe('leastSquaresShifts', () => {
  it('reproduces consistent pairwise shifts relative to the reference', () => {
    const truth = [0, 3, -2, 5];
    const pairs = allPairs(truth);
    expect(rounded(leastSquaresShifts(4, pairs, pairs.map(() => 1), 0))).toEqual(truth);
    expect(rounded(leastSquaresShifts(3, allPairs([4, 1, 6]), [1, 1, 1], 1))).toEqual([3, 0, 5]);
  });

  it('follows the heavier of two disagreeing measurements', () => {
    const pairs: PairShift[] = [
      { i: 0, j: 1, shift: 2, sigma: 1 },
      { i: 0, j: 1, shift: 4, sigma: 1 },
    ];
    expect(leastSquaresShifts(2, pairs, [9, 1], 0)[1]).toBeCloseTo(2.2, 9);
  });

  it('leaves a view without measurements at 0', () => {
    expect(leastSquaresShifts(3, [{ i: 0, j: 1, shift: 2, sigma: 1 }], [1], 0)).toEqual([0, 2, 0]);
  });
});

describe('robustConsensusShifts', () => {
  it('rejects one pair 17 frames off instead of moving every view by 1–2 frames', () => {
    const truth = [0, 2, -1, 4, 1, -3, 0, 5, -2, 3, 1, -4];
    const noisy = (i: number, j: number) => ((i * 7 + j * 3) % 5) * 0.1 - 0.2;
    const pairs = allPairs(truth, (i, j) => (i === 0 && j === 9 ? 17 : noisy(i, j)));
    const plain = leastSquaresShifts(12, pairs, pairs.map(() => 1), 0);
    expect(Math.max(...plain.map((x, v) => Math.abs(x - truth[v]!)))).toBeGreaterThan(1);
    const { shifts, pairWeights } = robustConsensusShifts(12, pairs, 0);
    expect(shifts.map(Math.round)).toEqual(truth);
    expect(Math.max(...shifts.map((x, v) => Math.abs(x - truth[v]!)))).toBeLessThan(0.25);
    expect(pairWeights[pairs.findIndex((p) => p.i === 0 && p.j === 9)]).toBe(0);
  });

  it('starts from two-step path medians that a single wrong pair cannot move', () => {
    const truth = [0, 2, -1, 4, 1];
    const guess = pathMedianShifts(5, allPairs(truth, (i, j) => (i === 0 && j === 1 ? 30 : 0)), 0);
    expect(rounded(guess)).toEqual(truth);
  });
});
