// Retrieval metrics of one query set against one gallery where query row i's match is gallery row i:
// Recall@k (percent of queries whose match is among the k most similar gallery rows) and the median rank of the
// match (1-based), with the chance level of each beside it (docs/method.md, "Evaluation": cross-view retrieval).
//
// Similarity is cosine: both sides are L2-normalized here (a zero row stays zero, so its similarities are 0).
// Ties are counted pessimistically: the rank of query i's match is 1 + the number of other gallery rows at least
// as similar as the match, so an embedding that maps everything to one point ranks every match last (rank n)
// instead of first. The median of an even number of ranks is the mean of the two middle ones, as numpy's is.
// Chance is the expectation under a random order of the gallery: the match's rank is uniform on 1..n, so
// Recall@k = 100·min(k, n)/n and the median rank is (n + 1)/2.
import { ArgumentError } from '../../../contract/errors';

/** A row-major [n, D] matrix of float32 values. */
export type EmbeddingMatrix = { data: Float32Array; shape: readonly number[] };

export type RetrievalMetrics = {
  /** Recall@k in percent, by k. */
  recallAt: Record<number, number>;
  /** Median rank of the match, 1 = first. */
  medianRank: number;
  /** Queries (= gallery rows). */
  n: number;
  /** Recall@k of a random ranking, percent: 100·min(k, n)/n. */
  chanceRecallAt: Record<number, number>;
  /** Median rank of a random ranking: (n + 1)/2. */
  chanceMedianRank: number;
};

export const defaultRecallKs: readonly number[] = [1, 5, 10];

/** Metrics of retrieving gallery row i for query row i, by cosine similarity. */
export function retrievalMetrics(
  query: EmbeddingMatrix,
  gallery: EmbeddingMatrix,
  ks: readonly number[] = defaultRecallKs,
): RetrievalMetrics {
  return metricsFromRanks(matchRanks(query, gallery), ks);
}

/**
 * The 1-based rank of each query's match (gallery row i for query row i) among all gallery rows by cosine
 * similarity, ties counted against the match.
 */
export function matchRanks(query: EmbeddingMatrix, gallery: EmbeddingMatrix): Int32Array {
  return matchRanksBothWays(query, gallery).aToB;
}

/**
 * matchRanks in both directions from one pass over the n² similarities: `aToB` ranks b's rows for each row of a
 * (matchRanks(a, b)), `bToA` ranks a's rows for each row of b (matchRanks(b, a)). Each similarity is the same
 * float64 sum, in the same order, as a separate matchRanks call computes, so the ranks are the same.
 */
export function matchRanksBothWays(a: EmbeddingMatrix, b: EmbeddingMatrix): { aToB: Int32Array; bToA: Int32Array } {
  const [n, dim] = checkMatrix('query', a);
  const [bRows, bDim] = checkMatrix('gallery', b);
  if (bRows !== n || bDim !== dim) {
    throw new ArgumentError(`expected gallery of shape [${n}, ${dim}] like the query, got [${b.shape.join(', ')}]`);
  }
  const q = normalizedRows(a.data, n, dim);
  const g = normalizedRows(b.data, n, dim);
  const dot = (i: number, j: number) => {
    let sum = 0;
    for (let d = 0; d < dim; d++) sum += q[i * dim + d]! * g[j * dim + d]!;
    return sum;
  };
  const match = Float64Array.from({ length: n }, (_, i) => dot(i, i));
  // Other rows at least as similar as the match: for a's row i along row i, for b's row j along column j.
  const aCounts = new Int32Array(n);
  const bCounts = new Int32Array(n);
  const count = (i: number, j: number, similarity: number) => {
    if (i === j) return;
    if (similarity >= match[i]!) aCounts[i]!++;
    if (similarity >= match[j]!) bCounts[j]!++;
  };
  // Four rows of a at a time against each row of b (each sum still over d in order): b streams once per four rows.
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const [r0, r1, r2, r3] = [i * dim, (i + 1) * dim, (i + 2) * dim, (i + 3) * dim];
    for (let j = 0; j < n; j++) {
      const c = j * dim;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let d = 0; d < dim; d++) {
        const gd = g[c + d]!;
        s0 += q[r0 + d]! * gd;
        s1 += q[r1 + d]! * gd;
        s2 += q[r2 + d]! * gd;
        s3 += q[r3 + d]! * gd;
      }
      count(i, j, s0);
      count(i + 1, j, s1);
      count(i + 2, j, s2);
      count(i + 3, j, s3);
    }
  }
  for (; i < n; i++) for (let j = 0; j < n; j++) count(i, j, dot(i, j));
  return { aToB: aCounts.map((c) => c + 1), bToA: bCounts.map((c) => c + 1) };
}

/** Recall@k, median rank and their chance levels from the match ranks of n queries in a gallery of n rows. */
export function metricsFromRanks(ranks: Int32Array, ks: readonly number[] = defaultRecallKs): RetrievalMetrics {
  const n = ranks.length;
  if (n === 0) throw new ArgumentError('expected at least one query, got 0');
  checkKs(ks);
  const recallAt: Record<number, number> = {};
  const chanceRecallAt: Record<number, number> = {};
  for (const k of ks) {
    let hits = 0;
    for (const rank of ranks) if (rank <= k) hits++;
    recallAt[k] = (100 * hits) / n;
    chanceRecallAt[k] = (100 * Math.min(k, n)) / n;
  }
  return { recallAt, medianRank: median(ranks), n, chanceRecallAt, chanceMedianRank: (n + 1) / 2 };
}

function median(values: Int32Array): number {
  const sorted = Int32Array.from(values).sort();
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function checkKs(ks: readonly number[]): void {
  if (ks.length === 0) throw new ArgumentError('expected at least one k for Recall@k, got none');
  for (const k of ks) {
    if (!Number.isInteger(k) || k < 1) throw new ArgumentError(`expected every k of Recall@k to be an integer >= 1, got ${k}`);
  }
}

function checkMatrix(name: string, matrix: EmbeddingMatrix): [number, number] {
  const { data, shape } = matrix;
  if (shape.length !== 2) throw new ArgumentError(`expected ${name} of shape [n, D], got [${shape.join(', ')}]`);
  const [n, dim] = shape as [number, number];
  if (n < 1 || dim < 1) throw new ArgumentError(`expected ${name} of shape [n >= 1, D >= 1], got [${n}, ${dim}]`);
  if (data.length !== n * dim) throw new ArgumentError(`expected ${n * dim} values in ${name} [${n}, ${dim}], got ${data.length}`);
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i]!)) {
      throw new ArgumentError(`expected finite values in ${name}, got ${data[i]} at row ${Math.floor(i / dim)}`);
    }
  }
  return [n, dim];
}

/** Float64 copies of the rows scaled to unit length (zero rows stay zero). */
function normalizedRows(data: Float32Array, n: number, dim: number): Float64Array {
  const out = new Float64Array(n * dim);
  for (let i = 0; i < n; i++) {
    let squared = 0;
    for (let d = 0; d < dim; d++) squared += data[i * dim + d]! ** 2;
    const scale = squared > 0 ? 1 / Math.sqrt(squared) : 0;
    for (let d = 0; d < dim; d++) out[i * dim + d] = data[i * dim + d]! * scale;
  }
  return out;
}
