// The settings clip sampling runs with: the engine config's sampling section and batch sizes, the encoder's input
// size, and which scenes and views take part. Checked field by field before anything is sampled.
import { ArgumentError } from '../../../contract/errors';
import type { EvgapConfig, SamplingConfig } from '../config';
import type { SceneSplit } from './sources';

export interface SamplerSettings {
  sampling: SamplingConfig;
  /** Step-1 batch B: ego-exo clip pairs per batch. */
  batchPairs: number;
  /** Step-2 batch B: groups per batch. */
  batchGroups: number;
  /** Expected feature size F of every track; null accepts any F shared by all tracks. */
  inputDim: number | null;
  /** Only scenes of this split take part (pre-training uses 'train'); null: every scene. */
  split: SceneSplit | null;
  /** Only views with these names take part; null: every view. */
  views: string[] | null;
}

export interface SceneSelection {
  split?: SceneSplit | null;
  views?: string[] | null;
}

/** Settings from a resolved engine config; scenes default to the 'train' split, views to all. */
export function samplerSettings(config: EvgapConfig, selection: SceneSelection = {}): SamplerSettings {
  return {
    sampling: { ...config.sampling },
    batchPairs: config.step1.batchPairs,
    batchGroups: config.step2.batchGroups,
    inputDim: config.encoder.inputDim,
    split: selection.split === undefined ? 'train' : selection.split,
    views: selection.views ?? null,
  };
}

/** Throws ArgumentError naming the first invalid setting. */
export function validateSamplerSettings(settings: SamplerSettings): void {
  const { sampling } = settings;
  integerAtLeast('sampling.window', sampling.window, 1);
  integerAtLeast('sampling.stride', sampling.stride, 1);
  if (!(sampling.scaleMin > 0)) throw new ArgumentError(`expected sampling.scaleMin > 0, got ${sampling.scaleMin}`);
  if (!(sampling.scaleMax >= sampling.scaleMin) || !Number.isFinite(sampling.scaleMax)) {
    throw new ArgumentError(`expected sampling.scaleMax >= sampling.scaleMin (${sampling.scaleMin}), got ${sampling.scaleMax}`);
  }
  if (sampling.resample !== 'linear' && sampling.resample !== 'nearest') {
    throw new ArgumentError(`expected sampling.resample to be 'linear' or 'nearest', got ${String(sampling.resample)}`);
  }
  integerAtLeast('batchPairs', settings.batchPairs, 2);
  integerAtLeast('batchGroups', settings.batchGroups, 2);
  integerAtLeast('sampling.clipsPerSet', sampling.clipsPerSet, 1);
  const smallestBatch = Math.min(settings.batchPairs, settings.batchGroups);
  if (sampling.clipsPerSet > smallestBatch) {
    throw new ArgumentError(
      `expected sampling.clipsPerSet <= the batch size (batchPairs ${settings.batchPairs}, batchGroups ${settings.batchGroups}), got ${sampling.clipsPerSet}`,
    );
  }
  if (settings.inputDim !== null) integerAtLeast('inputDim', settings.inputDim, 1);
  if (settings.split !== null && !['train', 'val', 'test'].includes(settings.split)) {
    throw new ArgumentError(`expected split 'train', 'val', 'test' or null, got ${String(settings.split)}`);
  }
  if (settings.views !== null && (!Array.isArray(settings.views) || settings.views.length === 0)) {
    throw new ArgumentError('expected views to be null (all views) or a non-empty list of view names');
  }
}

function integerAtLeast(path: string, value: number, min: number): void {
  if (!Number.isInteger(value)) throw new ArgumentError(`expected ${path} to be an integer, got ${value}`);
  if (value < min) throw new ArgumentError(`expected ${path} >= ${min}, got ${value}`);
}
