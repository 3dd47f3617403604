// How a number of the report reads wherever it is shown (HTML report, Results screen): mean ± std only with two
// or more seeds, a Δ signed with its tone at the shown precision, its significance, and N.
import { describe, expect, it } from 'vitest';
import type { DeltaStat } from '../../contract/report';
import { deltaSignificance, deltaText, deltaTone, formatNumber, seedsText, statText } from '../../contract/reportTables';

const delta = (mean: number | null, std: number | null, n: number, significant: boolean | null): DeltaStat => ({ mean, std, n, values: [], significant });

describe('report numbers as text', () => {
  it('formats at one decimal with a typographic minus, and a dash for a missing value', () => {
    expect(formatNumber(71.25)).toBe('71.3');
    expect(formatNumber(-2)).toBe('−2.0');
    expect(formatNumber(-0.04)).toBe('0.0');
    expect(formatNumber(null)).toBe('–');
    expect(formatNumber(Number.NaN)).toBe('–');
  });

  it('shows ± std only when two or more seeds gave a value', () => {
    expect(statText({ mean: 30, std: 1.41, n: 2, values: [29, 31] })).toEqual({ mean: '30.0', spread: '± 1.4' });
    expect(statText({ mean: 30, std: null, n: 1, values: [30] })).toEqual({ mean: '30.0', spread: null });
    expect(statText({ mean: null, std: null, n: 0, values: [null] })).toEqual({ mean: '–', spread: null });
  });

  it('signs a Δ and tones it at the shown precision', () => {
    expect(deltaText(delta(2.04, 0.5, 3, true))).toEqual({ mean: '+2.0', spread: '± 0.5' });
    expect(deltaText(delta(-1.26, null, 1, null))).toEqual({ mean: '−1.3', spread: null });
    expect(deltaText(delta(0.04, 0.1, 3, false))).toEqual({ mean: '0.0', spread: '± 0.1' });
    expect(deltaTone(delta(0.06, null, 1, null), false)).toBe('better');
    expect(deltaTone(delta(0.04, null, 1, null), false)).toBe('same');
    expect(deltaTone(delta(-0.06, null, 1, null), false)).toBe('worse');
    expect(deltaTone(delta(-3, null, 1, null), true)).toBe('better');
    expect(deltaTone(delta(null, null, 0, null), false)).toBe('same');
  });

  it('says whether a Δ is significant, not, or untested (one seed), and what N is', () => {
    expect(deltaSignificance(delta(5, 0.1, 3, true))).toBe('significant');
    expect(deltaSignificance(delta(0.5, 1, 3, false))).toBe('not-significant');
    expect(deltaSignificance(delta(0.5, null, 1, null))).toBe('untested');
    expect(seedsText([4, 5, 6])).toBe('N = 3 seeds (4, 5, 6)');
    expect(seedsText([4])).toBe('N = 1 (seed 4): no spread');
  });
});
