// One scene's sync estimate: every view's suggested offset and how likely it is right, from one computation that the
// pair heat map, the suggestions table and `evgap sync suggest` all show.
//
// 1. Every pair of views (ego-ego, ego-exo, exo-exo) is correlated over candidate shifts, bin by bin on one grid of
//    scene time (correlateViews.ts); each pair's peak gives a measured relative shift d_ij (pairPeak.ts), weighed
//    equally with every other clear peak (PAIR_SIGMA).
// 2. All views' shifts are fitted jointly to the pairs whose peak is clear, robustly (consensusOffsets.ts); a view
//    that no such pair links to the others is not placed at all. The pairs fix only the views' offsets relative to
//    each other; the common constant (scene time) is set so that the median view keeps its offset (the anchor,
//    reported as the reference). Pinning one chosen view instead (say the first ego view) hands that view's own
//    measurement error to every other view: on the demo the first ego view's error of about 0.6 frames made all 11
//    other views look 0.6 frames off in two of the eight scenes. With the median, a shift of the whole scene is never
//    suggested, and a view that is off alone is the one moved. (Measured alternatives, bench/syncAccuracy.ts: the
//    most common whole shift flips between bootstrap draws when most views are off; a fraction from all views'
//    distances to whole frames was no better than the median view's.)
// 3. The uncertainty of that fit is measured by a bootstrap over the grid's bins (Efron & Tibshirani 1993, "An
//    Introduction to the Bootstrap", ch. 8: resampling blocks of a series keeps its dependence): the same moments are
//    drawn for every pair, steps 1–2 are redone on each draw, and each view's whole-frame shift k gets the probability
//    P(k) = ε/K + (1 − ε)·mean over draws of Pr[round(x*_v + e) = k], e ~ N(0, h²): a histogram of the draws,
//    smoothed by a narrow kernel h, with ε/K spread over all K candidates for a fit that went wrong altogether.
//    Measured on the demo (bench/syncAccuracy.ts, seeds 1 and 2): the draws' spread (0.24 and 0.30 frames RMS)
//    matches the fit's actual error (0.19 and 0.33 frames RMS), so h only smooths the histogram of 200 draws.
// 4. The offset someone set is more likely right than any one other: the prior gives the current offset
//    CURRENT_PRIOR_ODDS times the weight of each other candidate, and the posterior P(k)·prior(k), normalized, is
//    what is shown. The suggestion is the most probable offset, so moving a view needs a likelihood ratio of at
//    least CURRENT_PRIOR_ODDS against its current offset, and a flat or ambiguous correlation leaves the view where
//    it is, with a probability that says how little the data add. The confidence is the suggestion's probability.
import { syncLimits } from '../../contract/api';
import { SeededRandom } from '../random/seededRandom';
import { correlatePair, MIN_BIN_FRAMES, sharedSceneTimes, timeGrid, type PairCorrelation, type TimedSignal } from './correlateViews';
import { largestComponent, robustConsensusShifts } from './consensusOffsets';
import { binMedians, pairPeak } from './pairPeak';

/** Bootstrap draws per estimate. */
export const BOOTSTRAP_DRAWS = 200;
/** Width of the kernel that smooths the draws' histogram, in frames (header, step 3). */
export const KERNEL_FRAMES = 0.1;
/** Probability spread evenly over all candidates (a fit gone wrong altogether). */
export const FLOOR_PROBABILITY = 0.01;
/**
 * Prior odds of the current offset against any one other candidate: another offset is suggested only when the data
 * make it this many times as likely as the current one. Measured on demo seeds 1 and 2 (bench/syncAccuracy.ts):
 * with 5, no change is proposed to any of the 379 correct views while 99–100 % of the views of scenes with a few
 * views off end at their true offset; odds of 1 propose changes to correct views, 20 leave more one-frame errors.
 */
export const CURRENT_PRIOR_ODDS = syncLimits.moveOdds;
/**
 * A pair's peak takes part in the fit only when it stands this many standard errors above the pair's median candidate
 * (pairPeak.ts). Measured: every pair of the demo's 2048-d features 3.8 and more (median 6.5); views that see nothing
 * in common 1.7–4.4, the largest of 21 candidates' noise.
 */
export const MIN_PEAK_SIGNIFICANCE = 5;
/**
 * The standard error every pair with a clear, bending peak is given in the fit, in frames: all such pairs count the
 * same. Each pair's own estimate (pairPeak.ts, from 32 bins) is too noisy to weigh by: measured on demo seeds 1 and 2
 * (bench/syncAccuracy.ts), equal weights cut the fit's error from 0.28 and 0.47 frames RMS to 0.19 and 0.32.
 */
