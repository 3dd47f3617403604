import { describe, expect, it } from 'vitest';
import { matchRanks, matchRanksBothWays, metricsFromRanks, retrievalMetrics, type EmbeddingMatrix } from '../../../../main/eval/retrieval/retrievalMetrics';
import { SeededRandom } from '../../../../main/random/seededRandom';

function matrix(rows: number[][]): EmbeddingMatrix {
  return { data: Float32Array.from(rows.flat()), shape: [rows.length, rows[0]!.length] };
}

/** Uniform values in [0, 1) from the project's seeded generator, so every run sees the same inputs. */
function generator(seed: number): () => number {
  const random = new SeededRandom(seed);
  return () => random.uniform();
}

function randomMatrix(n: number, dim: number, seed: number, levels?: number): EmbeddingMatrix {
  const next = generator(seed);
  // With `levels`, values are a few integers, so equal similarities (ties) are common.
  const data = Float32Array.from({ length: n * dim }, () => (levels ? Math.floor(next() * levels) - 1 : next() * 2 - 1));
  return { data, shape: [n, dim] };
}

/**
 * The obvious version: sort the gallery by cosine similarity, most similar first, placing the match after every
 * other row of equal similarity (pessimistic ties), and read off the match's position.
 */
function bruteForceRanks(query: EmbeddingMatrix, gallery: EmbeddingMatrix): number[] {
  const [n, dim] = query.shape as [number, number];
  const row = (m: EmbeddingMatrix, i: number) => Array.from(m.data.subarray(i * dim, (i + 1) * dim));
  const cosine = (a: number[], b: number[]) => {
    const dot = a.reduce((sum, v, d) => sum + v * b[d]!, 0);
    const norms = Math.hypot(...a) * Math.hypot(...b);
    return norms === 0 ? 0 : dot / norms;
  };
  return Array.from({ length: n }, (_, i) => {
    const order = Array.from({ length: n }, (_, j) => ({ j, s: cosine(row(query, i), row(gallery, j)) }));
    order.sort((a, b) => b.s - a.s || (a.j === i ? 1 : b.j === i ? -1 : 0));
    return order.findIndex((entry) => entry.j === i) + 1;
  });
}

function bruteForceRecall(ranks: number[], k: number): number {
  return (100 * ranks.filter((rank) => rank <= k).length) / ranks.length;
}

