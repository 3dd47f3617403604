// The fused training kernels' names and attributes: one list shared by the engine's ops (which call them through
// tf.engine().runKernel where the active backend registers them, and fall back to TF.js's own ops elsewhere) and
// the backends that implement them (native/matmul/wasmFusedKernels.ts on the wasm backend with the addon).
import type { Precision } from '../config';

export const fusedKernelNames = {
  /** y = act(x·Wᵀ + b): x [N, in], weight [out, in], bias [out]; attrs LinearAttrs. */
  linear: 'EvgapLinear',
  /** [dyMasked = dy ⊙ [y > 0], dBias = Σ_rows dyMasked] of dy, y [N, C]. */
  reluBiasGrad: 'EvgapReluBiasGrad',
  /** [y, stats [rows, 2]] = LayerNorm over the last axis of x; inputs x, gamma, beta; attrs { epsilon }. */
  layerNorm: 'EvgapLayerNorm',
  /** [dx, dGamma, dBeta] from dy, x, gamma, stats; attrs { epsilon }. */
  layerNormGrad: 'EvgapLayerNormGrad',
  /** [output [B·S, D], probabilities [B, H, S, S]] from qkv [B·S, 3D]; attrs AttentionAttrs. */
  attention: 'EvgapAttention',
  /** dQkv [B·S, 3D] from dOutput, qkv, probabilities; attrs AttentionAttrs. */
  attentionGrad: 'EvgapAttentionGrad',
  /** y [..., T, C] = act(Σ_j z[t + o_j, tap j] + bias) from z [..., T, k·C], bias [C]; attrs TapAttrs. */
  tapSum: 'EvgapTapSum',
  /** dz [..., T, k·C] from dy [..., T, C]; attrs TapAttrs. */
  tapScatter: 'EvgapTapScatter',
  /** [y, stats [3, C] = (mean, 1/std, biased var)] = act(BatchNorm over the rows of x [N, C]); inputs x, gamma, beta; attrs BatchNormAttrs. */
  batchNorm: 'EvgapBatchNorm',
  /** [dx, dGamma, dBeta] from dy, x, y, gamma, stats; attrs BatchNormAttrs. */
  batchNormGrad: 'EvgapBatchNormGrad',
  /** [param', m', v', sums [Σg², Σparam'²]] from param, grad, firstMoment, secondMoment; attrs AdamAttrs. */
  adamUpdate: 'EvgapAdamUpdate',
  /**
   * Every parameter's update of one optimizer step: inputs [θ_0, g_0, m_0, v_0, θ_1, …] (4 per parameter) →
   * [θ'_0, m'_0, v'_0, θ'_1, …, sums [P, 2]]; attrs AdamManyAttrs.
   */
  adamUpdateMany: 'EvgapAdamUpdateMany',
} as const;

export type FusedKernelName = (typeof fusedKernelNames)[keyof typeof fusedKernelNames];

export type FusedActivation = 'linear' | 'relu';

export type LinearAttrs = { activation: FusedActivation; precision: Precision };
export type AttentionAttrs = { batch: number; heads: number };
/** o_j = (j − (taps − 1)/2)·dilation: the frame offset tap j reads. */
export type TapAttrs = { taps: number; dilation: number; activation: FusedActivation };
export type BatchNormAttrs = { epsilon: number; activation: FusedActivation };
export type AdamAttrs = { beta1: number; beta2: number; epsilon: number; stepSize: number; secondCorrection: number; decayFactor: number };
/** AdamAttrs with one stepSize, secondCorrection and decayFactor per parameter. */
export type AdamManyAttrs = { beta1: number; beta2: number; epsilon: number; stepSizes: number[]; secondCorrections: number[]; decayFactors: number[] };
