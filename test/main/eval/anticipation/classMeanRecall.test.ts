// Tests of class-mean Top-k recall: hand-worked cases, ties, and a brute-force version that sorts every row.
import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../../../main/random/seededRandom';
import { classMeanTopKRecall } from '../../../../main/eval/anticipation/classMeanRecall';

/** Sorts each row (stable, descending), takes the first k classes and averages per-class hit rates. */
function bruteForce(scores: Float32Array, labels: Int32Array, classes: number, k: number): number {
  const hits = new Map<number, number[]>();
  labels.forEach((label, i) => {
    const row = Array.from(scores.subarray(i * classes, (i + 1) * classes));
    const ranked = row.map((score, c) => ({ score, c })).sort((a, b) => b.score - a.score);
    const top = ranked.slice(0, k).map((entry) => entry.c);
    hits.set(label, [...(hits.get(label) ?? []), top.includes(label) ? 1 : 0]);
  });
  const perClass = [...hits.values()].map((list) => (100 * list.reduce((a, b) => a + b, 0)) / list.length);
  return perClass.reduce((a, b) => a + b, 0) / perClass.length;
}

describe('class-mean Top-k recall', () => {
  it('averages per-class recalls over the classes present, ties to the lower class', () => {
    const scores = Float32Array.from([
      0.1, 0.9, 0.5, 0.2, // label 0: top-2 is {1, 2}, a miss
      0.8, 0.1, 0.2, 0.3, // label 0: a hit
      0.5, 0.5, 0.5, 0.1, // label 2: tied with 0 and 1, which rank first: a miss
      0.5, 0.5, 0.5, 0.1, // label 1: a hit
    ]);
    const result = classMeanTopKRecall(scores, Int32Array.from([0, 0, 2, 1]), 4, 2);
    expect(Array.from(result.perClass)).toEqual([50, 100, 0, NaN]);
    expect(result.classesEvaluated).toBe(3);
    expect(result.recall).toBe(50);
  });

  it('weights classes equally, not samples', () => {
    // Nine hits of class 0 and one miss of class 1: sample recall would be 90 %, class-mean recall is 50 %.
    const labels = Int32Array.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    const scores = new Float32Array(10 * 7);
    labels.forEach((_, i) => scores.set([1, 0, 0.5, 0.5, 0.5, 0.5, 0.5], i * 7));
    expect(classMeanTopKRecall(scores, labels, 7, 5).recall).toBe(50);
  });

  it('counts everything as a hit when k covers all classes, and is NaN without samples', () => {
    const scores = new SeededRandom(1).normalArray(5 * 3, 1);
    expect(classMeanTopKRecall(scores, Int32Array.from([0, 1, 2, 2, 1]), 3, 5).recall).toBe(100);
    expect(classMeanTopKRecall(new Float32Array(0), new Int32Array(0), 3, 5).recall).toBeNaN();
    expect(() => classMeanTopKRecall(scores, Int32Array.from([0, 1, 2, 3, 1]), 3, 5)).toThrow(/expected labels in \[0, 3\), got 3 at sample 3/);
  });

  it('agrees with sorting every row', () => {
    for (const seed of [1, 2, 3, 4]) {
      const random = new SeededRandom(seed);
      const [n, classes] = [60, 12];
      // Scores on a coarse grid, so that ties are common.
      const scores = Float32Array.from({ length: n * classes }, () => Math.round(random.uniform() * 6) / 6);
      const labels = Int32Array.from({ length: n }, () => Math.floor(random.uniform() * classes));
      for (const k of [1, 5]) expect(classMeanTopKRecall(scores, labels, classes, k).recall).toBeCloseTo(bruteForce(scores, labels, classes, k), 10);
    }
  });
});
