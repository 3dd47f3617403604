// Jacobi eigen-decomposition against the definition: A·v = λ·v, orthonormal vectors, descending values.
import { describe, expect, it } from 'vitest';
import { symmetricEigen } from '../../../main/sync/symmetricEigen';

describe('symmetricEigen', () => {
  it('decomposes a random symmetric matrix', () => {
    const n = 7;
    let state = 3;
    const random = () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32) - 0.5;
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = i; j < n; j++) a[i * n + j] = a[j * n + i] = random();
    const { values, vectors } = symmetricEigen(a, n);
    for (let k = 1; k < n; k++) expect(values[k]!).toBeLessThanOrEqual(values[k - 1]!);
    for (let c = 0; c < n; c++) {
      for (let i = 0; i < n; i++) {
        let av = 0;
        for (let k = 0; k < n; k++) av += a[i * n + k]! * vectors[k * n + c]!;
        expect(av).toBeCloseTo(values[c]! * vectors[i * n + c]!, 9);
      }
      for (let d = 0; d < n; d++) {
        let dot = 0;
        for (let k = 0; k < n; k++) dot += vectors[k * n + c]! * vectors[k * n + d]!;
        expect(dot).toBeCloseTo(c === d ? 1 : 0, 9);
      }
    }
  });

  it('returns a diagonal matrix as it is, sorted', () => {
    const { values } = symmetricEigen(Float64Array.from([1, 0, 0, 0, 3, 0, 0, 0, 2]), 3);
    expect([...values]).toEqual([3, 2, 1]);
  });
});
