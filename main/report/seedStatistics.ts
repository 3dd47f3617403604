// Statistics of results repeated over seeds: mean ± sample standard deviation (n − 1), and the significance of a
// Δ between two rows measured with the same seeds, by a paired two-sided Student t-test at 95 %:
//   significant ⇔ |mean Δ| > t(0.975, n − 1) · sd(Δ) / √n
// where Δ are the per-seed differences (each seed trains both rows, so the rows are paired: the seed's share of
// the spread cancels, which an unpaired sqrt(std_a² + std_b²) would count twice). With fewer than two seeds
// there is no spread and nothing is marked. Student's t quantile is computed from the regularized incomplete
// beta function (Numerical Recipes, 3rd ed., §6.1 and §6.4: Lanczos log-gamma, Lentz's continued fraction).
import type { DeltaStat, SeedStat } from '../../contract/report';

/** Two-sided confidence level of the significance test. */
export const SIGNIFICANCE_CONFIDENCE = 0.95;

/** The rule, in words, for the report's notes (`seeds`: the pipeline's seeds; a table says its own N). */
export function significanceRule(seeds: readonly number[]): string {
  const n = seeds.length;
  if (n < 2) return 'N = 1: no spread, and no Δ is marked significant or not (run the pipeline with --seeds N, N ≥ 2, for mean ± std).';
  return (
    'Numbers are mean ± sample standard deviation (n − 1) over the table\'s N seeds. Every seed trains all rows of a table with that seed, ' +
    'so a Δ is the mean of the per-seed differences ± their standard deviation; it is significant when ' +
    `|mean Δ| > t(0.975, N − 1) · sd(Δ) / √N (a paired two-sided t-test at 95 %; t = ${studentTQuantile(0.975, n - 1).toFixed(3)} for N = ${n}), ` +
    'and greyed when it is not.'
  );
}

const finite = (values: readonly (number | null)[]): number[] => values.filter((v): v is number => v !== null && Number.isFinite(v));

export function mean(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('expected at least one value for a mean, got none');
  return values.reduce((sum, v) => sum + v, 0) / values.length;
}

/** Sample standard deviation (Bessel's n − 1). */
export function sampleStd(values: readonly number[]): number {
  if (values.length < 2) throw new RangeError(`expected at least two values for a sample standard deviation, got ${values.length}`);
  const m = mean(values);
  return Math.sqrt(values.reduce((sum, v) => sum + (v - m) ** 2, 0) / (values.length - 1));
}

/** Mean ± std over the seeds that gave a value (null and non-finite values are left out and not counted). */
export function seedStat(values: readonly (number | null)[]): SeedStat {
  const present = finite(values);
  return {
    mean: present.length === 0 ? null : mean(present),
    std: present.length < 2 ? null : sampleStd(present),
    n: present.length,
    values: values.map((v) => (v !== null && Number.isFinite(v) ? v : null)),
  };
}

/** The paired Δ = other − base per seed, its statistics and significance (seeds where either is missing are left out). */
export function pairedDelta(base: readonly (number | null)[], other: readonly (number | null)[]): DeltaStat {
  if (base.length !== other.length) throw new RangeError(`expected one value per seed in both rows, got ${base.length} and ${other.length}`);
  const differences = base.map((b, i) => {
    const o = other[i]!;
    return b === null || o === null || !Number.isFinite(b) || !Number.isFinite(o) ? null : o - b;
  });
  const stat = seedStat(differences);
  return { ...stat, significant: isSignificant(stat) };
}

/** The rule on a Δ's statistics: null below two seeds, else whether the mean lies beyond the t-interval. */
export function isSignificant(delta: Pick<SeedStat, 'mean' | 'std' | 'n'>): boolean | null {
  if (delta.n < 2 || delta.mean === null || delta.std === null) return null;
  return Math.abs(delta.mean) > significanceThreshold(delta.std, delta.n);
}

/** The smallest |mean Δ| that is significant: t(0.975, n − 1) · sd / √n. */
export function significanceThreshold(std: number, n: number): number {
  return studentTQuantile(1 - (1 - SIGNIFICANCE_CONFIDENCE) / 2, n - 1) * (std / Math.sqrt(n));
}

/** Student's t distribution's p-quantile with `df` degrees of freedom (p in (0, 1), df ≥ 1), by bisection on the CDF. */
export function studentTQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`expected 0 < p < 1, got ${p}`);
  if (!(df >= 1)) throw new RangeError(`expected df >= 1, got ${df}`);
  if (p === 0.5) return 0;
  if (p < 0.5) return -studentTQuantile(1 - p, df);
  let lo = 0;
  let hi = 1;
  while (studentTCdf(hi, df) < p) hi *= 2;
  for (let i = 0; i < 200 && hi - lo > 1e-12 * hi; i++) {
    const mid = (lo + hi) / 2;
    if (studentTCdf(mid, df) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** P(T ≤ t) for Student's t with `df` degrees of freedom: 1 − ½·I_{df/(df+t²)}(df/2, ½) for t ≥ 0. */
export function studentTCdf(t: number, df: number): number {
  const tail = 0.5 * regularizedIncompleteBeta(df / (df + t * t), df / 2, 0.5);
  return t >= 0 ? 1 - tail : tail;
}

/** I_x(a, b), the regularized incomplete beta function. */
export function regularizedIncompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  // The continued fraction converges fast for x < (a + 1)/(a + b + 2); otherwise use the symmetry I_x(a,b) = 1 − I_{1−x}(b,a).
  return x < (a + 1) / (a + b + 2) ? (front * betaContinuedFraction(x, a, b)) / a : 1 - (front * betaContinuedFraction(1 - x, b, a)) / b;
}

function betaContinuedFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    // Even step.
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    // Odd step.
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const step = d * c;
    h *= step;
    if (Math.abs(step - 1) < 1e-15) break;
  }
  return h;
}

/** ln Γ(x) for x > 0 (Lanczos approximation, g = 7, 9 coefficients; about 15 significant digits). */
export function logGamma(x: number): number {
  const g = 7;
  const coefficients = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
    -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  const z = x - 1;
  let sum = coefficients[0]!;
  for (let i = 1; i < coefficients.length; i++) sum += coefficients[i]! / (z + i);
  const t = z + g + 0.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}
