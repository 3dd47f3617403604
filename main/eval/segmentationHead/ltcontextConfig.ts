// Settings of the LTContext head (Bahrami, Francesca & Gall, "How Much Temporal Long-Term Context is Needed for
// Action Segmentation?", ICCV 2023; github.com/LTContext/LTContext, ltc/model/ltcontext.py and
// configs/Assembly101/LTContext.yaml). `paper` is the authors' Assembly101 configuration: 4 stages of 9 LTContext
// blocks (dilated convolution with dilation 2^i, windowed attention over windows of W = 64 frames, long-term
// context attention over every G = 64th frame), model dimension 64 (later stages 32), 1 attention head, channel
// masking 0.3, dropout 0.2 (attention 0.2, attention output 0.1); 120 epochs of Adam (lr 2.5e-4, L2 weight decay
// 1e-3), constant for 15 epochs and then cosine-annealed to 5e-5 over the remaining 105; MS-TCN's loss with
// λ = 0.17 (τ² 16). Their config leaves USE_INSTANCE_NORM at its default True, which in their code selects
// nn.Identity (the _NoNorm config sets False and gets InstanceNorm1d): `instanceNorm` here says what happens, so
// `paper` has it off. `cpu`: 2 stages of 5 blocks, model dimension 32, W = G = 16.
import { ArgumentError } from '../../../contract/errors';
import type { HeadTraining, SegmentationHeadPreset } from './config';
import { integer, positive, probability } from './validation';

export interface LtContextConfig extends HeadTraining {
  /** LTContext blocks per stage (Assembly101: 9). */
  layers: number;
  /** Stages: the first on the features, each later one on the previous stage's softmax (Assembly101: 4). */
  stages: number;
  /** Channels of the first stage (64); later stages have modelDim / dimReduction. */
  modelDim: number;
  /** Channel reduction after the first stage (LTContext: 2). */
  dimReduction: number;
  /** W: frames per window of the windowed attention; keys span 2·W around each window (even; Assembly101: 64). */
  windowSize: number;
  /** G: the long-term attention attends among frames G apart (Assembly101: 64). */
  longTermStride: number;
  /** Block i's convolution has dilation dilationFactor^i (LTContext: 2). */
  dilationFactor: number;
  /** Attention heads (LTContext: 1). */
  heads: number;
  /** InstanceNorm1d before each attention (true) or none (false: what the authors' Assembly101 config runs). */
  instanceNorm: boolean;
  /** Probability of zeroing an input channel of a stage for a whole video in training (LTContext: 0.3). */
  channelMaskRate: number;
  /** Dropout after each block's output projection (LTContext: 0.2). */
  dropout: number;
  /** Dropout on the attention weights (LTContext: 0.2). */
  attentionDropout: number;
  /** Dropout on each attention's output projection (LTContext: 0.1, fixed in their code). */
  outputDropout: number;
}

const paper: LtContextConfig = {
  layers: 9,
  stages: 4,
  modelDim: 64,
  dimReduction: 2,
  windowSize: 64,
  longTermStride: 64,
  dilationFactor: 2,
  heads: 1,
  instanceNorm: false,
  channelMaskRate: 0.3,
  dropout: 0.2,
  attentionDropout: 0.2,
  outputDropout: 0.1,
  epochs: 120,
  lr: 2.5e-4,
  weightDecay: 1e-3,
  schedule: { kind: 'constant-cosine', constantEpochs: 15, cosineEpochs: 105, minLr: 5e-5 },
  encoderLr: 1e-4,
  smoothingWeight: 0.17,
  smoothingClamp: 4,
  chunkFrames: 0,
};

const cpu: LtContextConfig = {
  ...paper,
  layers: 5,
  stages: 2,
  modelDim: 32,
  windowSize: 16,
  longTermStride: 16,
  epochs: 40,
  lr: 1e-3,
  schedule: { kind: 'constant-cosine', constantEpochs: 5, cosineEpochs: 35, minLr: 2e-4 },
};

export const ltcontextPresets: Readonly<Record<SegmentationHeadPreset, LtContextConfig>> = { cpu, paper };

export function validateLtContextConfig(config: LtContextConfig): void {
  for (const key of ['layers', 'stages', 'modelDim', 'longTermStride', 'dilationFactor', 'heads'] as const) integer(key, config[key], 1);
  integer('windowSize', config.windowSize, 2);
  if (config.windowSize % 2 !== 0) throw new ArgumentError(`expected an even windowSize (keys span W/2 on each side), got ${config.windowSize}`);
  positive('dimReduction', config.dimReduction);
  const reduced = Math.floor(config.modelDim / config.dimReduction);
  for (const [name, dim] of [['modelDim', config.modelDim], ['modelDim / dimReduction', reduced]] as const) {
    if (dim < 2 || (dim / 2) % config.heads !== 0) {
      throw new ArgumentError(`expected ${name} (${dim}) to be >= 2 with half of it a multiple of heads (${config.heads})`);
    }
  }
  if (typeof config.instanceNorm !== 'boolean') throw new ArgumentError(`expected instanceNorm to be true or false, got ${String(config.instanceNorm)}`);
  for (const key of ['channelMaskRate', 'dropout', 'attentionDropout', 'outputDropout'] as const) probability(key, config[key]);
}
