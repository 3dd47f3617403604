// Rows scaled to unit L2 norm (torch.nn.functional.normalize: the norm clamped at ε = 1e-12) as one op with its
// closed-form gradient, computed in float64 JavaScript: the encoder normalizes only its class tokens ([2B, D] per
// layer), where TF.js's ops take five kernel calls forward and about ten backward. With the fused ops off it is
// TF.js's ops, the reference.
//   y = x / max(‖x‖, ε);   dx = (dy − y·(y·dy)) / ‖x‖ where ‖x‖ > ε, dx = dy / ε elsewhere (the clamp is constant)
import * as tf from '@tensorflow/tfjs';
import { fusedOpsEnabled } from './nativeKernels';

const epsilon = 1e-12;

/** Rows of x [N, D] scaled to unit L2 norm → [N, D]. */
export function l2Normalize(x: tf.Tensor2D): tf.Tensor2D {
  if (!fusedOpsEnabled()) return referenceL2Normalize(x);
  return normalizeOp(x) as tf.Tensor2D;
}

// One op for the process, its arithmetic in named functions: closures made per call, with the loops inside, were
// compiled anew by V8 at every call (on-stack replacement of their loops, then again), and that background
// compiling took the second core from the addon's thread pool: a demo step-2 step ran 40 % slower.
const normalizeOp = tf.customGrad((input, save) => {
  const [rows, dims] = (input as tf.Tensor2D).shape;
  const { normalized, norms } = normalizeRows((input as tf.Tensor).dataSync() as Float32Array, rows, dims);
  const y = tf.tensor2d(normalized, [rows, dims]);
  (save as tf.GradSaveFunc)([y, tf.tensor1d(norms)]);
  return { value: y, gradFunc: normalizeGradient };
});

function normalizeGradient(dy: tf.Tensor, saved: tf.Tensor[]): tf.Tensor2D {
  const [y, norms] = saved as [tf.Tensor2D, tf.Tensor1D];
  const [rows, dims] = y.shape;
  const dx = normalizedRowsGradient(dy.dataSync() as Float32Array, y.dataSync() as Float32Array, norms.dataSync() as Float32Array, rows, dims);
  return tf.tensor2d(dx, [rows, dims]);
}

/** y = x / max(‖x‖, ε) row by row, and each row's ‖x‖ (unclamped). */
function normalizeRows(values: Float32Array, rows: number, dims: number): { normalized: Float32Array; norms: Float32Array } {
  const normalized = new Float32Array(values.length); // [N, D]
  const norms = new Float32Array(rows); // [N]
  for (let r = 0; r < rows; r++) {
    let squares = 0;
    for (let d = r * dims; d < (r + 1) * dims; d++) squares += (values[d] as number) ** 2;
    const norm = Math.sqrt(squares);
    const divisor = Math.max(norm, epsilon);
    for (let d = r * dims; d < (r + 1) * dims; d++) normalized[d] = (values[d] as number) / divisor;
    norms[r] = norm;
  }
  return { normalized, norms };
}

/** dx of y = l2Normalize(x) from dy, y and ‖x‖ (formula in the header). */
function normalizedRowsGradient(upstream: Float32Array, output: Float32Array, norms: Float32Array, rows: number, dims: number): Float32Array {
  const dx = new Float32Array(upstream.length); // [N, D]
  for (let r = 0; r < rows; r++) {
    const norm = norms[r] as number;
    if (!(norm > epsilon)) {
      for (let d = r * dims; d < (r + 1) * dims; d++) dx[d] = (upstream[d] as number) / epsilon;
      continue;
    }
    let projection = 0; // y·dy
    for (let d = r * dims; d < (r + 1) * dims; d++) projection += (output[d] as number) * (upstream[d] as number);
    for (let d = r * dims; d < (r + 1) * dims; d++) dx[d] = ((upstream[d] as number) - (output[d] as number) * projection) / norm;
  }
  return dx;
}

export function referenceL2Normalize(x: tf.Tensor2D): tf.Tensor2D {
  const norm = tf.sqrt(tf.sum(tf.square(x), 1, true)); // [N, 1]
  return tf.div(x, tf.maximum(norm, epsilon)); // [N, D]
}
