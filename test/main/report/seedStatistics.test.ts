// Statistics over seeds: mean ± sample std equal a direct computation, Student's t quantiles match the published
// table, and the paired significance rule marks a Δ just above its threshold significant and one just below not;
// one seed gives no spread and marks nothing.
import { describe, expect, it } from 'vitest';
import {
  isSignificant,
  logGamma,
  pairedDelta,
  regularizedIncompleteBeta,
  sampleStd,
  seedStat,
  significanceRule,
  significanceThreshold,
  studentTCdf,
  studentTQuantile,
} from '../../../main/report/seedStatistics';

describe('seedStat', () => {
  it('is the mean and the n − 1 standard deviation of the seeds’ values, computed directly', () => {
    const values = [71.25, 68.5, 74.0, 70.1];
    const mean = (71.25 + 68.5 + 74.0 + 70.1) / 4;
    const std = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / 3);
    const stat = seedStat(values);
    expect(stat.mean).toBeCloseTo(mean, 12);
    expect(stat.std).toBeCloseTo(std, 12);
    expect(stat).toMatchObject({ n: 4, values });
    // Not the population (n) deviation.
    expect(stat.std).not.toBeCloseTo(Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / 4), 6);
  });

  it('leaves out seeds without a value and keeps their place', () => {
    expect(seedStat([10, null, 14, Number.NaN])).toEqual({ mean: 12, std: Math.sqrt(8), n: 2, values: [10, null, 14, null] });
    expect(seedStat([null, null])).toEqual({ mean: null, std: null, n: 0, values: [null, null] });
  });

  it('has no spread for one seed', () => {
    expect(seedStat([42])).toEqual({ mean: 42, std: null, n: 1, values: [42] });
    expect(() => sampleStd([1])).toThrow('expected at least two values for a sample standard deviation, got 1');
  });
});

describe('Student t', () => {
  it('gives the published two-sided 95 % quantiles', () => {
    const table: [number, number][] = [[1, 12.706], [2, 4.303], [3, 3.182], [4, 2.776], [5, 2.571], [9, 2.262], [19, 2.093], [29, 2.045]];
    for (const [df, t] of table) expect(studentTQuantile(0.975, df)).toBeCloseTo(t, 3);
    expect(studentTQuantile(0.975, 1e6)).toBeCloseTo(1.96, 2);
    expect(studentTQuantile(0.025, 3)).toBeCloseTo(-3.182, 3);
  });

  it('has a CDF that is its quantile’s inverse, and the special functions agree with closed forms', () => {
    for (const df of [1, 2, 7]) for (const p of [0.6, 0.9, 0.975, 0.999]) expect(studentTCdf(studentTQuantile(p, df), df)).toBeCloseTo(p, 10);
    // df = 1 is the Cauchy distribution: F(t) = 1/2 + atan(t)/π.
    expect(studentTCdf(2, 1)).toBeCloseTo(0.5 + Math.atan(2) / Math.PI, 12);
    expect(logGamma(6)).toBeCloseTo(Math.log(120), 12);
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 12);
    // I_x(1, b) = 1 − (1 − x)^b.
    expect(regularizedIncompleteBeta(0.3, 1, 4)).toBeCloseTo(1 - 0.7 ** 4, 12);
  });
});

describe('the significance of a paired Δ', () => {
  // Three seeds whose differences have sd 1: the threshold is t(0.975, 2)/√3 ≈ 2.4842.
  const threshold = significanceThreshold(1, 3);

  it('is |mean Δ| > t(0.975, N − 1) · sd(Δ) / √N', () => {
    expect(threshold).toBeCloseTo(4.302653 / Math.sqrt(3), 5);
    expect(isSignificant({ mean: threshold + 1e-6, std: 1, n: 3 })).toBe(true);
    expect(isSignificant({ mean: threshold - 1e-6, std: 1, n: 3 })).toBe(false);
    expect(isSignificant({ mean: -(threshold + 1e-6), std: 1, n: 3 })).toBe(true);
    expect(isSignificant({ mean: threshold, std: 1, n: 3 })).toBe(false);
  });

  it('pairs the seeds: Δ per seed, then their statistics', () => {
    // Differences m − 1, m, m + 1 (sd 1) for a mean m just above and just below the threshold.
    const above = threshold + 0.001;
    const below = threshold - 0.001;
    const base = [50, 40, 60];
    const delta = (m: number) => pairedDelta(base, [50 + m - 1, 40 + m, 60 + m + 1]);
    expect(delta(above)).toMatchObject({ n: 3, significant: true });
    expect(delta(above).mean).toBeCloseTo(above, 9);
    expect(delta(above).std).toBeCloseTo(1, 9);
    expect(delta(below)).toMatchObject({ n: 3, significant: false });
    // The rows' own spread (base: 50, 40, 60) does not matter: only the differences do.
    expect(pairedDelta(base, [51, 41, 61])).toMatchObject({ mean: 1, std: 0, significant: true });
  });

  it('marks nothing with one seed, or where fewer than two seeds have both values', () => {
    expect(pairedDelta([30], [35])).toEqual({ mean: 5, std: null, n: 1, values: [5], significant: null });
    expect(pairedDelta([30, null, 31], [35, 36, null])).toMatchObject({ n: 1, significant: null, values: [5, null, null] });
    expect(pairedDelta([1, 1], [1, 1])).toMatchObject({ mean: 0, std: 0, significant: false });
    expect(() => pairedDelta([1, 2], [1])).toThrow('expected one value per seed in both rows, got 2 and 1');
  });

  it('is stated in words, with t for the run’s N', () => {
    expect(significanceRule([1, 2, 3])).toContain('|mean Δ| > t(0.975, N − 1) · sd(Δ) / √N (a paired two-sided t-test at 95 %; t = 4.303 for N = 3)');
    expect(significanceRule([7])).toMatch(/^N = 1: no spread/);
  });
});