describe('retrievalMetrics', () => {
  it('matches a brute-force ranking on random embeddings', () => {
    for (const [n, dim, seed] of [[7, 3, 1], [40, 16, 2], [101, 8, 3]] as const) {
      const query = randomMatrix(n, dim, seed);
      const gallery = randomMatrix(n, dim, seed + 100);
      const expected = bruteForceRanks(query, gallery);
      expect(Array.from(matchRanks(query, gallery))).toEqual(expected);
      const metrics = retrievalMetrics(query, gallery, [1, 5, 10]);
      for (const k of [1, 5, 10]) expect(metrics.recallAt[k]).toBeCloseTo(bruteForceRecall(expected, k), 10);
      const sorted = [...expected].sort((a, b) => a - b);
      const median = n % 2 ? sorted[(n - 1) / 2]! : (sorted[n / 2 - 1]! + sorted[n / 2]!) / 2;
      expect(metrics.medianRank).toBe(median);
    }
  });

  it('matches the brute-force ranking when many similarities tie (ties count against the match)', () => {
    const query = randomMatrix(30, 2, 7, 3);
    const gallery = randomMatrix(30, 2, 8, 3);
    expect(Array.from(matchRanks(query, gallery))).toEqual(bruteForceRanks(query, gallery));
  });

  it('ranks both directions in one pass as two brute-force rankings do, ties and odd sizes included', () => {
    for (const [n, dim, seed, levels] of [[1, 3, 11, undefined], [7, 3, 12, undefined], [41, 16, 13, undefined], [30, 2, 14, 3], [6, 4, 15, 2]] as const) {
      const a = randomMatrix(n, dim, seed, levels);
      const b = randomMatrix(n, dim, seed + 100, levels);
      const { aToB, bToA } = matchRanksBothWays(a, b);
      expect(Array.from(aToB)).toEqual(bruteForceRanks(a, b));
      expect(Array.from(bToA)).toEqual(bruteForceRanks(b, a));
    }
  });

  it('computes a hand-worked case', () => {
    // q0·g: 1, 0, .71 → rank 1;  q1 = (1, .2): .98, .20, .83 → its match g1 is third;  q2 = (0, 1): 0, 1, .71 → rank 2.
    const query = matrix([[1, 0], [1, 0.2], [0, 1]]);
    const gallery = matrix([[1, 0], [0, 1], [1, 1]]);
    const metrics = retrievalMetrics(query, gallery, [1, 2, 5]);
    expect(Array.from(matchRanks(query, gallery))).toEqual([1, 3, 2]);
    expect(metrics.recallAt[1]).toBeCloseTo(100 / 3, 10);
    expect(metrics.recallAt[2]).toBeCloseTo(200 / 3, 10);
    expect(metrics.recallAt[5]).toBe(100);
    expect(metrics.medianRank).toBe(2);
    expect(metrics.n).toBe(3);
    expect(metrics.chanceRecallAt[1]).toBeCloseTo(100 / 3, 10);
    expect(metrics.chanceRecallAt[2]).toBeCloseTo(200 / 3, 10);
    expect(metrics.chanceRecallAt[5]).toBe(100); // k beyond the gallery: every match is found
    expect(metrics.chanceMedianRank).toBe(2);
  });

  it('uses cosine similarity: scaling a row changes nothing', () => {
    const query = randomMatrix(12, 4, 11);
    const gallery = randomMatrix(12, 4, 12);
    const scaled = { data: gallery.data.map((v, i) => v * (1 + (Math.floor(i / 4) % 5) * 3)), shape: gallery.shape };
    expect(Array.from(matchRanks(query, scaled))).toEqual(Array.from(matchRanks(query, gallery)));
  });

  it('ranks every match last when all embeddings are the same point', () => {
    const same = matrix(Array.from({ length: 6 }, () => [0.3, -0.2, 0.9]));
    const metrics = retrievalMetrics(same, same, [1, 5]);
    expect(Array.from(matchRanks(same, same))).toEqual([6, 6, 6, 6, 6, 6]);
    expect(metrics.recallAt[1]).toBe(0);
    expect(metrics.recallAt[5]).toBe(0);
    expect(metrics.medianRank).toBe(6);
  });

  it('finds every match first when query and gallery are the same distinct rows', () => {
    const rows = randomMatrix(25, 6, 5);
    const metrics = retrievalMetrics(rows, rows);
    expect(metrics.recallAt[1]).toBe(100);
    expect(metrics.medianRank).toBe(1);
    expect(metrics.chanceRecallAt[1]).toBe(4);
    expect(metrics.chanceRecallAt[10]).toBe(40);
    expect(metrics.chanceMedianRank).toBe(13);
  });

  it('takes the mean of the two middle ranks for an even count', () => {
    const metrics = metricsFromRanks(Int32Array.from([4, 1, 3, 2]), [1]);
    expect(metrics.medianRank).toBe(2.5);
    expect(metrics.chanceMedianRank).toBe(2.5);
  });

  it('rejects mismatched shapes, non-finite values and bad k, naming what was expected', () => {
    const a = randomMatrix(4, 3, 1);
    expect(() => retrievalMetrics(a, randomMatrix(5, 3, 2))).toThrow('expected gallery of shape [4, 3] like the query, got [5, 3]');
    expect(() => retrievalMetrics({ data: new Float32Array(12), shape: [12] }, a)).toThrow('expected query of shape [n, D], got [12]');
    const withNaN = { data: a.data.map((v, i) => (i === 7 ? NaN : v)), shape: a.shape };
    expect(() => retrievalMetrics(a, withNaN)).toThrow('expected finite values in gallery, got NaN at row 2');
    expect(() => retrievalMetrics(a, a, [0])).toThrow('expected every k of Recall@k to be an integer >= 1, got 0');
  });
});
