// Slow, obvious float64 versions of the contrastive losses (plain loops over i, j, m, n with Math.exp/Math.log),
// seeded random inputs, and central finite differences: the yardstick the tfjs losses are tested against.
import { SeededRandom } from '../../../../main/random/seededRandom';

/** Uniform values in [0, 1) from the project's seeded generator, so every run sees the same inputs. */
export function seededRandom(seed: number): () => number {
  const random = new SeededRandom(seed);
  return () => random.uniform();
}

/**
 * `rows` random unit vectors of length `dims`, flattened row-major and rounded to float32, so the float64 reference
 * and the float32 tensors start from exactly the same numbers.
 */
export function unitRows(random: () => number, rows: number, dims: number): number[] {
  const values: number[] = [];
  for (let row = 0; row < rows; row++) {
    const vector = Array.from({ length: dims }, () => {
      const u = Math.max(random(), 1e-12);
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
    });
    const norm = Math.hypot(...vector);
    for (const value of vector) values.push(Math.fround(value / norm));
  }
  return values;
}

function dot(a: number[], aRow: number, b: number[], bRow: number, dims: number): number {
  let sum = 0;
  for (let d = 0; d < dims; d++) sum += (a[aRow * dims + d] as number) * (b[bRow * dims + d] as number);
  return sum;
}

/** Eq. 1 on flat [B, D] arrays, straight from its definition. */
export function referencePairLoss(ego: number[], exo: number[], pairs: number, dims: number, logScale: number): number {
  const scale = Math.exp(logScale);
  const logit = (i: number, j: number) => scale * dot(ego, i, exo, j, dims); // t·e_i·x_j
  let total = 0;
  for (let i = 0; i < pairs; i++) {
    let rowSum = 0;
    let columnSum = 0;
    for (let j = 0; j < pairs; j++) {
      rowSum += Math.exp(logit(i, j));
      columnSum += Math.exp(logit(j, i));
    }
    total += Math.log(Math.exp(logit(i, i)) / rowSum) + Math.log(Math.exp(logit(i, i)) / columnSum);
  }
  return -total / (2 * pairs);
}

/** log σ(x) without overflow: −log(1 + e^−x) for x ≥ 0, x − log(1 + e^x) otherwise. */
function logSigmoid(x: number): number {
  return x >= 0 ? -Math.log1p(Math.exp(-x)) : x - Math.log1p(Math.exp(x));
}

/** Eq. 2 on flat [B, M, D] and [B, N, D] arrays, straight from its definition; bias null means b = 0. */
export function referenceGroupLoss(
  ego: number[],
  exo: number[],
  shape: { groups: number; egoViews: number; exoViews: number; dims: number },
  logScale: number,
  bias: number | null,
): number {
  const { groups, egoViews, exoViews, dims } = shape;
  const scale = Math.exp(logScale);
  let total = 0;
  for (let i = 0; i < groups; i++) {
    for (let j = 0; j < groups; j++) {
      const z = i === j ? 1 : -1;
      for (let m = 0; m < egoViews; m++) {
        for (let n = 0; n < exoViews; n++) {
          const similarity = dot(ego, i * egoViews + m, exo, j * exoViews + n, dims);
          total += logSigmoid(z * (scale * similarity + (bias ?? 0)));
        }
      }
    }
  }
  return -total / (groups * groups * egoViews * exoViews);
}

/** Central finite differences of `loss` with respect to every entry of `values` (restored afterwards). */
export function finiteDifferences(values: number[], loss: () => number, step = 1e-4): number[] {
  return values.map((original, index) => {
    values[index] = original + step;
    const above = loss();
    values[index] = original - step;
    const below = loss();
    values[index] = original;
    return (above - below) / (2 * step);
  });
}

/** Largest |actual − expected| relative to the largest |expected| (or 1e-12 when all are zero). */
export function relativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length) throw new Error(`length ${actual.length} != ${expected.length}`);
  let worst = 0;
  let scale = 1e-12;
  for (let k = 0; k < expected.length; k++) {
    worst = Math.max(worst, Math.abs((actual[k] as number) - (expected[k] as number)));
    scale = Math.max(scale, Math.abs(expected[k] as number));
  }
  return worst / scale;
}