export const PAIR_SIGMA = 0.5;
/** A pair whose peak sits at the end of its range or does not bend down (pairPeak.ts gives it its whole range, at
 * least a frame) keeps that: it hardly counts. */
const VAGUE_PEAK_SIGMA = 1;
/** Multiply-adds one scene's estimate may spend over all its view pairs. */
export const SCENE_COST_BUDGET = 2e9;
const BOOTSTRAP_SEED = 20_240_611;

export interface ViewSync {
  /** The joint fit on all bins: fractional shift from the view's current offset, in frames; NaN where no pair with a
   * clear peak links the view to the others. */
  shift: number;
  /** Standard deviation of the shift over the bootstrap draws, in frames. */
  spread: number;
  /** The suggested whole-frame shift from the current offset (0: keep it). */
  suggestedShift: number;
  /** Probability that the suggested offset is right. */
  confidence: number;
  /** Probability that the current offset is right. */
  currentProbability: number;
}

export interface ScenePair {
  /** Index of the view kept at its offset; the other view (j) moves over the candidate shifts. */
  i: number;
  j: number;
  correlation: PairCorrelation;
}

export interface SceneSync {
  /** The anchor: the view whose fitted shift is the (lower) median, so it keeps its offset (header, step 2). */
  reference: number;
  maxOffset: number;
  /** Edges of the time grid every pair's bins lie on (scene frames). */
  grid: number[];
  pairs: ScenePair[];
  /** One per view, in the order of the input. */
  views: ViewSync[];
}

export interface SceneSyncOptions {
  /** Suggestions stay within ±maxOffset frames of each view's current offset. */
  maxOffset: number;
  costBudget?: number;
  draws?: number;
}

/** Candidate range of pair (i, j): views may each be off by maxOffset, so a pair by twice that where the overlap allows. */
function pairRange(signals: readonly TimedSignal[], i: number, j: number, maxOffset: number): number {
  const wide = sharedSceneTimes(signals[i]!, signals[j]!, 2 * maxOffset);
  return wide.end - wide.start >= MIN_BIN_FRAMES ? 2 * maxOffset : maxOffset;
}

/** The lower median's index among the numbers (NaN left out): with an even count, the smaller middle value. */
function medianIndex(values: readonly number[]): number {
  const order = values.flatMap((x, v) => (Number.isNaN(x) ? [] : [v])).sort((a, b) => values[a]! - values[b]! || a - b);
  return order[(order.length - 1) >> 1]!;
}

