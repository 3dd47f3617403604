// Test helpers measuring what the demo features allow: time-matched cross-view pairs, cosine Recall@1, and a
// ridge-regression linear map (the simplest "shared encoder") fitted by Cholesky on the normal equations.
import type { DemoScenePlan } from '../../../main/demo/plan';

/** Row-major [rows, dim] matrix. */
export interface Matrix {
  rows: number;
  dim: number;
  values: Float32Array;
}

export const row = (m: Matrix, i: number) => m.values.subarray(i * m.dim, (i + 1) * m.dim);

/** Rows of views a and b showing the same scene frames (within both tracks), in scene-time order. */
export function timeMatched(scene: DemoScenePlan, a: string, b: string, trackA: Matrix, trackB: Matrix): [Matrix, Matrix] {
  const offsetA = scene.views.find((v) => v.name === a)!.syncOffsetFrames;
  const offsetB = scene.views.find((v) => v.name === b)!.syncOffsetFrames;
  const frames: number[] = [];
  for (let t = -scene.padFrames; t < scene.frameCount + scene.padFrames; t++) {
    const ja = t + offsetA;
    const jb = t + offsetB;
    if (ja >= 0 && ja < trackA.rows && jb >= 0 && jb < trackB.rows) frames.push(t);
  }
  const pick = (track: Matrix, offset: number): Matrix => {
    const values = new Float32Array(frames.length * track.dim);
    frames.forEach((t, i) => values.set(row(track, t + offset), i * track.dim));
    return { rows: frames.length, dim: track.dim, values };
  };
  return [pick(trackA, offsetA), pick(trackB, offsetB)];
}

function normalizedRows(m: Matrix): Matrix {
  const values = new Float32Array(m.values.length);
  for (let i = 0; i < m.rows; i++) {
    const r = row(m, i);
    const norm = Math.hypot(...r) || 1;
    for (let k = 0; k < m.dim; k++) values[i * m.dim + k] = r[k]! / norm;
  }
  return { ...m, values };
}

/** Fraction of queries (rows of a) whose most cosine-similar row of b is the same-index row. */
export function recallAt1(a: Matrix, b: Matrix): number {
  const qa = normalizedRows(a);
  const qb = normalizedRows(b);
  let hits = 0;
  for (let i = 0; i < qa.rows; i++) {
    const q = row(qa, i);
    let best = -1;
    let bestScore = -Infinity;
    for (let j = 0; j < qb.rows; j++) {
      const c = row(qb, j);
      let score = 0;
      for (let k = 0; k < qa.dim; k++) score += q[k]! * c[k]!;
      if (score > bestScore) {
        bestScore = score;
        best = j;
      }
    }
    if (best === i) hits++;
  }
  return hits / qa.rows;
}

/** A linear map x -> W·[x, 1] fitted by ridge regression on (input, target) rows. */
export class LinearMap {
  private constructor(
    private readonly weights: Float64Array, // [inputDim + 1, outputDim]
    readonly inputDim: number,
    readonly outputDim: number,
  ) {}

  static fit(inputs: number[][], targets: number[][], ridge: number): LinearMap {
    const d = inputs[0]!.length + 1;
    const k = targets[0]!.length;
    const gram = new Float64Array(d * d);
    const cross = new Float64Array(d * k);
    inputs.forEach((input, n) => {
      const x = [...input, 1];
      const y = targets[n]!;
      for (let a = 0; a < d; a++) {
        for (let b = a; b < d; b++) gram[a * d + b]! += x[a]! * x[b]!;
        for (let c = 0; c < k; c++) cross[a * k + c]! += x[a]! * y[c]!;
      }
    });
    for (let a = 0; a < d; a++) {
      for (let b = 0; b < a; b++) gram[a * d + b] = gram[b * d + a]!;
      gram[a * d + a]! += ridge;
    }
    const lower = new Float64Array(d * d);
    for (let i = 0; i < d; i++) {
      for (let j = 0; j <= i; j++) {
        let s = gram[i * d + j]!;
        for (let m = 0; m < j; m++) s -= lower[i * d + m]! * lower[j * d + m]!;
        lower[i * d + j] = i === j ? Math.sqrt(s) : s / lower[j * d + j]!;
      }
    }
    const weights = new Float64Array(d * k);
    const z = new Float64Array(d);
    for (let c = 0; c < k; c++) {
      for (let i = 0; i < d; i++) {
        let s = cross[i * k + c]!;
        for (let j = 0; j < i; j++) s -= lower[i * d + j]! * z[j]!;
        z[i] = s / lower[i * d + i]!;
      }
      for (let i = d - 1; i >= 0; i--) {
        let s = z[i]!;
        for (let j = i + 1; j < d; j++) s -= lower[j * d + i]! * weights[j * k + c]!;
        weights[i * k + c] = s / lower[i * d + i]!;
      }
    }
    return new LinearMap(weights, d - 1, k);
  }

  apply(m: Matrix): Matrix {
    const { inputDim: d, outputDim: k } = this;
    const values = new Float32Array(m.rows * k);
    for (let i = 0; i < m.rows; i++) {
      for (let c = 0; c < k; c++) {
        let s = this.weights[d * k + c]!;
        for (let a = 0; a < d; a++) s += m.values[i * d + a]! * this.weights[a * k + c]!;
        values[i * k + c] = s;
      }
    }
    return { rows: m.rows, dim: k, values };
  }
}
