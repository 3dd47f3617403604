// Settings of the C2F-TCN head (Singhania, Rahaman & Yao, "Coarse to Fine Multi-Resolution Temporal
// Convolutional Network", 2021; github.com/dipika-singhania/C2F-TCN, model.py and train.py). `paper` is the
// published network: an input block and 6 max-pool levels of 256, 256, 256, 128, 128, 128, 128 channels, a TPP
// block at the bottleneck, 128-channel decoder blocks, kernel 5, the ensemble weights [1, 1, 1, 1, 0, 0]; Adam
// with L2 weight decay and MS-TCN's loss (λ 0.15, τ² 16) on the ensemble's log-probabilities. The authors publish
// no Assembly101 setting: lr 1e-4 and weight decay 3e-3 are their Breakfast values (their largest dataset); their
// 500 epochs are of batches of 100 videos, here one video per step, so `paper` takes 100 epochs, the scale of
// ASFormer's and LTContext's 120. Their input max-pooling over chunks of frames (chunk_size, with zoom
// augmentation) is not reproduced: the head sees every frame of its input. `cpu`: 3 levels of 64 channels.
import { ArgumentError } from '../../../contract/errors';
import type { HeadTraining, SegmentationHeadPreset } from './config';
import { integer, show } from './validation';

export interface C2fTcnConfig extends HeadTraining {
  /** Channels of the input block and of each down-sampling level (length = levels + 1). */
  encoderChannels: number[];
  /** Channels of every up-sampling block (C2F-TCN: 128). */
  decoderChannels: number;
  /** Temporal kernel size of every convolution (C2F-TCN: 5). */
  kernelSize: number;
  /**
   * Weight of each decoder output in the prediction ensemble, finest (full resolution) first; the prediction is
   * the weighted mean of the outputs' softmax probabilities, each upsampled to full length (published
   * [1, 1, 1, 1, 0, 0]: the two coarsest outputs only train through the shared layers). Length = levels.
   */
  ensembleWeights: number[];
}

const cpu: C2fTcnConfig = {
  encoderChannels: [64, 64, 64, 64],
  decoderChannels: 64,
  kernelSize: 5,
  ensembleWeights: [1, 1, 1],
  epochs: 40,
  lr: 1e-3,
  weightDecay: 0,
  schedule: { kind: 'constant' },
  encoderLr: 1e-4,
  smoothingWeight: 0.15,
  smoothingClamp: 4,
  chunkFrames: 0,
};

const paper: C2fTcnConfig = {
  encoderChannels: [256, 256, 256, 128, 128, 128, 128],
  decoderChannels: 128,
  kernelSize: 5,
  ensembleWeights: [1, 1, 1, 1, 0, 0],
  epochs: 100,
  lr: 1e-4,
  weightDecay: 3e-3,
  schedule: { kind: 'constant' },
  encoderLr: 1e-4,
  smoothingWeight: 0.15,
  smoothingClamp: 4,
  chunkFrames: 0,
};

export const c2fTcnPresets: Readonly<Record<SegmentationHeadPreset, C2fTcnConfig>> = { cpu, paper };

export function validateC2fTcnConfig(config: C2fTcnConfig): void {
  const { encoderChannels, ensembleWeights } = config;
  if (!Array.isArray(encoderChannels) || encoderChannels.length < 2) {
    throw new ArgumentError(`expected encoderChannels to list at least 2 channel counts (input block + 1 level), got ${show(encoderChannels)}`);
  }
  encoderChannels.forEach((c, i) => integer(`encoderChannels[${i}]`, c, 1));
  const levels = encoderChannels.length - 1;
  if (!Array.isArray(ensembleWeights) || ensembleWeights.length !== levels) {
    throw new ArgumentError(`expected ensembleWeights to have ${levels} entries (one per level), got ${show(ensembleWeights)}`);
  }
  ensembleWeights.forEach((w, i) => {
    if (!(Number.isFinite(w) && w >= 0)) throw new ArgumentError(`expected ensembleWeights[${i}] >= 0, got ${w}`);
  });
  if (!ensembleWeights.some((w) => w > 0)) throw new ArgumentError('expected at least one ensembleWeights entry > 0, got all 0');
  integer('decoderChannels', config.decoderChannels, 1);
  integer('kernelSize', config.kernelSize, 1);
  if (config.kernelSize % 2 !== 1) throw new ArgumentError(`expected an odd kernelSize (same-length convolutions), got ${config.kernelSize}`);
}
