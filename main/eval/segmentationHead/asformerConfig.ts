// Settings of the ASFormer head (Yi, Wen & Jiang, "ASFormer: Transformer for Action Segmentation", BMVC 2021;
// github.com/ChinaYi/ASFormer, model.py and main.py). `paper` is the published default (the authors publish no
// Assembly101 setting): an encoder and 3 decoders of 10 layers, 64 feature maps, query/key and value
// reductions r1 = r2 = 2, sliding-window attention whose window doubles per layer (1, 2, …, 512) with the
// convolution's dilation, decoder attention weight α = exp(−3·s), channel masking 0.3 on the input, dropout 0.5;
// 120 epochs of Adam (lr 5e-4, L2 weight decay 1e-5) halving the learning rate after 3 epochs without a lower
// loss (ReduceLROnPlateau), and MS-TCN's loss (λ 0.15, τ² 16) summed over the 4 stages. `cpu`: 6 layers (windows
// up to 32 frames), 32 feature maps, 2 decoders.
import type { HeadTraining, SegmentationHeadPreset } from './config';
import { integer, probability } from './validation';
import { ArgumentError } from '../../../contract/errors';

export interface AsFormerConfig extends HeadTraining {
  /** Layers of the encoder and of each decoder; layer i has dilation and attention window 2^i. */
  layers: number;
  /** Feature maps (channels) of every layer (ASFormer: 64). */
  featureMaps: number;
  /** Decoders after the encoder, each refining the previous stage's softmax (ASFormer: 3). */
  decoders: number;
  /** r1: query and key channels are featureMaps / r1 (ASFormer: 2). */
  queryKeyReduction: number;
  /** r2: value channels are featureMaps / r2 (ASFormer: 2). */
  valueReduction: number;
  /** Probability of zeroing an input channel for a whole video in training (ASFormer: 0.3). */
  channelMaskRate: number;
  /** Dropout after each layer's 1×1 convolution in training (ASFormer: 0.5). */
  dropout: number;
}

const training = { encoderLr: 1e-4, smoothingWeight: 0.15, smoothingClamp: 4, chunkFrames: 0 };

const paper: AsFormerConfig = {
  layers: 10,
  featureMaps: 64,
  decoders: 3,
  queryKeyReduction: 2,
  valueReduction: 2,
  channelMaskRate: 0.3,
  dropout: 0.5,
  epochs: 120,
  lr: 5e-4,
  weightDecay: 1e-5,
  schedule: { kind: 'plateau', factor: 0.5, patience: 3 },
  ...training,
};

const cpu: AsFormerConfig = { ...paper, layers: 6, featureMaps: 32, decoders: 2, epochs: 40, lr: 1e-3 };

export const asformerPresets: Readonly<Record<SegmentationHeadPreset, AsFormerConfig>> = { cpu, paper };

export function validateAsFormerConfig(config: AsFormerConfig): void {
  integer('layers', config.layers, 1);
  integer('featureMaps', config.featureMaps, 1);
  integer('decoders', config.decoders, 0);
  integer('queryKeyReduction', config.queryKeyReduction, 1);
  integer('valueReduction', config.valueReduction, 1);
  for (const key of ['queryKeyReduction', 'valueReduction'] as const) {
    if (config.featureMaps % config[key] !== 0) {
      throw new ArgumentError(`expected featureMaps (${config.featureMaps}) to be a multiple of ${key}, got ${config[key]}`);
    }
  }
  probability('channelMaskRate', config.channelMaskRate);
  probability('dropout', config.dropout);
}
