// Settings of the three temporal-action-segmentation heads of the publication's Table 2 — C2F-TCN
// (c2fTcnConfig.ts), ASFormer (asformerConfig.ts) and LTContext (ltcontextConfig.ts) — each with two presets:
// `cpu` (small, trains on the demo's few videos in seconds on 2 cores) and `paper` (the authors' published
// network and training recipe). What every head shares is its training: epochs, Adam with the authors' L2
// weight decay, a learning-rate schedule, and MS-TCN's loss weights (losses.ts).
import { ArgumentError } from '../../../contract/errors';
import { segmentationHeadNames, type SegmentationHeadName } from '../../../contract/api';
import { asformerPresets, validateAsFormerConfig, type AsFormerConfig } from './asformerConfig';
import { c2fTcnPresets, validateC2fTcnConfig, type C2fTcnConfig } from './c2fTcnConfig';
import { ltcontextPresets, validateLtContextConfig, type LtContextConfig } from './ltcontextConfig';
import { integer, nonNegative, positive, show } from './validation';

export type { SegmentationHeadName };
export type SegmentationHeadPreset = 'cpu' | 'paper';
export const segmentationHeadPresetNames: readonly SegmentationHeadPreset[] = ['cpu', 'paper'];

/**
 * How the learning rate moves from epoch to epoch: constant; PyTorch's ReduceLROnPlateau on the epoch's training
 * loss (ASFormer: factor 0.5, patience 3); or constant for some epochs, then cosine-annealed to a floor
 * (LTContext's 'constant_cosine_decay': SequentialLR of a constant LinearLR and CosineAnnealingLR).
 */
export type LearningRateSchedule =
  | { kind: 'constant' }
  | { kind: 'plateau'; factor: number; patience: number }
  | { kind: 'constant-cosine'; constantEpochs: number; cosineEpochs: number; minLr: number };

/** The training settings every head has. */
export interface HeadTraining {
  /** Passes over the training videos (one Adam step per video, or per chunk). */
  epochs: number;
  /** Adam learning rate of the head. */
  lr: number;
  /** L2 penalty added to the gradient, as torch.optim.Adam's weight_decay (what all three authors use); 0: none. */
  weightDecay: number;
  schedule: LearningRateSchedule;
  /** Adam learning rate of a jointly trained frame encoder (EVGAP fine-tuned, +random): smaller, it is pre-trained. */
  encoderLr: number;
  /** Weight λ of MS-TCN's smoothing loss; 0 turns it off. */
  smoothingWeight: number;
  /** MS-TCN's truncation τ: squared log-probability differences are clamped to τ² (all authors: 4, i.e. 16). */
  smoothingClamp: number;
  /** Train on chunks of this many frames (memory bound for long videos or a fine-tuned encoder); 0: whole videos. */
  chunkFrames: number;
}

export type SegmentationHeadConfigs = { 'c2f-tcn': C2fTcnConfig; asformer: AsFormerConfig; ltcontext: LtContextConfig };
export type SegmentationHeadConfig = SegmentationHeadConfigs[SegmentationHeadName];
/** Overrides of any head's settings (validated against the chosen head's fields). */
export type SegmentationHeadOverrides = Partial<C2fTcnConfig & AsFormerConfig & LtContextConfig>;

const presets: { [H in SegmentationHeadName]: Readonly<Record<SegmentationHeadPreset, SegmentationHeadConfigs[H]>> } = {
  'c2f-tcn': c2fTcnPresets,
  asformer: asformerPresets,
  ltcontext: ltcontextPresets,
};

/** The head's preset with `overrides` applied (fields the head lacks are refused), validated field by field. */
export function resolveSegmentationHeadConfig<H extends SegmentationHeadName>(
  head: H,
  overrides: Partial<SegmentationHeadConfigs[H]> | SegmentationHeadOverrides = {},
  preset: SegmentationHeadPreset = 'cpu',
): SegmentationHeadConfigs[H] {
  checkHeadName(head);
  if (!segmentationHeadPresetNames.includes(preset)) {
    throw new ArgumentError(`expected segmentation head preset ${segmentationHeadPresetNames.map((p) => `'${p}'`).join(' or ')}, got ${show(preset)}`);
  }
  const config = structuredClone(presets[head][preset]) as SegmentationHeadConfigs[H];
  for (const [key, value] of Object.entries(overrides)) {
    if (!(key in config)) throw new ArgumentError(`unexpected ${head} setting ${key}`);
    if (value !== undefined) (config as unknown as Record<string, unknown>)[key] = structuredClone(value);
  }
  validateHeadTraining(config);
  if (head === 'c2f-tcn') validateC2fTcnConfig(config as C2fTcnConfig);
  else if (head === 'asformer') validateAsFormerConfig(config as AsFormerConfig);
  else validateLtContextConfig(config as LtContextConfig);
  return config;
}

/** Throws ArgumentError unless `head` is one of the heads. */
export function checkHeadName(head: unknown): asserts head is SegmentationHeadName {
  if (!segmentationHeadNames.includes(head as SegmentationHeadName)) {
    throw new ArgumentError(`expected a segmentation head ${segmentationHeadNames.map((h) => `'${h}'`).join(', ')}, got ${show(head)}`);
  }
}

function validateHeadTraining(config: HeadTraining): void {
  integer('epochs', config.epochs, 1);
  positive('lr', config.lr);
  positive('encoderLr', config.encoderLr);
  nonNegative('weightDecay', config.weightDecay);
  nonNegative('smoothingWeight', config.smoothingWeight);
  positive('smoothingClamp', config.smoothingClamp);
  integer('chunkFrames', config.chunkFrames, 0);
  const schedule = config.schedule as LearningRateSchedule | undefined;
  if (schedule?.kind === 'constant') return;
  if (schedule?.kind === 'plateau') {
    if (!(schedule.factor > 0 && schedule.factor < 1)) throw new ArgumentError(`expected schedule.factor in (0, 1), got ${show(schedule.factor)}`);
    integer('schedule.patience', schedule.patience, 0);
    return;
  }
  if (schedule?.kind === 'constant-cosine') {
    integer('schedule.constantEpochs', schedule.constantEpochs, 0);
    integer('schedule.cosineEpochs', schedule.cosineEpochs, 1);
    positive('schedule.minLr', schedule.minLr);
    return;
  }
  throw new ArgumentError(`expected schedule.kind 'constant', 'plateau' or 'constant-cosine', got ${show(schedule)}`);
}
