// Sync offsets of all views of a scene from every pair's measured relative shift d_ij ± σ_ij (pairPeak.ts): shifts
// x_v (relative to each view's current offset) minimizing Σ_pairs w_ij·(x_j − x_i − d_ij)² with the reference view's
// x fixed at 0. Every view is placed by all its pairs instead of by one comparison with the reference.
//
// Plain least squares lets one wrong pair move every view: a pair whose correlation peaked 17 frames off (it
// happens on the demo, where a view's nuisance happens to match the scene for a while) moved all 11 views of that
// scene by 1–2 frames. So the fit is robust: iteratively reweighted least squares with Tukey's biweight on the
// standardized residuals r_ij = (x_j − x_i − d_ij)/σ_ij (Holland & Welsch 1977, "Robust regression using
// iteratively reweighted least-squares"; c = 4.685, the scale the larger of 1 and the residuals' MAD), started
// from a robust guess that no single pair can move: each view's median over two-step paths through every other
// view, x_v = median_k (d_ref,k + d_k,v).

export interface PairShift {
  /** Indexes of the two views. */
  i: number;
  j: number;
  /** Measured x_j − x_i, in frames (may be fractional). */
  shift: number;
  /** Standard error of the measurement, in frames (> 0). */
  sigma: number;
}

/** Tukey's biweight tuning constant: 95 % efficiency at the normal distribution. */
const TUKEY_C = 4.685;
const MAX_ITERATIONS = 30;
const TOLERANCE = 1e-6;

/**
 * Weighted least squares: shifts of `count` views, view `reference` fixed at 0; a view that no weighted pair links to
 * the reference stays at its `fallback` (0 when absent).
 */
export function leastSquaresShifts(
  count: number,
  pairs: readonly PairShift[],
  weights: readonly number[],
  reference: number,
  fallback?: readonly number[],
): number[] {
  // Normal equations L·x = b with L the weighted graph Laplacian; the reference's row becomes x_ref = 0.
  const matrix = Array.from({ length: count }, () => new Float64Array(count));
  const rhs = new Float64Array(count);
  pairs.forEach(({ i, j, shift }, p) => {
    const weight = weights[p]!;
    if (weight === 0) return;
    matrix[i]![i]! += weight;
    matrix[j]![j]! += weight;
    matrix[i]![j]! -= weight;
    matrix[j]![i]! -= weight;
    rhs[j]! += weight * shift;
    rhs[i]! -= weight * shift;
  });
  pinUnreachable(matrix, rhs, reference, fallback);
  return solve(matrix, rhs);
}

/** Pins the reference at 0 and every view no weighted pair connects to it at its fallback, so the system is solvable. */
function pinUnreachable(matrix: Float64Array[], rhs: Float64Array, reference: number, fallback?: readonly number[]): void {
  const count = rhs.length;
  const reached = new Set([reference]);
  const queue = [reference];
  while (queue.length > 0) {
    const v = queue.pop()!;
    for (let u = 0; u < count; u++) {
      if (!reached.has(u) && matrix[v]![u]! !== 0) {
        reached.add(u);
        queue.push(u);
      }
    }
  }
  for (let v = 0; v < count; v++) {
    if (v !== reference && reached.has(v)) continue;
    const pinned = v === reference ? 0 : (fallback?.[v] ?? 0);
    // Move the pinned view's known contribution to the right-hand side of the other rows.
    for (let r = 0; r < count; r++) {
      if (r === v) continue;
      rhs[r]! -= matrix[r]![v]! * pinned;
      matrix[r]![v] = 0;
    }
    matrix[v]!.fill(0);
    matrix[v]![v] = 1;
    rhs[v] = pinned;
  }
}

/** Each view's median over two-step paths from the reference (the direct pair included): no one pair moves it. */
export function pathMedianShifts(count: number, pairs: readonly PairShift[], reference: number): number[] {
  const measured = Array.from({ length: count }, () => new Array<number | undefined>(count).fill(undefined));
  for (const { i, j, shift } of pairs) {
    measured[i]![j] = shift;
    measured[j]![i] = -shift;
  }
  measured[reference]![reference] = 0;
  return Array.from({ length: count }, (_, v) => {
    if (v === reference) return 0;
    const paths: number[] = [];
    for (let k = 0; k < count; k++) {
      if (k === v) continue;
      const first = measured[reference]![k];
      const second = measured[k]![v];
      if (first !== undefined && second !== undefined) paths.push(first + second);
    }
    return paths.length > 0 ? median(paths) : 0;
  });
}

/** The views of the largest set that `pairs` connect (ties: the one holding the lowest index). */
export function largestComponent(count: number, pairs: readonly Pick<PairShift, 'i' | 'j'>[]): Set<number> {
  const parent = Array.from({ length: count }, (_, v) => v);
  const root = (v: number): number => (parent[v] === v ? v : (parent[v] = root(parent[v]!)));
  for (const { i, j } of pairs) parent[root(i)] = root(j);
  const members = new Map<number, number[]>();
  for (let v = 0; v < count; v++) members.set(root(v), [...(members.get(root(v)) ?? []), v]);
  const best = [...members.values()].sort((a, b) => b.length - a.length || a[0]! - b[0]!)[0] ?? [];
  return new Set(best);
}

export interface RobustFit {
  /** Shift of each view relative to its current offset, the reference at 0. */
  shifts: number[];
  /** Final weight of each pair relative to 1/σ² (0: rejected as an outlier). */
  pairWeights: number[];
}

/** The robust joint fit (header). */
export function robustConsensusShifts(count: number, pairs: readonly PairShift[], reference = 0): RobustFit {
  let shifts = pathMedianShifts(count, pairs, reference);
  let pairWeights = pairs.map(() => 1);
  for (let iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
    const residuals = pairs.map(({ i, j, shift, sigma }) => (shifts[j]! - shifts[i]! - shift) / sigma);
    const scale = Math.max(1, 1.4826 * median(residuals.map(Math.abs)));
    pairWeights = residuals.map((r) => {
      const u = r / (TUKEY_C * scale);
      return Math.abs(u) < 1 ? (1 - u * u) ** 2 : 0;
    });
    // A view all of whose pairs are rejected keeps its previous place.
    const next = leastSquaresShifts(count, pairs, pairs.map(({ sigma }, p) => pairWeights[p]! / (sigma * sigma)), reference, shifts);
    const change = Math.max(...next.map((x, v) => Math.abs(x - shifts[v]!)));
    shifts = next;
    if (change < TOLERANCE) break;
  }
  return { shifts, pairWeights };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Gauss–Jordan elimination with partial pivoting (the matrices here are a dozen rows). */
function solve(matrix: Float64Array[], rhs: Float64Array): number[] {
  const n = rhs.length;
  for (let column = 0; column < n; column++) {
    let pivot = column;
    for (let r = column + 1; r < n; r++) if (Math.abs(matrix[r]![column]!) > Math.abs(matrix[pivot]![column]!)) pivot = r;
    [matrix[column], matrix[pivot]] = [matrix[pivot]!, matrix[column]!];
    [rhs[column], rhs[pivot]] = [rhs[pivot]!, rhs[column]!];
    const diagonal = matrix[column]![column]!;
    for (let r = 0; r < n; r++) {
      if (r === column) continue;
      const factor = matrix[r]![column]! / diagonal;
      if (factor === 0) continue;
      for (let k = column; k < n; k++) matrix[r]![k]! -= factor * matrix[column]![k]!;
      rhs[r]! -= factor * rhs[column]!;
    }
  }
  return Array.from({ length: n }, (_, r) => rhs[r]! / matrix[r]![r]!);
}
