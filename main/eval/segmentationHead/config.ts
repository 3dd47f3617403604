// Settings of the C2F-TCN-style segmentation head (Singhania et al., "Coarse to Fine Multi-Resolution Temporal
// Convolutional Network", 2021; github.com/dipika-singhania/C2F-TCN) and of its training, with two presets:
// `cpu` (the default: 3 levels of 64 channels, trains on a few videos in seconds on 2 cores) and `c2f-tcn`
// (the published shape: 6 down-sampling levels of 256/128 channels and ensemble weights [1, 1, 1, 1, 0, 0]).
// Training settings that C2F-TCN tunes per dataset (epochs, learning rate) are chosen here and stored with each
// evaluation result.
import { ArgumentError } from '../../../contract/errors';

export interface SegmentationHeadConfig {
  /** Channels of the input block and of each down-sampling level (length = levels + 1; C2F-TCN: 256, 256, 256, 128, 128, 128, 128). */
  encoderChannels: number[];
  /** Channels of every up-sampling block (C2F-TCN: 128). */
  decoderChannels: number;
  /** Temporal kernel size of every convolution (C2F-TCN: 5). */
  kernelSize: number;
  /**
   * Weight of each decoder output in the prediction ensemble, finest (full resolution) first; the prediction is
   * the weighted mean of the outputs' softmax probabilities, each upsampled to full length (C2F-TCN's ensemble;
   * published [1, 1, 1, 1, 0, 0]: the two coarsest outputs only train). Length = levels.
   */
  ensembleWeights: number[];
  /** Passes over the training videos. */
  epochs: number;
  /** Adam learning rate of the head. */
  lr: number;
  /** Decoupled weight decay of the head (0: plain Adam). */
  weightDecay: number;
  /** Adam learning rate of a jointly trained frame encoder (EVGAP fine-tuned, +random): smaller, it is pre-trained. */
  encoderLr: number;
  /** Weight λ of MS-TCN's smoothing loss (truncated MSE of neighbouring frames' log-probabilities); 0 turns it off. */
  smoothingWeight: number;
  /** MS-TCN's truncation τ: squared log-probability differences are clamped to τ² (published 4). */
  smoothingClamp: number;
  /** Train on chunks of this many frames (memory bound for long videos or a fine-tuned encoder); 0: whole videos. */
  chunkFrames: number;
}

export type SegmentationHeadPreset = 'cpu' | 'c2f-tcn';

const cpu: SegmentationHeadConfig = {
  encoderChannels: [64, 64, 64, 64],
  decoderChannels: 64,
  kernelSize: 5,
  ensembleWeights: [1, 1, 1],
  epochs: 40,
  lr: 1e-3,
  weightDecay: 0,
  encoderLr: 1e-4,
  smoothingWeight: 0.15,
  smoothingClamp: 4,
  chunkFrames: 0,
};

const c2fTcn: SegmentationHeadConfig = {
  encoderChannels: [256, 256, 256, 128, 128, 128, 128],
  decoderChannels: 128,
  kernelSize: 5,
  ensembleWeights: [1, 1, 1, 1, 0, 0],
  epochs: 100,
  lr: 5e-4,
  weightDecay: 0,
  encoderLr: 1e-4,
  smoothingWeight: 0.15,
  smoothingClamp: 4,
  chunkFrames: 0,
};

export const segmentationHeadPresets: Readonly<Record<SegmentationHeadPreset, SegmentationHeadConfig>> = { cpu, 'c2f-tcn': c2fTcn };

/** The preset with `overrides` applied, validated field by field. */
export function resolveSegmentationHeadConfig(
  overrides: Partial<SegmentationHeadConfig> = {},
  preset: SegmentationHeadPreset = 'cpu',
): SegmentationHeadConfig {
  const base = segmentationHeadPresets[preset] as SegmentationHeadConfig | undefined;
  if (base === undefined) throw new ArgumentError(`expected preset 'cpu' or 'c2f-tcn', got ${JSON.stringify(preset)}`);
  const config: SegmentationHeadConfig = { ...base, encoderChannels: [...base.encoderChannels], ensembleWeights: [...base.ensembleWeights] };
  for (const [key, value] of Object.entries(overrides)) {
    if (!(key in config)) throw new ArgumentError(`unexpected segmentation head setting ${key}`);
    if (value !== undefined) (config as unknown as Record<string, unknown>)[key] = Array.isArray(value) ? [...value] : value;
  }
  validateSegmentationHeadConfig(config);
  return config;
}

/** Throws ArgumentError naming the first invalid field. */
export function validateSegmentationHeadConfig(config: SegmentationHeadConfig): void {
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
  integer('epochs', config.epochs, 1);
  positive('lr', config.lr);
  positive('encoderLr', config.encoderLr);
  nonNegative('weightDecay', config.weightDecay);
  nonNegative('smoothingWeight', config.smoothingWeight);
  positive('smoothingClamp', config.smoothingClamp);
  integer('chunkFrames', config.chunkFrames, 0);
}

function show(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}

function integer(name: string, value: unknown, min: number): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new ArgumentError(`expected ${name} to be an integer >= ${min}, got ${show(value)}`);
  }
}

function positive(name: string, value: unknown): void {
  if (typeof value !== 'number' || !(Number.isFinite(value) && value > 0)) throw new ArgumentError(`expected ${name} > 0, got ${show(value)}`);
}

function nonNegative(name: string, value: unknown): void {
  if (typeof value !== 'number' || !(Number.isFinite(value) && value >= 0)) throw new ArgumentError(`expected ${name} >= 0, got ${show(value)}`);
}
