// A same-length 1-D convolution over time (PyTorch's Conv1d with padding = dilation·(k − 1)/2, zero-padded), with
// bias and activation fused, computed as ONE matrix product of every tap's kernel followed by a shifted sum:
//   Z = x·[W_0 | … | W_{k−1}]  ([.., T, k·Cout]),   y[t] = act(Σ_j Z[t + o_j, tap j] + b),   o_j = (j − (k−1)/2)·dilation
// so memory is T·k·Cout, never T·k·Cin (Cin is 2048 for raw features), and dilated convolutions (ASFormer,
// LTContext, MS-TCN) cost the same as plain ones. The shifted sum and its gradient (a shifted scatter) are fused
// kernels where the backend registers them (the native addon on wasm), TF.js pads, slices and adds elsewhere.
import * as tf from '@tensorflow/tfjs';
import { ArgumentError } from '../../../contract/errors';
import { fusedKernelNames, type FusedActivation, type TapAttrs } from './kernelNames';
import { runKernel, runsFused } from './nativeKernels';

export type TemporalConvolutionOptions = {
  /** Odd number of taps k. */
  kernelSize: number;
  /** Frames between taps (1: a plain convolution). */
  dilation?: number;
  activation?: FusedActivation;
};

/**
 * x [T, Cin] or [B, T, Cin] (sequences padded each on their own), weight [Cin, k·Cout] (tap j's kernel in columns
 * j·Cout … (j+1)·Cout − 1), bias [Cout] → [T, Cout] or [B, T, Cout].
 */
export function temporalConvolution<T extends tf.Tensor2D | tf.Tensor3D>(x: T, weight: tf.Tensor2D, bias: tf.Tensor1D, options: TemporalConvolutionOptions): T {
  const { kernelSize: k, dilation = 1, activation = 'linear' } = options;
  if (!Number.isInteger(k) || k < 1 || k % 2 !== 1) throw new ArgumentError(`expected an odd kernelSize >= 1, got ${k}`);
  if (!Number.isInteger(dilation) || dilation < 1) throw new ArgumentError(`expected dilation >= 1, got ${dilation}`);
  const cin = x.shape[x.rank - 1] as number;
  const cout = bias.shape[0];
  if (weight.shape[0] !== cin || weight.shape[1] !== k * cout) {
    throw new ArgumentError(`expected weight [${cin}, ${k}·${cout}] for input [${x.shape}] and bias [${cout}], got [${weight.shape}]`);
  }
  return tf.tidy(() => {
    const rows = tf.reshape(x, [-1, cin]) as tf.Tensor2D; // [B·T, Cin]
    const z = tf.reshape(tf.matMul(rows, weight), [...x.shape.slice(0, -1), k * cout]); // [.., T, k·Cout]
    return tapSum(z, bias, { taps: k, dilation, activation }) as T;
  });
}

/** y[.., t] = act(Σ_j z[.., t + o_j, tap j] + bias), zero outside the sequence: z [.., T, k·C] → [.., T, C]. */
export function tapSum(z: tf.Tensor, bias: tf.Tensor1D, attrs: TapAttrs): tf.Tensor {
  if (runsFused(fusedKernelNames.tapSum)) return runKernel<tf.Tensor>(fusedKernelNames.tapSum, { z, bias }, attrs);
  return referenceTapSum(z, bias, attrs);
}

/** TF.js ops: pad the time axis, slice each tap's shifted block, add. */
export function referenceTapSum(z: tf.Tensor, bias: tf.Tensor1D, { taps, dilation, activation }: TapAttrs): tf.Tensor {
  const C = bias.shape[0];
  const timeAxis = z.rank - 2;
  const T = z.shape[timeAxis] as number;
  const half = ((taps - 1) / 2) * dilation;
  const padding = z.shape.map((_, axis) => (axis === timeAxis ? [half, half] : [0, 0])) as [number, number][];
  const padded = half === 0 ? z : tf.pad(z, padding); // [.., T + 2·half, k·C]
  let sum: tf.Tensor = tf.zeros([...z.shape.slice(0, -1), C]);
  for (let j = 0; j < taps; j++) {
    const begin = z.shape.map((_, axis) => (axis === timeAxis ? j * dilation : axis === z.rank - 1 ? j * C : 0));
    const size = z.shape.map((extent, axis) => (axis === timeAxis ? T : axis === z.rank - 1 ? C : extent));
    sum = tf.add(sum, tf.slice(padded, begin, size));
  }
  const y = tf.add(sum, bias);
  return activation === 'relu' ? tf.relu(y) : y;
}

tf.registerGradient({
  kernelName: fusedKernelNames.tapSum,
  outputsToSave: [true],
  gradFunc: (dy, saved, attrs) => {
    const [y] = saved as [tf.Tensor];
    const gradient = dy as tf.Tensor;
    const [masked, dBias] =
      (attrs as unknown as TapAttrs).activation === 'relu'
        ? runKernel<tf.Tensor[]>(fusedKernelNames.reluBiasGrad, { dy: gradient, y: y! }, {})
        : [gradient, undefined];
    return {
      z: () => runKernel<tf.Tensor>(fusedKernelNames.tapScatter, { dy: masked! }, attrs),
      bias: () => dBias ?? tf.sum(tf.reshape(masked!, [-1, masked!.shape[masked!.rank - 1] as number]), 0),
    };
  },
});