/** The scene's estimate (header); `signals` in the scene's view order. */
export function estimateSceneSync(signals: readonly TimedSignal[], options: SceneSyncOptions): SceneSync {
  const { maxOffset } = options;
  const count = signals.length;
  if (count < 2) throw new RangeError(`expected two or more views to estimate sync offsets, got ${count}`);
  const layout: { i: number; j: number; range: number }[] = [];
  for (let i = 0; i < count; i++) for (let j = i + 1; j < count; j++) layout.push({ i, j, range: pairRange(signals, i, j, maxOffset) });
  const spans = layout.map(({ i, j, range }) => sharedSceneTimes(signals[i]!, signals[j]!, range));
  const grid = timeGrid(Math.min(...spans.map((s) => s.start)), Math.max(...spans.map((s) => s.end)));
  const budget = (options.costBudget ?? SCENE_COST_BUDGET) / Math.max(1, layout.length);
  const pairs = layout.map(({ i, j, range }) => ({ i, j, correlation: correlatePair(signals[i]!, signals[j]!, { range, grid, costBudget: budget }) }));

  // Which pairs show a clear peak is decided once, on all bins: the draws then refit the same pairs, so a peak near
  // the threshold does not drop its views in and out of the fit from one draw to the next.
  const clear = pairs.filter(({ correlation }) => pairPeak(correlation).significance >= MIN_PEAK_SIGNIFICANCE);
  const linked = largestComponent(count, clear);
  const used = clear.filter(({ i }) => linked.has(i));
  const medians = used.map(({ correlation }) => binMedians(correlation));
  /** The joint fit with the median view at 0, the bins weighted by `counts` (a bootstrap draw) when given; NaN for
   * views no clear pair links to the largest linked set of views. */
  const fit = (counts?: ArrayLike<number>): number[] => {
    if (linked.size < 2) return signals.map(() => NaN);
    const peaks = used.map(({ i, j, correlation }, p) => {
      const peak = pairPeak(correlation, counts, medians[p]);
      return { i, j, shift: peak.shift, sigma: peak.sigma >= VAGUE_PEAK_SIGMA ? peak.sigma : PAIR_SIGMA };
    });
    const { shifts } = robustConsensusShifts(count, peaks, Math.min(...linked));
    const placed = shifts.map((x, v) => (linked.has(v) ? x : NaN));
    const anchor = placed[medianIndex(placed)]!;
    return placed.map((x) => x - anchor);
  };
  const shifts = fit();
  const reference = shifts.every(Number.isNaN) ? 0 : medianIndex(shifts);
  const bins = grid.length - 1;
  const random = new SeededRandom(BOOTSTRAP_SEED);
  const drawn: number[][] = [];
  const counts = new Float64Array(bins);
  for (let draw = 0; draw < (options.draws ?? BOOTSTRAP_DRAWS); draw++) {
    counts.fill(0);
    for (let b = 0; b < bins; b++) counts[Math.min(bins - 1, Math.floor(random.uniform() * bins))]! += 1;
    drawn.push(fit(counts));
  }
  const views = shifts.map((shift, v): ViewSync => {
    const values = drawn.map((replicate) => replicate[v]!);
    const probability = shiftProbabilities(values, maxOffset);
    const placed = values.filter((x) => !Number.isNaN(x));
    const mean = placed.reduce((a, b) => a + b, 0) / placed.length;
    const spread = placed.length < 2 ? Infinity : Math.sqrt(placed.reduce((a, b) => a + (b - mean) ** 2, 0) / (placed.length - 1));
    return { shift, spread, ...decide(probability, maxOffset) };
  });
  return { reference, maxOffset, grid, pairs, views };
}

/**
 * P(k) for whole-frame shifts k in [−maxOffset, maxOffset] (index k + maxOffset) from the bootstrap draws (header,
 * step 3); a draw that could not place the view (NaN) spreads its share over all candidates.
 */
export function shiftProbabilities(draws: readonly number[], maxOffset: number): number[] {
  const candidates = 2 * maxOffset + 1;
  const share = (1 - FLOOR_PROBABILITY) / draws.length;
  const unplaced = draws.filter((x) => Number.isNaN(x)).length;
  const probability = new Array<number>(candidates).fill((FLOOR_PROBABILITY + unplaced * share) / candidates);
  for (const x of draws) {
    if (Number.isNaN(x)) continue;
    // Only the candidates within 6 kernel widths of x get a share worth counting.
    const low = Math.max(-maxOffset, Math.floor(x - 6 * KERNEL_FRAMES));
    const high = Math.min(maxOffset, Math.ceil(x + 6 * KERNEL_FRAMES));
    for (let k = low; k <= high; k++) {
      probability[k + maxOffset]! += share * (normalCdf((k + 0.5 - x) / KERNEL_FRAMES) - normalCdf((k - 0.5 - x) / KERNEL_FRAMES));
    }
  }
  return probability;
}

/** The suggestion from the bootstrap's P(k) (index k + maxOffset) and the prior that favours the current offset (header, step 4). */
export function decide(likelihood: readonly number[], maxOffset: number): Pick<ViewSync, 'suggestedShift' | 'confidence' | 'currentProbability'> {
  const weighted = likelihood.map((p, index) => (index === maxOffset ? CURRENT_PRIOR_ODDS * p : p));
  const total = weighted.reduce((a, b) => a + b, 0);
  let best = maxOffset;
  for (let index = 0; index < weighted.length; index++) if (weighted[index]! > weighted[best]!) best = index;
  return { suggestedShift: best - maxOffset, confidence: weighted[best]! / total, currentProbability: weighted[maxOffset]! / total };
}

/** Φ(z), the standard normal distribution function (Abramowitz & Stegun 26.2.17, error below 7.5e-8). */
export function normalCdf(z: number): number {
  const t = 1 / (1 + 0.2316419 * Math.abs(z));
  const density = Math.exp((-z * z) / 2) / Math.sqrt(2 * Math.PI);
  const tail = density * t * (0.31938153 + t * (-0.356563782 + t * (1.781477937 + t * (-1.821255978 + t * 1.330274429))));
  return z >= 0 ? 1 - tail : tail;
}
